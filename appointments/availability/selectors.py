"""Availability reads: an event type's hosts, their schedules and everything that occupies them,
handed as plain values to the pure scheduling core.

Two queries whatever the size of the history or the number of hosts:

1. `HOURS_SQL`: the hosts of the event types asked about, the schedule each one works to (a
   personal event type's own schedule; a team host's default one), and those schedules' zones,
   weekly hours and the window's date overrides;
2. `OCCUPANCY_SQL`: what occupies those people around the window: every active appointment
   they take part in, as host (with the buffers of that appointment's own event type) or as
   booker, their time off, their external busy time, and the free published slots of the event
   types. Each branch is an indexed range scan bounded on both sides.

The SQL is hand-written (portable: SQLite and PostgreSQL; the first branch of a UNION casts its
NULLs, as PostgreSQL takes each column's type from there) because it sits on the hot path of
every availability answer: building the same UNIONs with the ORM cost ~2.5 ms per call,
running them ~0.1 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

from appointments import scheduling
from appointments.models import Calendar
from appointments.scheduling import (
    Assignment,
    Booked,
    HostsExplanation,
    HostTime,
    Interval,
    Occupancy,
    Reason,
    Rules,
    WallInterval,
)

# A slot or appointment is at most this long (the services enforce it), so the appointments
# that can reach into a window start at most this long before it: the range scan has a lower
# bound. Buffers are at most a day on either side as well.
MAX_LENGTH = timedelta(hours=24)
DAY = timedelta(days=1)
NO_APPOINTMENT = -1  # ids are positive: "exclude none" without a second variant of the SQL


@dataclass(frozen=True)
class FreeSlot:
    """A bookable time: a published slot (slot_id) or a computed one, and who can take it."""

    start: datetime
    end: datetime
    slot_id: int | None = None
    hosts: frozenset[int] = field(default=frozenset(), compare=False)


def _in(count: int) -> str:
    return ", ".join(["%s"] * count)


def _hours_sql(calendars: int) -> str:
    return f"""
WITH hs AS (
  SELECT h.calendar_id, h.user_id AS person,
         COALESCE(c.schedule_id, (SELECT s.id FROM appointments_schedule s
                                   WHERE s.owner_id = h.user_id AND s.is_default = %s)) AS schedule_id
    FROM appointments_host h JOIN appointments_calendar c ON c.id = h.calendar_id
   WHERE h.calendar_id IN ({_in(calendars)})
)
SELECT 'host', schedule_id, person, calendar_id, CAST(NULL AS DATE), CAST(NULL AS VARCHAR(64)),
       CAST(NULL AS TIME), CAST(NULL AS TIME) FROM hs
UNION ALL
SELECT 'zone', s.id, NULL, NULL, NULL, s.time_zone, NULL, NULL FROM appointments_schedule s
 WHERE s.id IN (SELECT schedule_id FROM hs)
UNION ALL
SELECT 'weekly', w.schedule_id, w.weekday, NULL, NULL, NULL, w.start_time, w.end_time
  FROM appointments_workinghours w WHERE w.schedule_id IN (SELECT schedule_id FROM hs)
UNION ALL
SELECT 'override', o.schedule_id, NULL, NULL, o.date, NULL, o.start_time, o.end_time
  FROM appointments_dateoverride o
 WHERE o.schedule_id IN (SELECT schedule_id FROM hs) AND o.date >= %s AND o.date <= %s
UNION ALL
SELECT 'buffers', NULL, MAX(c.buffer_before_minutes), MAX(c.buffer_after_minutes), NULL, NULL,
       NULL, NULL
  FROM appointments_host h JOIN appointments_calendar c ON c.id = h.calendar_id
 WHERE h.user_id IN (SELECT person FROM hs)
"""


def _occupancy_sql(people: int, calendars: int) -> str:
    # SQLite keeps times as naive UTC text: read them as text with the offset appended, skipping
    # the driver's converter, so that `_utc` parses each in one call (fromisoformat then
    # replace(tzinfo=) costs ten times as much: it was half the cost of a row on the hot path).
    t = "(CAST({} AS TEXT) || '+00:00')".format if connection.vendor == "sqlite" else "{}".format
    return f"""
SELECT o.person_id, 'appointment', {t("o.start_time")}, {t("o.end_time")}, o.appointment_id, a.calendar_id,
       o.is_host, c.buffer_before_minutes, c.buffer_after_minutes
  FROM appointments_occupation o
  JOIN appointments_appointment a ON a.id = o.appointment_id
  JOIN appointments_calendar c ON c.id = a.calendar_id
 WHERE o.person_id IN ({_in(people)}) AND o.start_time >= %s AND o.start_time < %s
   AND o.end_time > %s AND o.appointment_id <> %s
UNION ALL
SELECT NULL, 'published', {t("slot.start_time")}, {t("slot.end_time")}, slot.id, slot.calendar_id,
       NULL, NULL, NULL
  FROM appointments_timeslot slot
 WHERE slot.calendar_id IN ({_in(calendars)}) AND slot.is_generated = %s
   AND slot.start_time >= %s AND slot.start_time < %s
   AND NOT EXISTS (SELECT 1 FROM appointments_appointment booked
                    WHERE booked.time_slot_id = slot.id AND booked.status = 'confirmed'
                      AND booked.id <> %s)
UNION ALL
SELECT s.owner_id, 'time_off', {t("t.start_time")}, {t("t.end_time")}, t.id, NULL, NULL, NULL, NULL
  FROM appointments_timeoff t JOIN appointments_schedule s ON s.id = t.schedule_id
 WHERE s.owner_id IN ({_in(people)}) AND t.end_time > %s AND t.start_time < %s
UNION ALL
SELECT b.user_id, 'busy', {t("b.start_time")}, {t("b.end_time")}, b.id, b.source_id, NULL, NULL, NULL
  FROM calendars_busyblock b
 WHERE b.user_id IN ({_in(people)}) AND b.end_time > %s AND b.start_time < %s
"""


@dataclass
class _Schedule:
    zone: str = "UTC"
    weekly: dict[int, list[WallInterval]] = field(default_factory=dict)
    overrides: dict[date, list[WallInterval]] = field(default_factory=dict)


# One appointment a person takes part in: start, end, appointment id, its event type's id, whether
# the person hosts it, and that event type's buffers (minutes). Turned into the core's values per
# event type asked about (`_appointments_for`), since what counts depends on it.
_Held = tuple[datetime, datetime, int, int, bool, int, int]


@dataclass
class _Person:
    appointments: list[_Held] = field(default_factory=list)
    time_off: list[Interval] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """What the core needs for some event types around [start, end): per event type its hosts
    (person id -> schedule id); the schedules; each person's occupancy; published slots."""

    hosts: dict[int, dict[int, int]]
    schedules: dict[int, _Schedule]
    people: dict[int, _Person]
    published: dict[int, list[Interval]]
    slot_ids: dict[tuple[int, datetime], int]


def _hours(calendar_ids: Sequence[int], start: datetime, end: datetime):
    # Local dates of any zone (offsets within +-14 h) lie within a day of the UTC dates.
    first_day, last_day = (start - 2 * DAY).date(), (end + 2 * DAY).date()
    adapt = connection.ops.adapt_datefield_value
    params = [True, *calendar_ids, adapt(first_day), adapt(last_day)]
    with connection.cursor() as cursor:
        cursor.execute(_hours_sql(len(calendar_ids)), params)
        rows = cursor.fetchall()
    hosts: dict[int, dict[int, int]] = {pk: {} for pk in calendar_ids}
    schedules: dict[int, _Schedule] = {}
    buffers = 0
    for kind, schedule_id, number, calendar_id, day, zone, begin, finish in rows:
        schedule = schedules.setdefault(schedule_id, _Schedule()) if schedule_id else None
        if kind == "buffers":
            buffers = max(number or 0, calendar_id or 0)
        elif kind == "host":
            if schedule is not None:  # a team member without any schedule offers no time
                hosts[calendar_id][number] = schedule_id
        elif kind == "zone":
            schedule.zone = zone
        elif kind == "weekly":
            schedule.weekly.setdefault(number, []).append(WallInterval(_time(begin), _time(finish)))
        else:
            # A row without times closes the date: it stays in `overrides`, with no hours.
            intervals = schedule.overrides.setdefault(_date(day), [])
            if begin is not None:
                intervals.append(WallInterval(_time(begin), _time(finish)))
    return hosts, schedules, timedelta(minutes=buffers)


def load_window(
    calendars: Sequence[Calendar],
    start: datetime,
    end: datetime,
    *,
    exclude_appointment: int | None = None,
) -> Window:
    """Two queries for any number of event types and hosts."""
    by_pk = {calendar.pk: calendar for calendar in calendars}
    hosts, schedules, their_buffers = _hours(list(by_pk), start, end)
    people = sorted({person for persons in hosts.values() for person in persons})
    window = Window(hosts, schedules, {p: _Person() for p in people}, {pk: [] for pk in by_pk}, {})
    if not people:
        return window
    adapt = connection.ops.adapt_datetimefield_value
    low, high = reach(calendars, start, end, their_buffers)
    excluded = exclude_appointment or NO_APPOINTMENT
    params = [*people, adapt(low - MAX_LENGTH), adapt(high), adapt(low), excluded]
    # Published slots give way to nothing but can shadow grid times a day either side.
    params += [*by_pk, False, adapt(start - MAX_LENGTH), adapt(end + MAX_LENGTH), excluded]
    params += [*people, adapt(low), adapt(high), *people, adapt(low), adapt(high)]
    with connection.cursor() as cursor:
        cursor.execute(_occupancy_sql(len(people), len(by_pk)), params)
        rows = cursor.fetchall()
    _fill(window, rows)
    return window


def reach(
    calendars: Sequence[Calendar], start: datetime, end: datetime, their_buffers: timedelta
) -> tuple[datetime, datetime]:
    """What can stand in the way of a time starting in [start, end): anything that ends after
    `low` and starts before `high`. A candidate lasts the event type's length and keeps its
    buffers; an appointment keeps the buffers of its own event type (`their_buffers`, the
    largest among what the hosts host). A daily maximum counts whole local dates (a day either
    side covers every zone, and 25-hour days)."""
    length = max(timedelta(minutes=c.length_minutes) for c in calendars)
    buffers = max(
        their_buffers,
        *(
            timedelta(minutes=max(c.buffer_before_minutes, c.buffer_after_minutes))
            for c in calendars
        ),
    )
    if any(calendar.max_per_day is not None for calendar in calendars):
        return start - DAY - MAX_LENGTH, end + DAY + MAX_LENGTH
    return start - buffers, end + length + buffers


def _fill(window: Window, rows) -> None:
    for person, kind, begin, finish, row_id, owner_id, is_host, before, after in rows:
        begin, finish = _utc(begin), _utc(finish)
        if kind == "appointment":
            held = (begin, finish, row_id, owner_id, bool(is_host), before, after)
            window.people[person].appointments.append(held)
        elif kind == "published":
            window.published[owner_id].append(Interval(begin, finish))
            window.slot_ids[(owner_id, begin)] = row_id
        elif kind == "time_off":
            window.people[person].time_off.append(Interval(begin, finish, ref=("time_off", row_id)))
        else:
            window.people[person].busy.append(Interval(begin, finish, ref=("busy", owner_id)))


def rules_for(calendar: Calendar, schedule: _Schedule) -> Rules:
    """A host's schedule with the event type's policies."""
    return Rules(
        time_zone=schedule.zone,
        weekly=schedule.weekly,
        overrides=schedule.overrides,
        length=timedelta(minutes=calendar.length_minutes),
        step=timedelta(minutes=calendar.step_minutes) if calendar.step_minutes else None,
        buffer_before=timedelta(minutes=calendar.buffer_before_minutes),
        buffer_after=timedelta(minutes=calendar.buffer_after_minutes),
        minimum_notice=timedelta(minutes=calendar.minimum_notice_minutes),
        horizon=timedelta(days=calendar.horizon_days),
        max_per_day=calendar.max_per_day,
    )


def _appointments_for(calendar: Calendar, held: list[_Held]) -> list[Interval]:
    """A person's appointments as the event type sees them: each keeps the buffers of its own
    event type (none when the person is the client), and only the event type's own count
    toward its daily maximum.

    A plain `Interval` means "the event type's own buffers, counted": it stands for every
    appointment for which that is what `Booked` would say, as it costs half as much to build
    (a team of ten hosts brings a thousand of them to each read)."""
    pk, counting = calendar.pk, calendar.max_per_day is not None
    own = (calendar.buffer_before_minutes, calendar.buffer_after_minutes)
    found: list[Interval] = []
    for begin, finish, appointment_id, calendar_id, is_host, before, after in held:
        ref = ("appointment", appointment_id)
        buffers = (before, after) if is_host else (0, 0)
        counts = is_host and calendar_id == pk
        if buffers == own and (counts or not counting):
            found.append(Interval(begin, finish, ref=ref))
        else:
            found.append(
                Booked(
                    begin,
                    finish,
                    buffer_before=timedelta(minutes=buffers[0]),
                    buffer_after=timedelta(minutes=buffers[1]),
                    counts_toward_daily_maximum=counts,
                    ref=ref,
                )
            )
    return found


def host_times(calendar: Calendar, window: Window) -> list[HostTime]:
    hosts = []
    for person, schedule_id in sorted(window.hosts.get(calendar.pk, {}).items()):
        held = window.people[person]
        occupancy = Occupancy(
            appointments=_appointments_for(calendar, held.appointments),
            busy=held.busy,
            time_off=held.time_off,
        )
        hosts.append(
            HostTime(person, rules_for(calendar, window.schedules[schedule_id]), occupancy)
        )
    return hosts


def assignment_of(calendar: Calendar) -> Assignment:
    if calendar.assignment == Calendar.Assignment.COLLECTIVE:
        return Assignment.COLLECTIVE
    return Assignment.ROUND_ROBIN  # one host: both give the host's own slots


def slots_from_window(
    calendar: Calendar, window: Window, start: datetime, end: datetime, now: datetime
) -> list[FreeSlot]:
    hosts = host_times(calendar, window)
    if not calendar.is_active or not hosts:
        return []
    published = window.published.get(calendar.pk, [])
    slots = scheduling.hosts_available_slots(
        hosts, assignment_of(calendar), start, end, now, published=published
    )
    ids = window.slot_ids
    return [
        FreeSlot(
            slot.start,
            slot.end,
            ids.get((calendar.pk, slot.start)) if slot.published else None,
            slot.hosts,
        )
        for slot in slots
    ]


def available_slots(
    calendar: Calendar,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_appointment: int | None = None,
) -> list[FreeSlot]:
    """Bookable times of the event type starting in [window_start, window_end): published and
    computed, each with the hosts free to take it."""
    if not calendar.is_active:
        return []
    window = load_window(
        [calendar], window_start, window_end, exclude_appointment=exclude_appointment
    )
    return slots_from_window(calendar, window, window_start, window_end, now)


@dataclass(frozen=True)
class HostCheck:
    """Whether [start, end) can be booked on an event type: the hosts free then, why the others
    are not (with the obstacle that excludes them), and whether the event type offers it (some
    host free for round-robin; every host, on their shared grid, for collective)."""

    free: list[int]
    explanation: HostsExplanation | None

    @property
    def offered(self) -> bool:
        return self.explanation is not None and self.explanation.offered

    @property
    def reasons(self) -> dict[int, list[Reason]]:
        return self.explanation.reasons if self.explanation is not None else {}

    @property
    def all_reasons(self) -> list[Reason]:
        if self.explanation is None:
            return []
        found = {reason for reasons in self.reasons.values() for reason in reasons}
        found.update(obstacle.reason for obstacle in self.explanation.shared)
        return [reason for reason in Reason if reason in found]


def check_hosts(
    calendar: Calendar,
    start: datetime,
    now: datetime,
    *,
    end: datetime | None = None,
    exclude_appointment: int | None = None,
) -> HostCheck:
    """The booking re-check: who can take [start, start + length) (or the published [start,
    end)), and why the others cannot."""
    last = end or start + timedelta(minutes=calendar.length_minutes)
    window = load_window([calendar], start, last, exclude_appointment=exclude_appointment)
    hosts = host_times(calendar, window)
    if not hosts:
        return HostCheck([], None)
    published = window.published.get(calendar.pk, [])
    explanation = scheduling.hosts_explain(
        hosts, assignment_of(calendar), start, now, end=end, published=published
    )
    return HostCheck(sorted(explanation.free_hosts), explanation)


def explain_unavailable(
    calendar: Calendar,
    start: datetime,
    now: datetime,
    *,
    end: datetime | None = None,
    exclude_appointment: int | None = None,
) -> list[Reason]:
    """Why [start, start + length) (or [start, end) for a published slot) cannot be booked;
    empty when it can."""
    check = check_hosts(calendar, start, now, end=end, exclude_appointment=exclude_appointment)
    if check.offered:
        return []
    return check.all_reasons or [Reason.OUTSIDE_HOURS]


def nearest_free_slots(
    calendar: Calendar, *, around: datetime, now: datetime, limit: int = 3
) -> list[FreeSlot]:
    """Up to `limit` free times of the event type nearest to `around`, a week either side."""
    window_start = max(around - timedelta(days=7), now)
    free = available_slots(
        calendar, window_start=window_start, window_end=around + timedelta(days=7), now=now
    )
    nearest = sorted(free, key=lambda slot: abs(slot.start - around))[:limit]
    return sorted(nearest, key=lambda slot: slot.start)


def first_free_slots(
    calendars: Sequence[Calendar], *, now: datetime, days: int = 14
) -> dict[int, FreeSlot | None]:
    """Each event type's first free time in the next `days` days: two queries for all of them."""
    active = [calendar for calendar in calendars if calendar.is_active]
    end = now + timedelta(days=days)
    window = load_window(active, now, end) if active else None
    first: dict[int, FreeSlot | None] = {calendar.pk: None for calendar in calendars}
    for calendar in active:
        slots = slots_from_window(calendar, window, now, end, now)
        first[calendar.pk] = slots[0] if slots else None
    return first


def _utc(value: datetime | str) -> datetime:
    # Raw SQLite rows carry UTC text ('2026-11-25 09:00:00+00:00', whose tzinfo is UTC itself);
    # PostgreSQL gives aware values in the connection's zone.
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _time(value: time | str) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
