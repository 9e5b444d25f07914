"""Computed availability through the database: rules re-checked at booking, explain, query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.availability import selectors as availability
from appointments.booking import services
from appointments.booking.hosts import hold
from appointments.errors import BookingError
from appointments.models import Appointment, DateOverride, TimeOff, TimeSlot, WorkingHours
from appointments.scheduling import Reason
from calendars.models import BusyBlock, BusySource
from conftest import NOW

pytestmark = pytest.mark.django_db

WED = datetime(2026, 11, 25, tzinfo=UTC)  # London is on UTC in November


def at(hour: int, minute: int = 0, day: datetime = WED) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.fixture
def hours(calendar):
    for weekday in range(5):
        WorkingHours.objects.create(
            schedule=calendar.schedule, weekday=weekday, start_time=time(9), end_time=time(17)
        )
    return calendar


def slots_on(calendar, day: datetime = WED, now: datetime = NOW) -> list[datetime]:
    found = availability.available_slots(
        calendar, window_start=day, window_end=day + timedelta(days=1), now=now
    )
    return [slot.start for slot in found]


def test_working_hours_give_computed_slots_without_rows(hours):
    starts = slots_on(hours)

    assert starts[0] == at(9) and starts[-1] == at(16, 30) and len(starts) == 16
    assert not TimeSlot.objects.exists()


def test_booking_a_computed_slot_creates_its_time_slot_and_removes_it(hours, client_user):
    appointment = services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)

    assert appointment.time_slot.is_generated
    assert (appointment.start_time, appointment.end_time) == (at(10), at(10, 30))
    assert at(10) not in slots_on(hours)


def test_a_cancelled_computed_booking_frees_the_time_and_its_slot_is_reused(
    hours, client_user, other_user
):
    first = services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)
    services.appointment_cancel(appointment=first, by_user=client_user, now=NOW)

    assert at(10) in slots_on(hours)
    second = services.appointment_book(user=other_user, calendar=hours, start=at(10), now=NOW)
    assert second.time_slot_id == first.time_slot_id


def test_a_longer_booking_over_an_old_cancelled_generated_slot_replaces_it(
    hours, client_user, other_user
):
    first = services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)
    services.appointment_cancel(appointment=first, by_user=client_user, now=NOW)
    hours.length_minutes = 60
    hours.save()

    second = services.appointment_book(user=other_user, calendar=hours, start=at(10), now=NOW)

    first.refresh_from_db()
    assert (second.start_time, second.end_time) == (at(10), at(11))
    assert (first.start_time, first.status, first.time_slot) == (at(10), "cancelled", None)


def test_published_slots_are_offered_beside_computed_ones(hours, make_slot):
    published = make_slot(at(18), minutes=45)

    found = availability.available_slots(
        hours, window_start=WED, window_end=WED + timedelta(days=1), now=NOW
    )

    assert [(s.start, s.end, s.slot_id) for s in found if s.slot_id] == [
        (at(18), at(18, 45), published.pk)
    ]


def test_external_busy_time_removes_slots(hours):
    source = BusySource.objects.create(
        user=hours.provider, kind="ics", name="Google", url="https://example.com/a.ics"
    )
    BusyBlock.objects.create(source=source, user=hours.provider, start_time=at(11), end_time=at(12))

    assert {at(11), at(11, 30)}.isdisjoint(slots_on(hours))


def post_computed(client, calendar, start: datetime):
    return client.post(
        reverse("appointment_create"),
        {"calendar": calendar.slug, "start": start.isoformat(), "description": "hand-crafted"},
    )


def setup_outside_hours(calendar):
    return at(7)


def setup_closed_override(calendar):
    DateOverride.objects.create(schedule=calendar.schedule, date=date(2026, 11, 25))
    return at(10)


def setup_other_hours_override(calendar):
    DateOverride.objects.create(
        schedule=calendar.schedule, date=date(2026, 11, 25), start_time=time(13), end_time=time(15)
    )
    return at(10)


def setup_time_off(calendar):
    TimeOff.objects.create(
        schedule=calendar.schedule, start_time=at(0), end_time=at(23), reason="Holiday"
    )
    return at(10)


def setup_past(calendar):
    return NOW - timedelta(days=1) + timedelta(hours=1)


def setup_notice(calendar):
    calendar.minimum_notice_minutes = 48 * 60
    calendar.save()
    return at(10)


def setup_horizon(calendar):
    calendar.horizon_days = 7
    calendar.save()
    return at(10, day=datetime(2026, 12, 9, tzinfo=UTC))


def setup_buffer(calendar, booker):
    calendar.buffer_after_minutes = 15
    calendar.save()
    services.appointment_book(user=booker, calendar=calendar, start=at(10), now=NOW)
    return at(10, 30)


def setup_daily_maximum(calendar, booker):
    calendar.max_per_day = 1
    calendar.save()
    services.appointment_book(user=booker, calendar=calendar, start=at(10), now=NOW)
    return at(14)


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        (setup_outside_hours, "outside_hours", "Outside working hours"),
        (setup_closed_override, "override", "other hours, or is closed"),
        (setup_other_hours_override, "override", "other hours, or is closed"),
        (setup_time_off, "time_off", "away"),
        (setup_past, "past", "already started or passed"),
        (setup_notice, "notice", "Too short notice"),
        (setup_horizon, "horizon", "Too far ahead"),
        (setup_buffer, "buffer", "Too close to another appointment"),
        (setup_daily_maximum, "daily_maximum", "fully booked"),
    ],
)
def test_a_hand_crafted_post_breaking_a_rule_is_refused_naming_it(
    client, hours, client_user, other_user, setup, code, words
):
    needs_booker = setup in (setup_buffer, setup_daily_maximum)
    start = setup(hours, other_user) if needs_booker else setup(hours)
    before = list(Appointment.objects.values_list("pk", "status", "start_time"))
    slots_before = TimeSlot.objects.count()
    client.force_login(client_user)

    response = post_computed(client, hours, start)

    assert response.status_code == 200
    assert words in response.text
    assert f'data-code="{code}"' in response.text
    assert list(Appointment.objects.values_list("pk", "status", "start_time")) == before
    assert TimeSlot.objects.count() == slots_before


@pytest.mark.usefixtures("frozen_now")
def test_a_hand_crafted_post_for_a_free_computed_time_books_it(client, hours, client_user):
    client.force_login(client_user)

    response = post_computed(client, hours, at(10))

    assert response.status_code == 302
    assert Appointment.objects.get().start_time == at(10)


def test_explain_names_every_rule_that_excludes_a_time(hours, other_user):
    hours.buffer_after_minutes = 15
    hours.save()
    services.appointment_book(user=other_user, calendar=hours, start=at(10), now=NOW)

    assert availability.explain_unavailable(hours, at(10), NOW) == [Reason.BOOKED]
    assert availability.explain_unavailable(hours, at(10, 30), NOW) == [Reason.BUFFER]
    assert availability.explain_unavailable(hours, at(7), NOW) == [Reason.OUTSIDE_HOURS]
    assert availability.explain_unavailable(hours, at(11), NOW) == []


def test_rescheduling_moves_the_appointment_in_place_and_bumps_its_sequence(hours, client_user):
    appointment = services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)

    moved = services.appointment_reschedule(
        appointment=appointment, by_user=client_user, start=at(10, 30), now=NOW
    )

    assert (moved.pk, moved.uid, moved.start_time, moved.sequence) == (
        appointment.pk,
        appointment.uid,
        at(10, 30),
        1,
    )
    assert at(10) in slots_on(hours)
    pending = moved.reminders.filter(state="pending").order_by("remind_at")
    assert [r.remind_at for r in pending] == [at(10, 30) - timedelta(days=1), at(9, 30)]


def test_a_refused_reschedule_changes_nothing(hours, client_user, other_user):
    mine = services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)
    services.appointment_book(user=other_user, calendar=hours, start=at(11), now=NOW)

    with pytest.raises(BookingError) as caught:
        services.appointment_reschedule(
            appointment=mine, by_user=client_user, start=at(11), now=NOW
        )

    assert caught.value.code == "taken"
    mine.refresh_from_db()
    assert (mine.start_time, mine.sequence, mine.status) == (at(10), 0, "confirmed")


def count_queries(calendar) -> int:
    with CaptureQueriesContext(connection) as queries:
        availability.available_slots(
            calendar, window_start=WED, window_end=WED + timedelta(days=7), now=NOW
        )
    return len(queries)


def add_history(calendar, booker, days: int, *, skip: int = 0) -> None:
    slots = []
    for offset in range(skip, skip + days):
        start = at(9, day=WED - timedelta(days=30 + offset))
        slots.append(
            TimeSlot(calendar=calendar, start_time=start, end_time=start + timedelta(minutes=30))
        )
    created = TimeSlot.objects.bulk_create(slots)
    booked = Appointment.objects.bulk_create(
        Appointment(
            user=booker,
            calendar=calendar,
            time_slot=s,
            start_time=s.start_time,
            end_time=s.end_time,
        )
        for s in created
    )
    for appointment in booked:  # what the booking service writes beside each appointment
        hold(appointment, [calendar.provider_id])


def test_the_query_count_does_not_grow_with_history(hours, client_user):
    services.appointment_book(user=client_user, calendar=hours, start=at(10), now=NOW)
    add_history(hours, client_user, 10)
    few = count_queries(hours)
    add_history(hours, client_user, 500, skip=10)

    assert count_queries(hours) == few == 2


def test_explain_names_the_appointment_time_off_and_calendar_in_the_way(
    hours, other_user, provider, make_calendar
):
    from zoneinfo import ZoneInfo

    from appointments.availability.explain import explain_time

    london = ZoneInfo("Europe/London")
    other_user.first_name, other_user.last_name = "Ada", "Lovelace"
    other_user.save()
    lessons = make_calendar(provider, name="Lesson", slug="lesson", schedule=hours.schedule)
    services.appointment_book(user=other_user, calendar=lessons, start=at(10), now=NOW)
    TimeOff.objects.create(
        schedule=hours.schedule, start_time=at(13), end_time=at(14), reason="Dentist"
    )
    source = BusySource.objects.create(
        user=provider, kind="ics", name="Google work", url="https://example.com/a.ics"
    )
    BusyBlock.objects.create(source=source, user=provider, start_time=at(15), end_time=at(16))

    def said(start):
        return [item.text for item in explain_time(hours, start, NOW, zone=london)]

    assert said(at(10)) == ["You have another appointment: Lesson with Ada Lovelace at 10:00."]
    assert said(at(13)) == ["You are away then (time off: Dentist)."]
    assert said(at(15)) == ["You are busy in your calendar “Google work”."]
    assert said(at(7)) == ["Outside working hours, or not on the slot grid."]
    assert said(at(11)) == []


def test_a_host_who_booked_someone_else_at_ten_is_not_offered_ten_and_explain_says_so(
    hours, provider, other_user, make_calendar
):
    from zoneinfo import ZoneInfo

    from appointments.availability.explain import explain_time

    other_user.first_name, other_user.last_name = "Grace", "Hopper"
    other_user.save()
    mentoring = make_calendar(
        other_user, name="Mentoring", slug="mentoring", hours={2: [(time(9), time(17))]}
    )
    assert at(10) in slots_on(hours)

    services.appointment_book(user=provider, calendar=mentoring, start=at(10), now=NOW)

    assert at(10) not in slots_on(hours)
    assert at(9, 30) in slots_on(hours) and at(10, 30) in slots_on(hours)
    said = [item.text for item in explain_time(hours, at(10), NOW, zone=ZoneInfo("Europe/London"))]
    assert said == ["You booked Mentoring with Grace Hopper at 10:00."]
