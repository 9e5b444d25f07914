"""Reads. Each selector loads what a page or a rule needs in a fixed, small number of queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from appointments.models import Appointment, TimeSlot


def bookable_slots_for_form(*, user, now: datetime) -> QuerySet[TimeSlot]:
    """Every free published slot on active event types the user does not host, for the booking
    form."""
    booked = Appointment.objects.active().filter(time_slot=OuterRef("pk"))
    return (
        TimeSlot.objects.filter(
            start_time__gt=now,
            is_generated=False,
            calendar__is_active=True,
            calendar__archived_at=None,
        )
        .exclude(calendar__host_rows__user=user)
        .exclude(Exists(booked))
        .select_related("calendar", "calendar__provider")
        .order_by("start_time")
    )
