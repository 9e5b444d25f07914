"""The database's own guarantees, tested by writing past the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from appointments.models import Appointment, TimeSlot
from conftest import NOW, requires_postgres

pytestmark = pytest.mark.django_db


def appointment(
    user, slot, *, linked: bool = True, shift: timedelta = timedelta(0), **extra
) -> Appointment:
    """An appointment row written directly, bypassing every check of the services."""
    return Appointment.objects.create(
        user=user,
        time_slot=slot if linked else None,
        calendar=slot.calendar,
        start_time=slot.start_time + shift,
        end_time=slot.end_time + shift,
        **extra,
    )


def test_a_slot_must_start_before_it_ends(calendar):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeSlot.objects.create(calendar=calendar, start_time=NOW, end_time=NOW)


def test_a_slot_holds_at_most_one_active_appointment(client_user, other_user, slot):
    appointment(client_user, slot)

    with pytest.raises(IntegrityError), transaction.atomic():
        appointment(other_user, slot)
    appointment(other_user, slot, status=Appointment.Status.CANCELLED)  # history is fine


@requires_postgres
def test_overlapping_active_appointments_of_one_calendar_are_refused(
    client_user, other_user, make_slot
):
    first = make_slot(NOW + timedelta(days=1))
    appointment(client_user, first)

    with (
        pytest.raises(IntegrityError, match="appointment_no_overlap_per_calendar"),
        transaction.atomic(),
    ):
        appointment(other_user, first, linked=False, shift=timedelta(minutes=10))


@requires_postgres
def test_overlapping_active_appointments_of_one_booker_are_refused(
    client_user, make_user, make_slot
):
    from appointments.models import Calendar

    other = Calendar.objects.create(provider=make_user("p2"), name="Other", slug="other")
    appointment(client_user, make_slot(NOW + timedelta(days=1)))

    with (
        pytest.raises(IntegrityError, match="appointment_no_overlap_per_booker"),
        transaction.atomic(),
    ):
        appointment(client_user, make_slot(NOW + timedelta(days=1, minutes=15), on=other))


@requires_postgres
def test_overlapping_slots_of_one_calendar_are_refused(make_slot):
    make_slot(NOW + timedelta(days=1))

    with pytest.raises(IntegrityError, match="time_slot_no_overlap"), transaction.atomic():
        make_slot(NOW + timedelta(days=1, minutes=20))


@requires_postgres
def test_cancelled_appointments_do_not_block_the_range(client_user, other_user, make_slot):
    first = make_slot(NOW + timedelta(days=1))
    appointment(client_user, first, status=Appointment.Status.CANCELLED)

    appointment(other_user, first)

    assert Appointment.objects.filter(time_slot=first).count() == 2
