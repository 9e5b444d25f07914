"""Availability reads: load a calendar's rules and what occupies a window, hand plain values to
the pure scheduling core. Two queries whatever the size of the history:

1. weekly hours and the window's date overrides (one UNION);
2. the window's active appointments, free published slots, time off and external busy time
   (one UNION), each an indexed range scan bounded on both sides.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

from appointments import scheduling
from appointments.errors import FreeSlot
from appointments.models import Calendar
from appointments.scheduling import Interval, Occupancy, Reason, Rules, WallInterval

# A slot or appointment is at most this long (time_slot_create enforces it), so the appointments
# that can reach into a window start at most this long before it: the range scan has a lower bound.
MAX_LENGTH = timedelta(hours=24)
DAY = timedelta(days=1)


# The two reads below are hand-written SQL (portable: SQLite and PostgreSQL) because they sit on
# the hot path of every availability answer: building the same UNIONs with the ORM costs ~2.5 ms
# per call, running them ~0.1 ms. Each branch is a range scan on a (calendar, time) index with
# both ends bounded, so the cost does not grow with the history.
RULES_SQL = """
SELECT weekday, NULL, start_time, end_time FROM appointments_workinghours WHERE calendar_id = %s
UNION ALL
SELECT NULL, date, start_time, end_time FROM appointments_dateoverride
 WHERE calendar_id = %s AND date >= %s AND date <= %s
"""

OCCUPANCY_SQL = """
SELECT start_time, end_time, id, 'appointment' FROM appointments_appointment
 WHERE calendar_id = %s AND status = 'confirmed' AND start_time >= %s AND start_time < %s AND id <> %s
UNION ALL
SELECT start_time, end_time, id, 'published' FROM appointments_timeslot slot
 WHERE calendar_id = %s AND is_generated = %s AND start_time >= %s AND start_time < %s
   AND NOT EXISTS (SELECT 1 FROM appointments_appointment booked WHERE booked.time_slot_id = slot.id
                   AND booked.status = 'confirmed' AND booked.id <> %s)
UNION ALL
SELECT start_time, end_time, id, 'time_off' FROM appointments_timeoff
 WHERE calendar_id = %s AND end_time > %s AND start_time < %s
UNION ALL
SELECT start_time, end_time, id, 'busy' FROM calendars_busyblock
 WHERE calendar_id = %s AND end_time > %s AND start_time < %s
"""

NO_APPOINTMENT = -1  # ids are positive: "exclude none" without a second variant of the SQL


def calendar_rules(calendar: Calendar, first_day: date, last_day: date) -> Rules:
    """The calendar's rules with its weekly hours and the overrides of [first_day, last_day]."""
    adapt = connection.ops.adapt_datefield_value
    params = [calendar.pk, calendar.pk, adapt(first_day), adapt(last_day)]
    hours: dict[int, list[WallInterval]] = {}
    dated: dict[date, list[WallInterval]] = {}
    with connection.cursor() as cursor:
        cursor.execute(RULES_SQL, params)
        rows = cursor.fetchall()
    for weekday, day, start, end in rows:
        if day is None:
            hours.setdefault(weekday, []).append(WallInterval(_time(start), _time(end)))
        else:
            # A row without times closes the date: it stays in `dated`, with no hours.
            intervals = dated.setdefault(_date(day), [])
            if start is not None:
                intervals.append(WallInterval(_time(start), _time(end)))
    return Rules(
        time_zone=calendar.time_zone,
        weekly=hours,
        overrides=dated,
        length=timedelta(minutes=calendar.length_minutes),
        step=timedelta(minutes=calendar.step_minutes) if calendar.step_minutes else None,
        buffer_before=timedelta(minutes=calendar.buffer_before_minutes),
        buffer_after=timedelta(minutes=calendar.buffer_after_minutes),
        minimum_notice=timedelta(minutes=calendar.minimum_notice_minutes),
        horizon=timedelta(days=calendar.horizon_days),
        max_per_day=calendar.max_per_day,
    )


def window_occupancy(
    calendar: Calendar, start: datetime, end: datetime, *, exclude_appointment: int | None = None
) -> tuple[Occupancy, dict[datetime, int]]:
    """What occupies [start, end) (widened by a day for buffers and daily maxima), and the ids of
    the free published slots by start."""
    adapt = connection.ops.adapt_datetimefield_value
    # A day either side, plus the longest slot: every appointment that can reach into the window
    # and every appointment of the local dates it touches (a fall-back day lasts 25 hours).
    reach_start, reach_end = adapt(start - DAY - MAX_LENGTH), adapt(end + DAY + MAX_LENGTH)
    excluded = exclude_appointment or NO_APPOINTMENT
    pk = calendar.pk
    params = [pk, reach_start, reach_end, excluded, pk, False, reach_start, reach_end, excluded]
    params += [pk, reach_start, reach_end, pk, reach_start, reach_end]
    with connection.cursor() as cursor:
        cursor.execute(OCCUPANCY_SQL, params)
        rows = cursor.fetchall()
    groups: dict[str, list[Interval]] = {
        "appointment": [],
        "published": [],
        "time_off": [],
        "busy": [],
    }
    slot_ids: dict[datetime, int] = {}
    for begin, finish, row_id, kind in rows:
        begin, finish = _utc(begin), _utc(finish)
        groups[kind].append(Interval(begin, finish))
        if kind == "published":
            slot_ids[begin] = row_id
    occupancy = Occupancy(
        appointments=groups["appointment"],
        busy=groups["busy"],
        time_off=groups["time_off"],
        published=groups["published"],
    )
    return occupancy, slot_ids


def _utc(value: datetime | str) -> datetime:
    # Raw SQLite rows carry naive UTC text ('2026-11-25 09:00:00'); PostgreSQL gives aware values.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _time(value: time | str) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _local_day_range(calendar: Calendar, start: datetime, end: datetime) -> tuple[date, date]:
    zone = ZoneInfo(calendar.time_zone)
    return (start - DAY).astimezone(zone).date(), (end + DAY).astimezone(zone).date()


def available_slots(
    calendar: Calendar,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_appointment: int | None = None,
) -> list[FreeSlot]:
    """Bookable times of the calendar starting in [window_start, window_end): published and computed."""
    if not calendar.is_active:
        return []
    rules = calendar_rules(calendar, *_local_day_range(calendar, window_start, window_end))
    occupancy, slot_ids = window_occupancy(
        calendar, window_start, window_end, exclude_appointment=exclude_appointment
    )
    slots = scheduling.available_slots(rules, occupancy, window_start, window_end, now)
    return [FreeSlot(s.start, s.end, slot_ids.get(s.start) if s.published else None) for s in slots]


def explain_unavailable(
    calendar: Calendar,
    start: datetime,
    now: datetime,
    *,
    end: datetime | None = None,
    exclude_appointment: int | None = None,
) -> list[Reason]:
    """Why [start, start + length) (or [start, end) for a published slot) cannot be booked."""
    last = end or start + timedelta(minutes=calendar.length_minutes)
    rules = calendar_rules(calendar, *_local_day_range(calendar, start, last))
    occupancy, _ = window_occupancy(calendar, start, last, exclude_appointment=exclude_appointment)
    return scheduling.explain(rules, occupancy, start, now, end)


def nearest_free_slots(
    calendar: Calendar, *, around: datetime, now: datetime, limit: int = 3
) -> list[FreeSlot]:
    """Up to `limit` free times of the calendar nearest to `around`, searching a week either side."""
    window_start = max(around - timedelta(days=7), now)
    free = available_slots(
        calendar, window_start=window_start, window_end=around + timedelta(days=7), now=now
    )
    nearest = sorted(free, key=lambda slot: abs(slot.start - around))[:limit]
    return sorted(nearest, key=lambda slot: slot.start)
