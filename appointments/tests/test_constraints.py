"""The database's own guarantees, tested by writing past the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from appointments.models import Appointment, Occupation, TimeSlot
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


def occupy(person, appointment_row: Appointment, *, is_host: bool) -> Occupation:
    """An occupation row written directly, as the booking service writes one per person."""
    return Occupation.objects.create(
        appointment=appointment_row,
        person=person,
        is_host=is_host,
        start_time=appointment_row.start_time,
        end_time=appointment_row.end_time,
    )


@requires_postgres
def test_one_host_never_holds_two_overlapping_appointments_on_any_event_type(
    client_user, other_user, provider, make_slot, make_calendar
):
    lessons = make_calendar(provider, name="Lessons", slug="lessons")
    first = appointment(client_user, make_slot(NOW + timedelta(days=1)))
    occupy(provider, first, is_host=True)
    second = appointment(other_user, make_slot(NOW + timedelta(days=1, minutes=10), on=lessons))

    with (
        pytest.raises(IntegrityError, match="occupation_no_overlap_per_person"),
        transaction.atomic(),
    ):
        occupy(provider, second, is_host=True)


@requires_postgres
def test_a_person_booked_as_host_cannot_be_booked_as_a_client_at_that_time(
    client_user, provider, make_user, make_slot, make_calendar
):
    theirs = make_calendar(make_user("p2"), name="Theirs", slug="theirs")
    hosted = appointment(client_user, make_slot(NOW + timedelta(days=1)))
    occupy(provider, hosted, is_host=True)
    as_client = appointment(provider, make_slot(NOW + timedelta(days=1, minutes=15), on=theirs))

    with (
        pytest.raises(IntegrityError, match="occupation_no_overlap_per_person"),
        transaction.atomic(),
    ):
        occupy(provider, as_client, is_host=False)


@requires_postgres
def test_two_people_may_each_hold_the_same_time(client_user, other_user, make_slot):
    first = appointment(client_user, make_slot(NOW + timedelta(days=1)))
    second = appointment(other_user, first.time_slot, linked=False)

    occupy(client_user, first, is_host=False)
    occupy(other_user, second, is_host=False)

    assert Occupation.objects.count() == 2


@requires_postgres
def test_overlapping_published_slots_of_one_calendar_are_refused(make_slot):
    make_slot(NOW + timedelta(days=1))

    with pytest.raises(IntegrityError, match="published_slot_no_overlap"), transaction.atomic():
        make_slot(NOW + timedelta(days=1, minutes=20))


@requires_postgres
def test_generated_slots_of_different_hosts_may_overlap(calendar, provider, other_user):
    start = NOW + timedelta(days=1)
    for host in (provider, other_user):
        TimeSlot.objects.create(
            calendar=calendar,
            host=host,
            start_time=start,
            end_time=start + timedelta(hours=1),
            is_generated=True,
        )

    assert TimeSlot.objects.count() == 2


@requires_postgres
def test_cancelled_appointments_do_not_block_the_range(client_user, other_user, make_slot):
    first = make_slot(NOW + timedelta(days=1))
    appointment(client_user, first, status=Appointment.Status.CANCELLED)

    appointment(other_user, first)

    assert Appointment.objects.filter(time_slot=first).count() == 2


def guest_appointment(slot, email: str, *, linked: bool = True) -> Occupation:
    """A guest's appointment and its occupation row, written directly as the service writes them."""
    row = appointment(None, slot, linked=linked, contact_name="Grace", contact_email=email)
    return Occupation.objects.create(
        appointment=row,
        guest_email=email,
        is_host=False,
        start_time=row.start_time,
        end_time=row.end_time,
    )


@requires_postgres
def test_one_guest_email_never_holds_two_overlapping_appointments_on_any_event_type(
    make_user, make_slot, make_calendar
):
    theirs = make_calendar(make_user("p2"), name="Theirs", slug="theirs")
    guest_appointment(make_slot(NOW + timedelta(days=1)), "grace@example.org")
    overlapping = make_slot(NOW + timedelta(days=1, minutes=20), on=theirs)

    with (
        pytest.raises(IntegrityError, match="occupation_no_overlap_per_guest"),
        transaction.atomic(),
    ):
        guest_appointment(overlapping, "grace@example.org")
    # Another address at that time, or the same one right after (half-open ranges), is fine.
    guest_appointment(overlapping, "ann@example.org", linked=False)
    guest_appointment(make_slot(NOW + timedelta(days=1, hours=1), on=theirs), "grace@example.org")
