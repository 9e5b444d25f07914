"""Two bookings can never both win: >= 20 threads, each with its own database connection, race.

Runs on the configured database: the SQLite file by default, PostgreSQL with DATABASE_URL (CI runs
both). Transactional tests, so each thread sees committed rows and commits its own.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from appointments.booking import services
from appointments.errors import BookingError
from appointments.models import Appointment, Calendar, TimeSlot

RACERS = 20


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
def test_twenty_clients_racing_for_one_slot_exactly_one_wins(make_user, provider):
    calendar = Calendar.objects.create(provider=provider, name="Race", slug="race")
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
    make_user, provider
):
    other_provider = make_user("provider2")
    start = timezone.now() + timedelta(days=3)
    slots = []
    for index, owner in enumerate([provider, other_provider]):
        calendar = Calendar.objects.create(provider=owner, name=f"C{index}", slug=f"c{index}")
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
def test_twenty_clients_racing_for_one_computed_slot_exactly_one_wins(make_user, provider):
    from datetime import time

    from appointments.models import WorkingHours

    calendar = Calendar.objects.create(
        provider=provider, name="Hours", slug="hours", time_zone="UTC"
    )
    for weekday in range(7):
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start_time=time(0), end_time=time(0)
        )
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
