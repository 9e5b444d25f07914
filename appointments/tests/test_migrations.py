"""The move from calendars to people (migrations 0003-0005) keeps every calendar's slots.

The database is taken back to the last per-calendar state, filled through the historical models
with a calendar that has split and past-midnight hours, overrides (closed and other hours), time
off, buffers, published slots, external busy time and appointments (active and cancelled). The
slots it offered are computed the way the per-calendar read did (its rules and its own rows
handed to the pure core), then the migrations run and the new per-person read must offer
exactly the same slots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from appointments import scheduling
from appointments.availability import selectors as availability
from appointments.models import Appointment, Calendar, Occupation, Schedule
from appointments.scheduling import Interval, Occupancy, Rules, WallInterval

BEFORE = [("appointments", "0002_postgres_no_overlap"), ("calendars", "0002_sync_push_feed")]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
WINDOW = (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC))


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def fill(apps) -> int:
    """One provider's calendar in New York with every kind of rule and row; returns its id."""
    User = apps.get_model("auth", "User")
    Calendar = apps.get_model("appointments", "Calendar")
    model = lambda name: apps.get_model("appointments", name)  # noqa: E731
    provider = User.objects.create(username="doctor", email="doctor@example.com")
    client = User.objects.create(username="patient", email="patient@example.com")
    calendar = Calendar.objects.create(
        provider=provider,
        name="Clinic",
        slug="clinic",
        time_zone="America/New_York",
        length_minutes=45,
        step_minutes=15,
        buffer_before_minutes=10,
        buffer_after_minutes=5,
        minimum_notice_minutes=120,
        horizon_days=30,
    )
    hours = [(0, time(9), time(12)), (0, time(13), time(17)), (2, time(20), time(2))]
    hours += [(day, time(8), time(16)) for day in (1, 3, 4)]
    for weekday, start, end in hours:
        model("WorkingHours").objects.create(
            calendar=calendar, weekday=weekday, start_time=start, end_time=end
        )
    model("DateOverride").objects.create(calendar=calendar, date=date(2026, 11, 26))
    model("DateOverride").objects.create(
        calendar=calendar, date=date(2026, 11, 28), start_time=time(10), end_time=time(14)
    )
    model("TimeOff").objects.create(
        calendar=calendar, start_time=dec(1, 14), end_time=dec(2, 18), reason="Conference"
    )
    slot_model = model("TimeSlot")
    published = slot_model.objects.create(
        calendar=calendar, start_time=nov(30, 23), end_time=nov(30, 23, 30)
    )
    slot_model.objects.create(calendar=calendar, start_time=dec(4, 23), end_time=dec(5, 0))
    for start, status in [
        (nov(30, 15), "confirmed"),
        (dec(3, 14), "confirmed"),
        (dec(4, 14), "cancelled"),
    ]:
        slot = slot_model.objects.create(
            calendar=calendar,
            start_time=start,
            end_time=start + timedelta(minutes=45),
            is_generated=True,
        )
        model("Appointment").objects.create(
            user=client,
            calendar=calendar,
            time_slot=slot,
            start_time=slot.start_time,
            end_time=slot.end_time,
            status=status,
        )
    model("Appointment").objects.create(
        user=client,
        calendar=calendar,
        time_slot=published,
        start_time=published.start_time,
        end_time=published.end_time,
    )
    source = apps.get_model("calendars", "BusySource").objects.create(
        calendar=calendar, kind="ics", name="Work", url="https://example.com/work.ics"
    )
    apps.get_model("calendars", "BusyBlock").objects.create(
        source=source, calendar=calendar, start_time=nov(25, 18), end_time=nov(25, 19, 30)
    )
    return calendar.pk


def slots_before(apps, pk: int) -> list[tuple[datetime, datetime, bool]]:
    """The per-calendar read: the calendar's rules and its own rows, into the pure core."""
    model = lambda name: apps.get_model("appointments", name)  # noqa: E731
    calendar = model("Calendar").objects.get(pk=pk)
    weekly: dict[int, list[WallInterval]] = {}
    for row in model("WorkingHours").objects.filter(calendar=calendar):
        weekly.setdefault(row.weekday, []).append(WallInterval(row.start_time, row.end_time))
    overrides: dict[date, list[WallInterval]] = {}
    for row in model("DateOverride").objects.filter(calendar=calendar):
        hours = overrides.setdefault(row.date, [])
        if row.start_time is not None:
            hours.append(WallInterval(row.start_time, row.end_time))
    active = model("Appointment").objects.filter(calendar=calendar, status="confirmed")
    booked_slots = set(active.values_list("time_slot_id", flat=True))
    published = model("TimeSlot").objects.filter(calendar=calendar, is_generated=False)
    busy = apps.get_model("calendars", "BusyBlock").objects.filter(calendar=calendar)
    rules = Rules(
        time_zone=calendar.time_zone,
        weekly=weekly,
        overrides=overrides,
        length=timedelta(minutes=calendar.length_minutes),
        step=timedelta(minutes=calendar.step_minutes),
        buffer_before=timedelta(minutes=calendar.buffer_before_minutes),
        buffer_after=timedelta(minutes=calendar.buffer_after_minutes),
        minimum_notice=timedelta(minutes=calendar.minimum_notice_minutes),
        horizon=timedelta(days=calendar.horizon_days),
    )
    occupancy = Occupancy(
        appointments=[Interval(a.start_time, a.end_time) for a in active],
        busy=[Interval(b.start_time, b.end_time) for b in busy],
        time_off=[
            Interval(t.start_time, t.end_time)
            for t in model("TimeOff").objects.filter(calendar=calendar)
        ],
        published=[
            Interval(s.start_time, s.end_time) for s in published if s.pk not in booked_slots
        ],
    )
    found = scheduling.available_slots(rules, occupancy, *WINDOW, NOW)
    return [(slot.start, slot.end, slot.published) for slot in found]


@pytest.mark.django_db(transaction=True)
def test_every_calendar_offers_exactly_the_same_slots_after_the_move_to_people():
    leaves = latest()
    try:
        old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
        pk = fill(old_apps)
        expected = slots_before(old_apps, pk)
        migrate(leaves)
    finally:
        migrate(leaves)  # whatever happened, leave the schema as the other tests expect it

    calendar = Calendar.objects.get(pk=pk)
    found = availability.available_slots(
        calendar, window_start=WINDOW[0], window_end=WINDOW[1], now=NOW
    )
    assert len(expected) > 100
    assert [(slot.start, slot.end, slot.slot_id is not None) for slot in found] == expected
    schedule = Schedule.objects.get()
    assert (schedule.owner, schedule.time_zone, schedule.is_default) == (
        calendar.provider,
        "America/New_York",
        True,
    )
    assert calendar.schedule == schedule and calendar.host_rows.get().user == calendar.provider
    assert schedule.working_hours.count() == 6 and schedule.date_overrides.count() == 2
    assert schedule.time_off.get().reason == "Conference"
    assert calendar.provider.busy_sources.get().blocks.get().user == calendar.provider
    # Every appointment keeps its host; each active one holds its host's and its booker's time.
    assert {a.host_rows.get().user for a in Appointment.objects.all()} == {calendar.provider}
    assert Occupation.objects.count() == 2 * Appointment.objects.active().count() == 6
