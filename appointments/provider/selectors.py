"""Reads of the provider area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from appointments import scheduling
from appointments.booking.time import day_window, local_time_label
from appointments.models import (
    Appointment,
    Calendar,
    DateOverride,
    Schedule,
    TimeOff,
    TimeSlot,
    WorkingHours,
)
from appointments.provider import grid
from calendars.models import BusyBlock


@dataclass(frozen=True)
class Block:
    """Something drawn in a day column: a booking, working hours, time off or busy time."""

    kind: str  # "booking", "hours", "time-off", "busy"
    place: grid.Place
    times: str  # "09:00–09:30" in the viewer's zone, with the offset in the repeated autumn hour
    label: str = ""
    appointment: Appointment | None = None
    outside_hours: bool = False

    @property
    def starts(self) -> str:
        return self.times.partition("–")[0]

    @property
    def ends(self) -> str:
        return self.times.partition("–")[2]


@dataclass(frozen=True)
class Cell:
    """An empty half hour of the grid: a link to why it is (not) offered."""

    place: grid.Place
    start: str  # "10:30", the wall time the link asks about


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    is_today: bool
    is_focus: bool  # the day the phone layout shows
    hours: str  # "09:00–12:00, 13:00–17:00", "Closed", ...
    is_override: bool
    blocks: list[Block]
    bookings: list[Block]
    cells: list[Cell]
    now: grid.Place | None

    @property
    def param(self) -> str:
        return self.day.isoformat()


@dataclass(frozen=True)
class ScheduleWeek:
    monday: date
    days: list[ScheduleDay]
    confirmed: int
    is_current: bool
    hours: list[tuple[str, str]]  # the gutter's labels and their row classes
    cancelled: list[tuple[Appointment, str]]  # cancelled or declined this week, with their times
    outside_hours: int
    schedule: Schedule | None

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

    @property
    def focus(self) -> ScheduleDay:
        return next(day for day in self.days if day.is_focus)


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


@dataclass(frozen=True)
class WeekRows:
    """Everything of the person's that one week shows, read with a fixed number of queries."""

    appointments: list[Appointment]
    time_off: list[TimeOff]
    busy: list[BusyBlock]
    working: list[scheduling.Interval]  # the shown schedule's hours, as instants
    overrides: dict[date, list[DateOverride]]


def _week_rows(host, schedule: Schedule | None, start: datetime, end: datetime) -> WeekRows:
    appointments = list(
        Appointment.objects.filter(
            host_rows__user=host,
            # Bounded on both sides: an appointment lasts at most a day.
            start_time__gte=start - timedelta(days=1),
            start_time__lt=end,
            end_time__gt=start,
        )
        .select_related("user", "calendar", "time_slot")
        .prefetch_related("answers")
        .order_by("start_time")
    )
    time_off = list(
        TimeOff.objects.filter(schedule__owner=host, end_time__gt=start, start_time__lt=end)
    )
    busy = list(
        BusyBlock.objects.filter(
            user=host, end_time__gt=start, start_time__lt=end, source__is_active=True
        ).select_related("source")
    )
    working, overrides = [], {}
    if schedule is not None:
        working, overrides = _working(schedule, start, end)
    return WeekRows(appointments, time_off, busy, working, overrides)


def schedule_rules(
    schedule: Schedule, hours: list[WorkingHours], overrides: list[DateOverride]
) -> scheduling.Rules:
    """The schedule's hours as the scheduling core takes them (the slot policies do not matter
    for drawing or checking hours)."""
    weekly: dict[int, list[scheduling.WallInterval]] = {}
    for item in hours:
        weekly.setdefault(item.weekday, []).append(
            scheduling.WallInterval(item.start_time, item.end_time)
        )
    by_date: dict[date, list[scheduling.WallInterval]] = {}
    for item in overrides:
        hours_then = by_date.setdefault(item.date, [])
        if not item.is_closed:
            hours_then.append(scheduling.WallInterval(item.start_time, item.end_time))
    return scheduling.Rules(
        time_zone=schedule.time_zone, weekly=weekly, overrides=by_date, length=timedelta(minutes=1)
    )


def _working(schedule: Schedule, start: datetime, end: datetime):
    zone = schedule.zone
    # The schedule's dates around the window: its zone may be hours away from the viewer's.
    first, last = (start.astimezone(zone).date(), end.astimezone(zone).date())
    overrides = list(
        schedule.date_overrides.filter(
            date__gte=first - timedelta(days=1), date__lte=last + timedelta(days=1)
        )
    )
    rules = schedule_rules(schedule, list(schedule.working_hours.all()), overrides)
    working = scheduling.working_intervals(rules, start, end)
    by_date: dict[date, list[DateOverride]] = {}
    for item in overrides:
        by_date.setdefault(item.date, []).append(item)
    return working, by_date


def outside_hours(appointment: Appointment, working: list[scheduling.Interval]) -> bool:
    """The booking is not inside the hours (a booking of an explicitly published slot never is
    outside: the provider published that time on purpose)."""
    if appointment.time_slot_id is not None and not appointment.time_slot.is_generated:
        return False
    left = scheduling.subtract(
        [scheduling.Interval(appointment.start_time, appointment.end_time)], working
    )
    return bool(left)


def _times(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    return "–".join(local_time_label(moment, zone) for moment in (start, end))


def _governed(appointment: Appointment, schedule: Schedule | None) -> bool:
    """The shown schedule sets this booking's hours (a team event type's: its host's default)."""
    if schedule is None:
        return False
    if appointment.calendar.schedule_id is not None:
        return appointment.calendar.schedule_id == schedule.pk
    return schedule.is_default


def schedule_week(
    host,
    *,
    week: str | None,
    zone: ZoneInfo,
    now: datetime,
    schedule: Schedule | None = None,
    day: str | None = None,
) -> ScheduleWeek:
    """The week grid of everything the person hosts (every event type), with the hours of
    `schedule`, their time off and external busy time, on the viewer's wall clock."""
    today = now.astimezone(zone).date()
    monday = parse_week(week) or today - timedelta(days=today.weekday())
    dates = [monday + timedelta(days=i) for i in range(7)]
    start, end = day_window(dates[0], dates[-1], zone)
    rows = _week_rows(host, schedule, start, end)
    active = [a for a in rows.appointments if a.is_active]
    drawn = _drawn(rows, active, schedule, zone)
    wall = [
        grid.wall_minutes(s, e, d, zone)
        for s, e, *_ in drawn
        for d in dates
        if s < grid.day_bounds(d, zone)[1]
        and e > grid.day_bounds(d, zone)[0]
        and not grid.covers_day(s, e, d, zone)
    ]
    if today in dates:  # the now line is always in sight on the current week
        local = now.astimezone(zone)
        wall.append((local.hour * 60 + local.minute, local.hour * 60 + local.minute + 60))
    first_hour, last_hour = grid.hour_range(wall)
    focus = _focus(day, dates, today)
    days = [
        _day(d, drawn, rows, schedule, zone, (first_hour, last_hour), now, today, focus)
        for d in dates
    ]
    hours = [
        (f"{h:02d}:00", f"pv-at-{(h - first_hour) * 4 + 1} pv-span-4")
        for h in range(first_hour, last_hour)
    ]
    cancelled = [
        (a, _times(a.start_time, a.end_time, zone)) for a in rows.appointments if not a.is_active
    ]
    return ScheduleWeek(
        monday=monday,
        days=days,
        confirmed=sum(1 for a in active if a.is_confirmed),
        is_current=monday <= today < monday + timedelta(days=7),
        hours=hours,
        cancelled=cancelled,
        outside_hours=sum(1 for *_, booking in drawn if booking is not None and booking.outside),
        schedule=schedule,
    )


@dataclass(frozen=True)
class _Booking:
    appointment: Appointment
    outside: bool


def _drawn(rows: WeekRows, active, schedule, zone) -> list[tuple]:
    """(start, end, kind, label, booking) for everything the grid draws, in time order."""
    drawn = [(i.start, i.end, "hours", "", None) for i in rows.working]
    drawn += [
        (
            o.start_time,
            o.end_time,
            "time-off",
            f"Time off: {o.reason}" if o.reason else "Time off",
            None,
        )
        for o in rows.time_off
    ]
    drawn += [
        (b.start_time, b.end_time, "busy", f"Busy ({b.source.name})", None) for b in rows.busy
    ]
    drawn += [
        (
            a.start_time,
            a.end_time,
            "booking",
            a.booker_name,
            _Booking(a, _governed(a, schedule) and outside_hours(a, rows.working)),
        )
        for a in active
    ]
    return sorted(drawn, key=lambda item: (item[0], item[1]))


def _focus(day: str | None, dates: list[date], today: date) -> date:
    try:
        chosen = date.fromisoformat(day or "")
    except ValueError:
        chosen = None
    if chosen in dates:
        return chosen
    return today if today in dates else dates[0]


def _hours_label(d: date, rows: WeekRows, schedule, zone) -> tuple[str, bool]:
    if schedule is None:
        return "", False
    overrides = rows.overrides.get(d) if schedule.zone.key == zone.key else None
    if overrides:
        if any(o.is_closed for o in overrides):
            return "Closed (override)", True
        return "Custom " + ", ".join(
            f"{o.start_time:%H:%M}–{o.end_time:%H:%M}" for o in overrides
        ), True
    first, after = grid.day_bounds(d, zone)
    spans = [(i.start, i.end) for i in rows.working if i.start < after and i.end > first]
    if not spans:
        return "Closed", False
    return ", ".join(_times(max(s, first), min(e, after), zone) for s, e in spans), False


def _day(d, drawn, rows, schedule, zone, hour_range, now, today, focus) -> ScheduleDay:
    first_hour, last_hour = hour_range
    first, after = grid.day_bounds(d, zone)
    blocks, bookings = [], []
    for s, e, kind, label, booking in drawn:
        if not (s < after and e > first):
            continue
        if kind != "booking" and grid.covers_day(s, e, d, zone):
            # A whole day away or busy is drawn over the whole column, without widening it.
            whole = grid.place((first_hour * 60, last_hour * 60), first_hour)
            blocks.append(Block(kind, whole, "all day", label))
            continue
        spot = grid.place(grid.wall_minutes(s, e, d, zone), first_hour)
        times = _times(s, e, zone)
        if booking is None:
            blocks.append(Block(kind, spot, times, label))
        else:
            bookings.append(Block(kind, spot, times, label, booking.appointment, booking.outside))
    bookings = [
        Block(b.kind, spot, b.times, b.label, b.appointment, b.outside_hours)
        for b, spot in zip(bookings, grid.lanes([b.place for b in bookings]), strict=True)
    ]
    taken = {row for b in bookings for row in range(b.place.row, b.place.row + b.place.span)}
    cells = [
        Cell(
            grid.Place(row, 2), f"{(row - 1) * 15 // 60 + first_hour:02d}:{(row - 1) * 15 % 60:02d}"
        )
        for row in range(1, (last_hour - first_hour) * 4, 2)
        if not {row, row + 1} <= taken
    ]
    hours, is_override = _hours_label(d, rows, schedule, zone)
    now_place = None
    if d == today:
        local = now.astimezone(zone)
        minute = local.hour * 60 + local.minute
        if first_hour * 60 <= minute < last_hour * 60:
            now_place = grid.place((minute, minute), first_hour)
    return ScheduleDay(
        day=d,
        is_today=d == today,
        is_focus=d == focus,
        hours=hours,
        is_override=is_override,
        blocks=blocks,
        bookings=bookings,
        cells=cells,
        now=now_place,
    )


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


OUTSIDE_AHEAD = timedelta(days=180)


@dataclass(frozen=True)
class OutsideBooking:
    appointment: Appointment
    when: datetime


def bookings_outside_hours(schedule: Schedule, *, now: datetime) -> list[OutsideBooking]:
    """The coming bookings (next six months) whose time the schedule's hours no longer cover,
    after an edit of its weekly hours or date overrides: they stay booked, the person should know.
    Bookings of explicitly published slots are never outside. Four queries."""
    governed = Q(calendar__schedule=schedule)
    if schedule.is_default:  # team event types use their hosts' default schedules
        governed |= Q(calendar__schedule=None, host_rows__user=schedule.owner_id)
    appointments = list(
        Appointment.objects.filter(
            governed,
            status__in=Appointment.HOLDING,
            start_time__gte=now,
            start_time__lt=now + OUTSIDE_AHEAD,
        )
        .select_related("user", "calendar", "time_slot")
        .distinct()
        .order_by("start_time")
    )
    if not appointments:
        return []
    start, end = appointments[0].start_time, max(a.end_time for a in appointments)
    working, _ = _working(schedule, start, end)
    return [OutsideBooking(a, a.start_time) for a in appointments if outside_hours(a, working)]
