from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app message for one user, optionally about one appointment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=255)
    timestamp = models.DateTimeField(auto_now_add=True)
    is_read = models.BooleanField(default=False)
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        ordering = ["is_read", "-timestamp"]
        indexes = [models.Index(fields=["user", "is_read", "-timestamp"])]

    def __str__(self) -> str:
        return self.message


class Reminder(models.Model):
    """A reminder due at `remind_at`. Claimed by exactly one worker before it is sent."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        VOID = "void", "Void"

    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.CASCADE, related_name="reminders"
    )
    remind_at = models.DateTimeField()
    offset_minutes = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["remind_at"]
        indexes = [models.Index(fields=["state", "remind_at"])]

    def __str__(self) -> str:
        return f"Reminder for {self.appointment} at {self.remind_at:%Y-%m-%d %H:%M} UTC"

    @property
    def sent(self) -> bool:
        return self.state == self.State.SENT
