from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class BusySource(models.Model):
    """An external calendar whose events count as busy time for one of our calendars."""

    class Kind(models.TextChoices):
        ICS = "ics", "ICS address"
        CALDAV = "caldav", "CalDAV account"

    calendar = models.ForeignKey(
        "appointments.Calendar", on_delete=models.CASCADE, related_name="busy_sources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=2000)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class BusyBlock(models.Model):
    """One busy interval imported from a source; a sync replaces a source's blocks atomically."""

    source = models.ForeignKey(BusySource, on_delete=models.CASCADE, related_name="blocks")
    calendar = models.ForeignKey(
        "appointments.Calendar", on_delete=models.CASCADE, related_name="busy_blocks"
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()

    class Meta:
        ordering = ["start_time"]
        indexes = [models.Index(fields=["calendar", "end_time", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="busy_block_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"busy {self.start_time:%Y-%m-%d %H:%M} – {self.end_time:%H:%M} UTC"
