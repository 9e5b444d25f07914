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
    # The address the person proved they read (a link sent to it was opened while signed in).
    # It counts only while it is still the account's address: changing the e-mail undoes it.
    verified_email = models.EmailField(blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.user.get_username()
