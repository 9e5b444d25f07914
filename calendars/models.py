from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from calendars.crypto import decrypt, encrypt

# The provider is warned when the busy times in force are older than this.
STALE_AFTER = timedelta(hours=1)


def default_sync_minutes() -> int:
    return settings.CALENDAR_SYNC_MINUTES


class EncryptedPasswordMixin(models.Model):
    """A password we must send back to a CalDAV server: stored encrypted (Fernet, key
    `CALENDAR_SECRET_KEY`), never rendered."""

    username = models.CharField(max_length=200, blank=True)
    encrypted_password = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def set_password(self, password: str) -> None:
        self.encrypted_password = encrypt(password, settings.CALENDAR_SECRET_KEY)

    def password(self) -> str:
        """Raises calendars.crypto.DecryptError if the key changed since it was stored."""
        if not self.encrypted_password:
            return ""
        return decrypt(self.encrypted_password, settings.CALENDAR_SECRET_KEY)


class BusySource(EncryptedPasswordMixin):
    """An external calendar of a person: its events are busy time on every event type they host."""

    class Kind(models.TextChoices):
        ICS = "ics", "ICS address"
        CALDAV = "caldav", "CalDAV account"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_sources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=2000)
    # CalDAV: the remote calendars that count (their URLs); empty means none chosen yet.
    calendar_urls = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    sync_minutes = models.PositiveIntegerField(default=default_sync_minutes)
    created_at = models.DateTimeField(auto_now_add=True)
    next_sync_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # What the last successful read skipped or repaired, in plain words (empty if nothing).
    last_notice = models.TextField(blank=True)
    block_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "next_sync_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def failing(self) -> bool:
        return bool(self.last_error)

    def is_stale(self, now: datetime) -> bool:
        """The busy times in force are old (or there are none): the provider should know."""
        if self.last_synced_at is None:
            return False  # never tried yet: nothing went wrong
        # A source that never worked is stale an hour after it was added (its error shows
        # from the first attempt; the warning says the calendar is not being honoured).
        last_good = self.last_success_at or self.created_at
        return last_good < now - STALE_AFTER


class BusyBlock(models.Model):
    """One busy interval imported from a source; a sync replaces a source's blocks atomically.
    The person is copied from the source so that the availability read is one range scan."""

    source = models.ForeignKey(BusySource, on_delete=models.CASCADE, related_name="blocks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_blocks"
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()

    class Meta:
        ordering = ["start_time"]
        indexes = [models.Index(fields=["user", "end_time", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="busy_block_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"busy {self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%H:%M} UTC"


class PushTarget(EncryptedPasswordMixin):
    """The CalDAV calendar into which one of our calendars copies its bookings."""

    calendar = models.OneToOneField(
        "appointments.Calendar", on_delete=models.CASCADE, related_name="push_target"
    )
    url = models.URLField("server address", max_length=2000)
    calendar_url = models.URLField(max_length=2000, blank=True)
    calendar_name = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push {self.calendar} → {self.calendar_name or self.url}"

    @property
    def ready(self) -> bool:
        return self.enabled and bool(self.calendar_url)


class AppointmentPush(models.Model):
    """The write-back state of one appointment: what the remote calendar should hold and
    whether it does. One row per appointment, so a retry updates it instead of adding one."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DONE = "done", "In the calendar"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed, gave up"

    appointment = models.OneToOneField(
        "appointments.Appointment", on_delete=models.CASCADE, related_name="calendar_push"
    )
    calendar = models.ForeignKey(
        "appointments.Calendar", on_delete=models.CASCADE, related_name="pushes"
    )
    remote_uid = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    pushed_sequence = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"push of {self.remote_uid}: {self.get_state_display()}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits; URL-safe, fits a slug path segment


class FeedToken(models.Model):
    """The secret in a user's subscription address. Revoking deletes it; regenerating
    replaces it, so old addresses stop working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.user}"
