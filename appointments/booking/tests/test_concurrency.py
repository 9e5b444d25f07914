"""Two bookings can never both win: >= 20 threads, each with its own database connection, race.

Runs on the configured database: the SQLite file by default, PostgreSQL with DATABASE_URL (CI runs
both). Transactional tests, so each thread sees committed rows and commits its own.
"""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from appointments.booking import services
from appointments.errors import BookingError
from appointments.models import Appointment, Guest, Occupation, TimeSlot

RACERS = 20
ALL_DAY = {weekday: [(time(0), time(0))] for weekday in range(7)}


def race(attempts) -> list[str]:
    """Run each attempt in its own thread, released together; return each outcome."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)

    def run(index: int, attempt) -> None:
        try:
            barrier.wait()
            attempt()
            outcomes[index] = "won"
        except BookingError as refusal:
            outcomes[index] = refusal.code
        except Exception as error:  # anything else is a failure the test reports
            outcomes[index] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twenty_clients_racing_for_one_slot_exactly_one_wins(make_user, provider, make_calendar):
    calendar = make_calendar(provider, name="Race", slug="race")
    start = timezone.now() + timedelta(days=2)
    slot = TimeSlot.objects.create(
        calendar=calendar, start_time=start, end_time=start + timedelta(minutes=30)
    )
    bookers = [make_user(f"racer{i}") for i in range(RACERS)]

    outcomes = race(
        [lambda user=user: services.appointment_book(user=user, time_slot=slot) for user in bookers]
    )

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("taken") == RACERS - 1, outcomes
    assert Appointment.objects.filter(time_slot=slot, status="confirmed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_booker_racing_for_two_overlapping_slots_on_two_calendars_wins_at_most_one(
    make_user, provider, make_calendar
):
    other_provider = make_user("provider2")
    start = timezone.now() + timedelta(days=3)
    slots = []
    for index, owner in enumerate([provider, other_provider]):
        calendar = make_calendar(owner, name=f"C{index}", slug=f"c{index}")
        begin = start + timedelta(minutes=15 * index)  # the second overlaps the first by 15 minutes
        slots.append(
            TimeSlot.objects.create(
                calendar=calendar, start_time=begin, end_time=begin + timedelta(minutes=30)
            )
        )
    booker = make_user("booker")

    outcomes = race(
        [
            lambda slot=slots[i % 2]: services.appointment_book(user=booker, time_slot=slot)
            for i in range(RACERS)
        ]
    )

    assert outcomes.count("won") <= 1, outcomes
    assert all(o in {"won", "taken", "overlap_own"} for o in outcomes), outcomes
    assert Appointment.objects.filter(user=booker, status="confirmed").count() == outcomes.count(
        "won"
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_clients_racing_for_one_computed_slot_exactly_one_wins(
    make_user, provider, make_calendar
):
    calendar = make_calendar(provider, name="Hours", slug="hours", time_zone="UTC", hours=ALL_DAY)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    bookers = [make_user(f"racer{i}") for i in range(RACERS)]

    outcomes = race(
        [
            lambda user=user: services.appointment_book(user=user, calendar=calendar, start=start)
            for user in bookers
        ]
    )

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("taken") == RACERS - 1, outcomes
    assert Appointment.objects.filter(calendar=calendar, status="confirmed").count() == 1
    assert TimeSlot.objects.filter(calendar=calendar).count() == 1


def overlapping_pairs(appointments: list[Appointment]) -> list[tuple[int, int]]:
    ordered = sorted(appointments, key=lambda a: a.start_time)
    return [
        (a.pk, b.pk)
        for index, a in enumerate(ordered)
        for b in ordered[index + 1 :]
        if b.start_time < a.end_time
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(2))
def test_one_person_is_never_booked_twice_at_once_across_event_types_and_roles(
    make_user, make_calendar, round_
):
    """The person-level guarantee: one host with two event types of different lengths offering
    overlapping times, 20 clients racing for them, and the host booking another provider at
    that very time. Whatever wins, nothing that involves the host overlaps."""
    host, other = make_user("host"), make_user("elsewhere")
    schedule_hours = {"time_zone": "UTC", "hours": ALL_DAY}
    intro = make_calendar(host, name="Intro", slug="intro", length_minutes=30, **schedule_hours)
    lesson = make_calendar(
        host, name="Lesson", slug="lesson", length_minutes=60, schedule=intro.schedule
    )
    theirs = make_calendar(other, name="Theirs", slug="theirs", **schedule_hours)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    clients = [make_user(f"client{i}") for i in range(RACERS)]
    attempts = [
        # Lessons at :00 (an hour), intros at :00 and at :30 (half an hour): a lesson overlaps
        # every intro; the two intros do not overlap each other, so both may win.
        lambda user=user, i=i: services.appointment_book(
            user=user,
            calendar=intro if i % 2 else lesson,
            start=start + (timedelta(minutes=30) if i % 4 == 1 else timedelta(0)),
        )
        for i, user in enumerate(clients)
    ]
    attempts.append(lambda: services.appointment_book(user=host, calendar=theirs, start=start))

    outcomes = race(attempts)

    involving_host = list(
        Appointment.objects.active().filter(
            pk__in=Occupation.objects.filter(person=host).values("appointment")
        )
    )
    assert overlapping_pairs(involving_host) == [], outcomes
    assert outcomes.count("won") == len(involving_host) >= 1, outcomes
    client_outcomes, host_outcome = outcomes[:-1], outcomes[-1]
    assert all(o in {"won", "taken"} for o in client_outcomes), [
        o for o in client_outcomes if o not in {"won", "taken"}
    ]
    # The host's own booking loses with the refusal that names their own appointment.
    assert host_outcome in {"won", "overlap_own"}, outcomes
    # Every active appointment of the host has its occupation rows, and nothing else does.
    assert Occupation.objects.count() == 2 * Appointment.objects.active().count()


@pytest.mark.django_db(transaction=True)
def test_one_guest_email_racing_on_two_event_types_wins_at_most_one_and_losers_are_told(
    make_user, provider, make_calendar
):
    """Ten threads, one e-mail address (written in two cases), the same hour on two event types of
    two different hosts: only the per-guest guarantee stops the second host's booking."""
    calendars = [
        make_calendar(provider, name="Mine", slug="mine", time_zone="UTC", hours=ALL_DAY),
        make_calendar(
            make_user("host2"), name="Theirs", slug="theirs", time_zone="UTC", hours=ALL_DAY
        ),
    ]
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    emails = ["grace@example.org", "Grace@Example.org"]

    outcomes = race(
        [
            lambda i=i: services.appointment_book(
                guest=Guest(name=f"Grace {i}", email=emails[i % 2]),
                calendar=calendars[i % 2],
                start=start,
            )
            for i in range(10)
        ]
    )

    assert outcomes.count("won") <= 1, outcomes
    assert all(o in {"won", "taken", "overlap_own"} for o in outcomes), outcomes
    booked = Appointment.objects.active().filter(contact_email="grace@example.org")
    assert booked.count() == outcomes.count("won"), outcomes
    assert Occupation.objects.filter(guest_email="grace@example.org").count() == booked.count()
