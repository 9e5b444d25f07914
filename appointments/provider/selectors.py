"""Reads of the provider area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

from appointments.booking.time import day_window, local_time_label
from appointments.models import Appointment, Calendar, TimeSlot


@dataclass(frozen=True)
class ScheduleItem:
    appointment: Appointment
    times: str  # "09:00–09:30" in the viewer's zone, with the offset in the repeated autumn hour


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    is_today: bool
    appointments: list[ScheduleItem]


@dataclass(frozen=True)
class ScheduleWeek:
    monday: date
    days: list[ScheduleDay]
    confirmed: int
    is_current: bool

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def param(self) -> str:
        return week_param(self.monday)

    @property
    def previous_param(self) -> str:
        return week_param(self.monday - timedelta(days=7))

    @property
    def next_param(self) -> str:
        return week_param(self.monday + timedelta(days=7))


def week_param(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str | None) -> date | None:
    """`2026-W48` -> the Monday of that ISO week; anything else -> None."""
    year, _, week = (text or "").partition("-W")
    try:
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None
    # Far-away years are typos or probes; their neighbouring weeks could not even be computed.
    return monday if 1970 <= monday.year <= 2200 else None


def schedule_week(host, *, week: str | None, zone: ZoneInfo, now: datetime):
    """The appointments the person hosts, on every event type (cancelled ones too), of one ISO
    week, by the viewer's local date."""
    today = now.astimezone(zone).date()
    monday = parse_week(week) or today - timedelta(days=today.weekday())
    start, end = day_window(monday, monday + timedelta(days=6), zone)
    appointments = list(
        Appointment.objects.filter(
            host_rows__user=host,
            # Bounded on both sides: an appointment lasts at most a day.
            start_time__gte=start - timedelta(days=1),
            start_time__lt=end,
            end_time__gt=start,
        )
        .select_related("user", "calendar")
        .prefetch_related("answers")
        .order_by("start_time")
    )
    by_day: dict[date, list[ScheduleItem]] = {}
    for appointment in appointments:
        times = "–".join(
            local_time_label(moment, zone)
            for moment in (appointment.start_time, appointment.end_time)
        )
        local_day = appointment.start_time.astimezone(zone).date()
        by_day.setdefault(local_day, []).append(ScheduleItem(appointment, times))
    days = [
        ScheduleDay(day=d, is_today=d == today, appointments=by_day.get(d, []))
        for d in (monday + timedelta(days=i) for i in range(7))
    ]
    confirmed = sum(1 for a in appointments if a.is_confirmed)
    is_current = monday <= today < monday + timedelta(days=7)
    return ScheduleWeek(monday=monday, days=days, confirmed=confirmed, is_current=is_current)


def publish_defaults(calendar: Calendar) -> dict:
    return {"length_minutes": calendar.length_minutes, "every_minutes": calendar.length_minutes}


@dataclass(frozen=True)
class PublishedDay:
    day: date
    published: int
    booked: int


def published_days(calendar: Calendar, *, now: datetime, days: int = 30) -> list[PublishedDay]:
    """Per local date of the calendar: how many explicit slots are published ahead, how many booked."""
    zone = calendar.zone
    booked = Appointment.objects.active().filter(time_slot=OuterRef("pk"))
    slots = (
        TimeSlot.objects.filter(
            calendar=calendar,
            is_generated=False,
            start_time__gte=now,
            start_time__lt=now + timedelta(days=days),
        )
        .annotate(is_booked=Exists(booked))
        .values_list("start_time", "is_booked")
    )
    counts: dict[date, list[int]] = {}
    for start, is_booked in slots:
        tally = counts.setdefault(start.astimezone(zone).date(), [0, 0])
        tally[0] += 1
        tally[1] += int(is_booked)
    return [PublishedDay(day, total, taken) for day, (total, taken) in sorted(counts.items())]
