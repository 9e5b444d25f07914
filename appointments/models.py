from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from accounts.validators import validate_time_zone


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 60]


class Calendar(models.Model):
    """A provider's bookable calendar: its zone, its slot rules and its reminders."""

    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendars"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The public booking page's address."
    )
    description = models.TextField(blank=True, max_length=2000)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.length_minutes)

    def clean(self) -> None:
        offsets = self.reminder_offsets
        if not isinstance(offsets, list) or not all(
            isinstance(m, int) and 0 < m <= 30 * 24 * 60 for m in offsets
        ):
            raise ValidationError(
                {"reminder_offsets": "Give a list of whole minutes between 1 and 43200."}
            )


class WorkingHours(models.Model):
    """A weekly working interval in the calendar's zone; end <= start means it ends the next day."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="At or before the start: the interval ends the next day.")

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "working hours"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class DateOverride(models.Model):
    """Other hours on one local date. A row without times closes the date."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["calendar", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="override_times_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        if self.is_closed:
            return f"{self.date}: closed"
        return f"{self.date}: {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def is_closed(self) -> bool:
        return self.start_time is None


class TimeOff(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="time_off")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_time"]
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["calendar", "end_time", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="time_off_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%Y-%m-%d %H:%M} {self.reason}".strip()


class TimeSlot(models.Model):
    """A concrete bookable time: published by the provider, or created when a computed slot is booked."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="time_slots")
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
            # The no-overlap exclusion constraint exists on PostgreSQL only: migration 0002.
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%H:%M} UTC"


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> AppointmentQuerySet:
        return self.filter(status=Appointment.Status.CONFIRMED)


class Appointment(models.Model):
    """A booking. The calendar and times are copied from the slot so the database can forbid
    overlaps per calendar (PostgreSQL exclusion constraint) without a join."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments"
    )
    time_slot = models.ForeignKey(
        TimeSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="appointments")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    description = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: bumped on change."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start_time"]
        indexes = [
            models.Index(fields=["calendar", "status", "start_time"]),
            models.Index(fields=["user", "status", "start_time"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="appointment_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["time_slot"],
                condition=Q(status="confirmed"),
                name="one_active_appointment_per_slot",
                violation_error_message="That time was just taken.",
            ),
            # The per-calendar no-overlap exclusion constraint: PostgreSQL only, migration 0002.
        ]

    def __str__(self) -> str:
        return f"Appointment for {self.user} at {self.start_time:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def ical_uid(self) -> str:
        return f"{self.uid}@slotwise"
