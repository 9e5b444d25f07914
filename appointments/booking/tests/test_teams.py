"""Team event types through the booking services: who a round-robin booking goes to, and that a
collective booking takes every host's time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from appointments.availability import selectors as availability
from appointments.booking import services
from appointments.errors import BookingError
from appointments.event_types.services import schedule_create
from appointments.models import Appointment, Calendar, Host, Occupation, Team
from conftest import NOW

pytestmark = pytest.mark.django_db
WED = datetime(2026, 11, 25, tzinfo=UTC)
OFFICE = {weekday: [(time(9), time(17))] for weekday in range(5)}


def at(hour: int, minute: int = 0, day: datetime = WED) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.fixture
def hosts(make_user):
    people = [make_user(name) for name in ("ann", "bob", "cat")]
    for person in people:
        schedule_create(owner=person, time_zone="UTC", hours=OFFICE)
    return people


def team_event_type(hosts, assignment, *, slug: str = "team") -> Calendar:
    team = Team.objects.get_or_create(name="Clinic", slug="clinic")[0]
    calendar = Calendar.objects.create(
        provider=hosts[0], team=team, name=slug, slug=slug, assignment=assignment
    )
    Host.objects.bulk_create(Host(calendar=calendar, user=host) for host in hosts)
    return calendar


@pytest.fixture
def round_robin(hosts):
    return team_event_type(hosts, Calendar.Assignment.ROUND_ROBIN, slug="round-robin")


@pytest.fixture
def collective(hosts):
    return team_event_type(hosts, Calendar.Assignment.COLLECTIVE, slug="collective")


def book(calendar, booker, start, now=NOW) -> Appointment:
    return services.appointment_book(user=booker, calendar=calendar, start=start, now=now)


def host_of(appointment: Appointment):
    return appointment.host_rows.get().user


def test_a_round_robin_booking_goes_to_the_host_with_the_fewest_recent_bookings(
    round_robin, hosts, make_user
):
    ann, bob, cat = hosts
    # Nobody booked yet: the smallest id (Ann); then Bob, who has none while Ann has one.
    earlier = [book(round_robin, make_user(f"a{i}"), at(9 + i)) for i in range(2)]
    assert [host_of(a) for a in earlier] == [ann, bob]

    first = book(round_robin, make_user("c1"), at(14))
    second = book(round_robin, make_user("c2"), at(15))

    assert host_of(first) == cat  # none yet
    assert host_of(second) == ann  # all at one: Ann was booked longest ago


def test_bookings_older_than_thirty_days_and_cancelled_ones_do_not_count(
    round_robin, hosts, make_user, client_user
):
    ann, bob, cat = hosts
    old = book(round_robin, make_user("long-ago"), at(10))
    Appointment.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=31))
    cancelled = book(round_robin, make_user("changed-mind"), at(11))
    services.appointment_cancel(appointment=cancelled, by_user=cancelled.user, now=NOW)
    assert (host_of(old), host_of(cancelled)) == (ann, bob)

    chosen = [book(round_robin, make_user(f"c{i}"), at(14 + i)) for i in range(3)]

    # Nobody has a booking that counts, so the tie goes to who was booked longest ago: Bob and
    # Cat never were (Bob's only booking was cancelled), Bob has the smaller id; then Cat; then
    # Ann, whose booking of 31 days ago no longer counts but makes her the last one free of a
    # recent booking.
    assert [host_of(a) for a in chosen] == [bob, cat, ann]


def test_ties_between_hosts_never_booked_go_to_the_smallest_id(round_robin, hosts, client_user):
    assert host_of(book(round_robin, client_user, at(10))) == min(hosts, key=lambda h: h.pk)


def test_a_busy_host_is_never_chosen_and_a_time_is_offered_while_one_host_is_free(
    round_robin, hosts, make_user, make_calendar
):
    ann, bob, cat = hosts
    own = make_calendar(ann, name="Ann's own", slug="anns", schedule=ann.schedules.get())
    book(own, make_user("ann-client"), at(10))  # Ann is busy at 10:00 on her own event type

    first = book(round_robin, make_user("x1"), at(10))
    second = book(round_robin, make_user("x2"), at(10))

    assert {host_of(first), host_of(second)} == {bob, cat}
    assert at(10) not in [s.start for s in slots(round_robin)]
    with pytest.raises(BookingError) as refusal:
        book(round_robin, make_user("x3"), at(10))
    assert refusal.value.code == "taken"


def test_each_offered_round_robin_time_names_its_free_hosts(round_robin, hosts, make_user):
    _, bob, cat = hosts
    book(round_robin, make_user("x1"), at(10))  # goes to Ann (smallest id)

    at_ten = next(slot for slot in slots(round_robin) if slot.start == at(10))

    assert at_ten.hosts == {bob.pk, cat.pk}


def slots(calendar, day: datetime = WED):
    return availability.available_slots(
        calendar, window_start=day, window_end=day + timedelta(days=1), now=NOW
    )


def test_a_collective_time_is_offered_only_when_every_host_is_free(
    collective, hosts, make_user, make_calendar
):
    ann, bob, cat = hosts
    bobs = make_calendar(bob, name="Bob's own", slug="bobs", schedule=bob.schedules.get())
    book(bobs, make_user("bob-client"), at(11))

    offered = [slot.start for slot in slots(collective)]

    assert at(10) in offered and at(11) not in offered and at(11, 30) in offered
    assert all(slot.hosts == {ann.pk, bob.pk, cat.pk} for slot in slots(collective))


def test_a_collective_booking_involves_and_blocks_every_host(
    collective, hosts, client_user, make_calendar
):
    booked = book(collective, client_user, at(10))

    assert set(booked.host_users) == set(hosts)
    assert Occupation.objects.filter(appointment=booked).count() == len(hosts) + 1
    for host in hosts:
        personal = make_calendar(
            host, name=f"{host}'s", slug=f"own-{host.pk}", schedule=host.schedules.get()
        )
        assert at(10) not in [slot.start for slot in slots(personal)]
        with pytest.raises(BookingError) as refusal:
            book(personal, client_user, at(10))
        assert refusal.value.code in {"taken", "overlap_own"}


def test_a_host_cannot_book_a_collective_event_type_they_host(collective, hosts):
    with pytest.raises(BookingError) as refusal:
        book(collective, hosts[1], at(10))

    assert refusal.value.code == "own_calendar"
    assert not Appointment.objects.exists()


def test_a_rescheduled_round_robin_booking_keeps_its_host_when_free_else_moves(
    round_robin, hosts, make_user, make_calendar
):
    ann = hosts[0]
    booked = book(round_robin, make_user("mover"), at(10))
    assert host_of(booked) == ann

    kept = services.appointment_reschedule(
        appointment=booked, by_user=booked.user, start=at(11), now=NOW
    )
    assert host_of(kept) == ann
    own = make_calendar(ann, name="Ann's own", slug="anns", schedule=ann.schedules.get())
    book(own, make_user("ann-client"), at(13))

    moved = services.appointment_reschedule(
        appointment=kept, by_user=kept.user, start=at(13), now=NOW
    )

    assert host_of(moved) != ann
    assert list(Occupation.objects.filter(appointment=moved).values_list("person", flat=True)) != []
    assert not Occupation.objects.filter(appointment=moved, person=ann).exists()
    assert ann.notifications.filter(message__startswith="Now with another host").exists()


def queries_of_a_week(calendar) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        availability.available_slots(
            calendar, window_start=WED, window_end=WED + timedelta(days=7), now=NOW
        )
    return len(queries)


def team_of(make_user, size: int, assignment) -> Calendar:
    people = [make_user(f"host{size}-{n}") for n in range(size)]
    for person in people:
        schedule_create(owner=person, time_zone="UTC", hours=OFFICE)
    calendar = team_event_type(people, assignment, slug=f"team-{size}-{assignment}")
    # Every host has bookings to read: round-robin gives each booker the next free host.
    bookings = size if assignment == Calendar.Assignment.ROUND_ROBIN else 1
    for n in range(bookings):
        book(calendar, make_user(f"booker{size}-{n}"), at(10))
    return calendar


@pytest.mark.parametrize(
    "assignment", [Calendar.Assignment.ROUND_ROBIN, Calendar.Assignment.COLLECTIVE]
)
def test_the_team_availability_read_runs_as_many_queries_for_six_hosts_as_for_two(
    make_user, assignment
):
    two = team_of(make_user, 2, assignment)
    six = team_of(make_user, 6, assignment)

    booked_hosts = {row.user_id for a in six.appointments.all() for row in a.host_rows.all()}
    assert len(booked_hosts) == 6
    assert queries_of_a_week(two) == queries_of_a_week(six)
