"""Reads for the dashboard and the appointment list: what a person has booked, and what was booked
with them (as a provider), in a fixed, small number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from appointments.access import visible_appointments
from appointments.models import Appointment


@dataclass(frozen=True)
class Summary:
    upcoming: int
    this_week: int
    cancelled: int


def appointments_involving(user) -> QuerySet[Appointment]:
    """Appointments the user booked or hosts, on any event type."""
    return visible_appointments(user)


def week_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the active (viewer's) zone, as instants."""
    local = timezone.localtime(now)
    monday = local.date() - timedelta(days=local.weekday())
    zone = local.tzinfo
    start = datetime.combine(monday, time(0), zone)
    return start, datetime.combine(monday + timedelta(days=7), time(0), zone)


def summary(user, *, now: datetime) -> Summary:
    week_start, week_end = week_bounds(now)
    active = Q(status__in=Appointment.HOLDING)  # requests hold their time too
    counts = appointments_involving(user).aggregate(
        upcoming=Count("pk", filter=active & Q(start_time__gte=now)),
        this_week=Count(
            "pk", filter=active & Q(start_time__gte=week_start, start_time__lt=week_end)
        ),
        cancelled=Count("pk", filter=Q(status=Appointment.Status.CANCELLED)),
    )
    return Summary(**counts)


def upcoming(user, *, now: datetime, limit: int = 5) -> list[Appointment]:
    return list(
        appointments_involving(user)
        .active()
        .filter(end_time__gt=now)
        .order_by("start_time")[:limit]
    )


def appointments_tab(user, *, tab: str, now: datetime) -> QuerySet[Appointment]:
    """'upcoming': not yet over, soonest first (cancelled ones too, marked); 'past': latest first."""
    mine = appointments_involving(user)
    if tab == "past":
        return mine.filter(end_time__lte=now).order_by("-start_time", "-pk")
    return mine.filter(end_time__gt=now).order_by("start_time", "pk")
