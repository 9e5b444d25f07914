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


class OutboundEmail(models.Model):
    """One e-mail to one recipient, written in the same transaction as the event that caused it,
    so a committed booking always has its e-mails. Delivered (and retried) by the worker."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        BOOKED = "booked", "Booking confirmed"
        REQUESTED = "requested", "Booking requested"
        DECLINED = "declined", "Booking request declined"
        CANCELLED = "cancelled", "Booking cancelled"
        RESCHEDULED = "rescheduled", "Booking moved"
        REMINDER = "reminder", "Reminder"
        PASSWORD_RESET = "password_reset", "Password reset"
        ACCOUNT = "account", "Account notice"

    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    ics = models.TextField(blank=True, help_text="The attached iCalendar file, if any.")
    ics_method = models.CharField(max_length=16, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_emails"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound e-mail"
        verbose_name_plural = "outbox"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["state", "claimed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


class SchedulerChain(models.Model):
    """The one periodic "deliver what is due" chain of worker tasks. Each tick carries the chain's
    token; starting a new chain replaces the token, so a superseded chain stops at its next tick."""

    name = models.CharField(max_length=32, primary_key=True)
    token = models.CharField(max_length=64)
    tick = models.PositiveBigIntegerField(
        default=0, help_text="The number of the next tick; a tick runs at most once."
    )
    next_tick_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: next tick {self.next_tick_at:%Y-%m-%d %H:%M:%S} UTC"
