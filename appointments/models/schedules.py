"""A person's time: named schedules (zone, weekly hours, date overrides, time off)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.validators import validate_time_zone


class Schedule(models.Model):
    """When a person works, in one zone. Event types use one of their host's schedules; a
    person's default schedule is the one their team event types use."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedules"
    )
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_default=True),
                name="one_default_schedule_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)  # ZoneInfo caches instances by key


class WorkingHours(models.Model):
    """A weekly working interval in the schedule's zone; end <= start means it ends the next day."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="working_hours")
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

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["schedule", "date"])]
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
    """An absence. Entered on a schedule, it blocks every event type its owner hosts: a person
    away is away whichever schedule an event type uses."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="time_off")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_time"]
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["schedule", "end_time", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="time_off_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%Y-%m-%d %H:%M} {self.reason}".strip()
