from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


def duration_text(minutes: int) -> str:
    """1440 -> "1 day", 120 -> "2 hours", 90 -> "90 minutes"."""
    for unit, size in (("day", 1440), ("hour", 60)):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 60]


class Calendar(models.Model):
    """An event type: what is booked (length, slot rules, reminders) and who hosts it.

    A personal event type has one host, its owner (`provider`), and uses one of the owner's
    schedules. A team event type has hosts chosen from the team's members, each working to
    their own default schedule, and an assignment: round-robin (one free host takes the
    booking) or collective (every host takes part)."""

    class Assignment(models.TextChoices):
        SINGLE = "single", "One host"
        ROUND_ROBIN = "round_robin", "Round-robin"
        COLLECTIVE = "collective", "Collective"

    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendars",
        help_text="The owner: a personal event type's host, or who created a team event type.",
    )
    team = models.ForeignKey(
        "appointments.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_types",
    )
    schedule = models.ForeignKey(
        "appointments.Schedule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_types",
        help_text="A personal event type's hours. Team hosts use their own default schedules.",
    )
    assignment = models.CharField(
        max_length=16, choices=Assignment.choices, default=Assignment.SINGLE
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Host", related_name="hosted_event_types"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The public booking page's address."
    )
    description = models.TextField(blank=True, max_length=2000)
    is_active = models.BooleanField(default=True)
    length_minutes = models.PositiveIntegerField(
        "appointment length (minutes)",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    step_minutes = models.PositiveIntegerField(
        "slot step (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text="How far apart slot starts are. Empty: the appointment length.",
    )
    buffer_before_minutes = models.PositiveIntegerField(
        "buffer before (minutes)", default=0, validators=[MaxValueValidator(24 * 60)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        "buffer after (minutes)", default=0, validators=[MaxValueValidator(24 * 60)]
    )
    minimum_notice_minutes = models.PositiveIntegerField(
        "minimum notice (minutes)", default=0, validators=[MaxValueValidator(365 * 24 * 60)]
    )
    horizon_days = models.PositiveIntegerField(
        "booking horizon (days)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    change_notice_minutes = models.PositiveIntegerField(
        "notice for changes (minutes)",
        default=0,
        validators=[MaxValueValidator(30 * 24 * 60)],
        help_text="The cancellation policy: bookers cannot cancel or move an appointment online "
        "within this time of its start (hosts always can). 0: until it starts.",
    )
    requires_confirmation = models.BooleanField(
        "hosts confirm each booking",
        default=False,
        help_text="Bookings are requests: the time is held until a host accepts or declines.",
    )
    confirmation_hours = models.PositiveIntegerField(
        "hours to answer a request",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(30 * 24)],
        help_text="A request nobody answers in this time (or by its start) is declined.",
    )
    max_per_day = models.PositiveIntegerField(
        "maximum appointments per day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Empty: no limit.",
    )
    reminder_offsets = models.JSONField(
        default=default_reminder_offsets,
        blank=True,
        help_text="Minutes before an appointment at which reminders are sent.",
    )
    remind_provider = models.BooleanField(
        default=True, help_text="Also send the provider the reminders."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Deleted by its owner but kept for the history of its bookings.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.length_minutes)

    @property
    def confirmation_time(self) -> timedelta:
        return timedelta(hours=self.confirmation_hours)

    @property
    def change_notice(self) -> timedelta:
        return timedelta(minutes=self.change_notice_minutes)

    @property
    def change_policy(self) -> str:
        """The cancellation policy in words, for the booking and manage pages and the e-mails."""
        if not self.change_notice_minutes:
            return ""
        return (
            f"You can cancel or move online up to {duration_text(self.change_notice_minutes)} "
            "before the start."
        )

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    @property
    def zone(self) -> ZoneInfo:
        """The zone of the event type's own hours (a team event type's: its owner's default
        schedule, else UTC): the provider pages show its dates in it."""
        if self.schedule_id is not None:
            return self.schedule.zone
        default = self.provider.schedules.filter(is_default=True).first()
        return default.zone if default is not None else ZoneInfo("UTC")

    def clean(self) -> None:
        offsets = self.reminder_offsets
        if not isinstance(offsets, list) or not all(
            isinstance(m, int) and 0 < m <= 30 * 24 * 60 for m in offsets
        ):
            raise ValidationError(
                {"reminder_offsets": "Give a list of whole minutes between 1 and 43200."}
            )


class Host(models.Model):
    """A person who hosts an event type: its owner for a personal one, members for a team one."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="host_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="host_rows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calendar", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "user"], name="one_host_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} hosts {self.calendar}"


class TimeSlot(models.Model):
    """A concrete bookable time: published by the provider, or created when a computed slot is
    booked (then for the host who takes it: round-robin hosts may each hold the same time)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="time_slots")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="A generated slot's host; empty for published slots and collective bookings.",
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    is_generated = models.BooleanField(
        default=False, help_text="Created by a booking of a computed slot, not published by hand."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_time"]
        indexes = [models.Index(fields=["calendar", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="time_slot_start_before_end"
            ),
            # Published slots of one calendar never overlap: an exclusion constraint on
            # PostgreSQL only (migrations 0002 and 0003).
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%H:%M} UTC"
