from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.validators import validate_phone_number, validate_time_zone


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    phone_number = models.CharField(max_length=24, blank=True, validators=[validate_phone_number])
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Times are shown in this zone. Empty: the browser's zone, else UTC.",
    )
    email_reminders = models.BooleanField(
        default=True, help_text="Send reminder e-mails before appointments."
    )

    def __str__(self) -> str:
        return self.user.get_username()
