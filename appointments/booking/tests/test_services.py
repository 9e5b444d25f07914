"""Booking rules of the services: each acceptance and each refusal, with its own message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from appointments.booking import services
from appointments.errors import BookingError, SlotError
from appointments.models import Appointment, TimeSlot
from appointments.provider import services as slot_services
from conftest import NOW
from notifications.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> BookingError:
    with pytest.raises(BookingError) as caught:
        services.appointment_book(now=NOW, **kwargs)
    return caught.value


def test_it_books_a_free_future_slot(client_user, slot):
    appointment = services.appointment_book(
        user=client_user, time_slot=slot, description="  Hi  ", now=NOW
    )

    assert appointment.status == Appointment.Status.CONFIRMED
    assert (appointment.start_time, appointment.end_time) == (slot.start_time, slot.end_time)
    assert appointment.calendar == slot.calendar
    assert appointment.description == "Hi"


def test_it_refuses_a_slot_that_already_started(client_user, make_slot):
    past = make_slot(NOW - timedelta(minutes=10))

    error = refusal(user=client_user, time_slot=past)

    assert error.code == "past"
    assert "passed" in error.message
    assert not Appointment.objects.exists()


def test_it_refuses_a_slot_of_an_inactive_calendar(client_user, slot, calendar):
    calendar.is_active = False
    calendar.save()

    assert refusal(user=client_user, time_slot=slot).code == "inactive"


def test_it_refuses_a_taken_slot_and_names_the_nearest_free_ones(
    client_user, other_user, make_slot
):
    taken = make_slot(NOW + timedelta(days=1))
    free = [make_slot(NOW + timedelta(days=1, hours=h)) for h in (1, 2, 3, 10)]
    services.appointment_book(user=other_user, time_slot=taken, now=NOW)

    error = refusal(user=client_user, time_slot=taken)

    assert error.code == "taken"
    assert "just taken" in error.message
    assert [a.slot_id for a in error.alternatives] == [s.pk for s in free[:3]]
    assert Appointment.objects.count() == 1


def test_it_refuses_a_booking_that_overlaps_the_bookers_own_appointment(
    client_user, make_slot, make_user, make_calendar
):
    second = make_calendar(make_user("p2"), name="Other", slug="other")
    mine = make_slot(NOW + timedelta(days=1))
    overlapping = make_slot(NOW + timedelta(days=1, minutes=15), on=second)
    services.appointment_book(user=client_user, time_slot=mine, now=NOW)

    error = refusal(user=client_user, time_slot=overlapping)

    assert error.code == "overlap_own"
    assert "already have an appointment" in error.message


def test_back_to_back_appointments_of_one_booker_do_not_conflict(client_user, make_slot):
    first = make_slot(NOW + timedelta(days=1))
    second = make_slot(NOW + timedelta(days=1, minutes=30))

    services.appointment_book(user=client_user, time_slot=first, now=NOW)
    services.appointment_book(user=client_user, time_slot=second, now=NOW)

    assert Appointment.objects.active().count() == 2


def test_a_provider_cannot_book_their_own_calendar(provider, slot):
    error = refusal(user=provider, time_slot=slot)

    assert error.code == "own_calendar"
    assert "your own calendar" in error.message


def test_it_refuses_a_description_over_two_thousand_characters(client_user, slot):
    error = refusal(user=client_user, time_slot=slot, description="x" * 2001)

    assert error.code == "description_too_long"
    assert "2000" in error.message
    assert not Appointment.objects.exists()


def test_booking_notifies_both_parties_and_schedules_two_reminders(
    client_user, provider, make_slot
):
    slot = make_slot(NOW + timedelta(days=2))
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    assert Notification.objects.filter(user=client_user, appointment=appointment).count() == 1
    assert Notification.objects.filter(user=provider, appointment=appointment).count() == 1
    reminders = Reminder.objects.filter(appointment=appointment).order_by("remind_at")
    assert [r.remind_at for r in reminders] == [
        slot.start_time - timedelta(hours=24),
        slot.start_time - timedelta(hours=1),
    ]


def test_reminders_already_past_at_booking_time_are_skipped(client_user, make_slot):
    soon = make_slot(NOW + timedelta(hours=5))

    appointment = services.appointment_book(user=client_user, time_slot=soon, now=NOW)

    assert [r.offset_minutes for r in appointment.reminders.all()] == [60]


def test_cancel_frees_the_slot_keeps_history_and_voids_reminders(client_user, other_user, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    services.appointment_cancel(appointment=appointment, by_user=client_user, now=NOW)
    rebooked = services.appointment_book(user=other_user, time_slot=slot, now=NOW)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.sequence == 1
    assert rebooked.time_slot == slot
    assert set(appointment.reminders.values_list("state", flat=True)) == {Reminder.State.VOID}
    assert (
        Notification.objects.filter(
            appointment=appointment, message__startswith="Cancelled"
        ).count()
        == 2
    )


def test_the_provider_can_cancel_but_a_stranger_cannot(client_user, other_user, provider, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    with pytest.raises(BookingError) as caught:
        services.appointment_cancel(appointment=appointment, by_user=other_user, now=NOW)
    assert caught.value.code == "forbidden"
    services.appointment_cancel(appointment=appointment, by_user=provider, now=NOW)
    appointment.refresh_from_db()
    assert not appointment.is_active


def test_cancelling_twice_is_refused(client_user, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    services.appointment_cancel(appointment=appointment, by_user=client_user, now=NOW)

    with pytest.raises(BookingError) as caught:
        services.appointment_cancel(appointment=appointment, by_user=client_user, now=NOW)
    assert caught.value.code == "already_cancelled"


class TestTimeSlots:
    def test_time_slot_conflict(self, calendar):
        """The brief's test: overlapping slots of one calendar are refused, back-to-back ones are fine."""
        start = NOW + timedelta(days=1)
        slot_services.time_slot_create(
            calendar=calendar, start=start, end=start + timedelta(minutes=30), now=NOW
        )

        with pytest.raises(SlotError, match="overlaps the existing slot"):
            slot_services.time_slot_create(
                calendar=calendar,
                start=start + timedelta(minutes=15),
                end=start + timedelta(minutes=45),
                now=NOW,
            )
        slot_services.time_slot_create(
            calendar=calendar,
            start=start + timedelta(minutes=30),
            end=start + timedelta(hours=1),
            now=NOW,
        )
        assert TimeSlot.objects.filter(calendar=calendar).count() == 2

    def test_a_slot_must_start_before_it_ends(self, calendar):
        start = NOW + timedelta(days=1)
        with pytest.raises(SlotError, match="start before it ends"):
            slot_services.time_slot_create(calendar=calendar, start=start, end=start, now=NOW)

    def test_bulk_publishing_is_all_or_nothing(self, calendar, make_slot):
        start = NOW + timedelta(days=2)
        make_slot(start + timedelta(hours=1))
        wanted = [
            (start + timedelta(minutes=30 * i), start + timedelta(minutes=30 * (i + 1)))
            for i in range(4)
        ]

        with pytest.raises(SlotError, match="overlaps"):
            slot_services.time_slots_create(calendar=calendar, slots=wanted, now=NOW)
        assert TimeSlot.objects.count() == 1

    def test_bulk_publishing_refuses_new_slots_that_overlap_each_other(self, calendar):
        start = NOW + timedelta(days=2)
        wanted = [
            (start, start + timedelta(hours=1)),
            (start + timedelta(minutes=30), start + timedelta(hours=2)),
        ]

        with pytest.raises(SlotError, match="overlap each other"):
            slot_services.time_slots_create(calendar=calendar, slots=wanted, now=NOW)
        assert not TimeSlot.objects.exists()

    def test_a_booked_slot_cannot_be_deleted(self, client_user, slot):
        services.appointment_book(user=client_user, time_slot=slot, now=NOW)

        with pytest.raises(SlotError, match="booked"):
            slot_services.time_slot_delete(time_slot=slot)
        assert TimeSlot.objects.filter(pk=slot.pk).exists()
