"""Host confirmation: a request holds its time until a host accepts or declines it, or the
worker declines it when nobody answered in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.availability.selectors import available_slots
from appointments.booking import services as booking
from appointments.booking.tests.test_concurrency import ALL_DAY, RACERS, race
from appointments.booking.tests.test_views import WED_9
from appointments.confirmation import services
from appointments.confirmation.tasks import expire_requests
from appointments.confirmation.tests.conftest import ANSWER_BY
from appointments.errors import BookingError
from appointments.models import Appointment, Guest, Occupation
from conftest import NOW, is_postgres
from notifications import scheduler
from notifications.models import OutboundEmail, Reminder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

GRACE = "grace@example.org"


def offered_starts(calendar) -> set:
    window = available_slots(
        calendar,
        window_start=WED_9 - timedelta(hours=1),
        window_end=WED_9 + timedelta(hours=4),
        now=NOW,
    )
    return {slot.start for slot in window}


def emails_to(address: str, kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(recipient=address, kind=kind))


def test_a_booking_of_an_event_type_that_requires_confirmation_is_a_request_answered_within_its_hours(
    requested,
):
    assert requested.status == Appointment.Status.REQUESTED
    assert requested.request_expires_at == ANSWER_BY
    assert Occupation.objects.filter(appointment=requested).count() == 2  # host and booker


def test_an_event_type_gives_hosts_24_hours_to_answer_unless_told_otherwise(
    provider, make_calendar
):
    calendar = make_calendar(provider, slug="asks", time_zone="UTC", hours=ALL_DAY)
    calendar.requires_confirmation = True  # nothing said about the hours to answer
    calendar.save()
    three_days_ahead = NOW + timedelta(days=3)

    request = booking.appointment_book(
        guest=Guest(name="Grace", email=GRACE), calendar=calendar, start=three_days_ahead
    )

    assert calendar.confirmation_hours == 24
    assert request.status == Appointment.Status.REQUESTED
    assert request.request_expires_at == NOW + timedelta(hours=24)


def test_a_request_must_be_answered_by_its_start_when_that_comes_first(confirming):
    confirming.confirmation_hours = 48
    confirming.save()

    request = booking.appointment_book(
        guest=Guest(name="Grace", email=GRACE), calendar=confirming, start=WED_9
    )

    assert request.request_expires_at == WED_9


def test_a_requested_time_is_not_offered_to_anyone_else(requested):
    assert WED_9 not in offered_starts(requested.calendar)

    with pytest.raises(BookingError) as refusal:
        booking.appointment_book(
            guest=Guest(name="Ann", email="ann@example.org"),
            calendar=requested.calendar,
            start=WED_9,
        )

    assert refusal.value.code == "taken"
    assert Appointment.objects.count() == 1


def test_the_host_is_asked_with_answer_links_and_the_booker_told_without_a_calendar_file(
    requested, provider
):
    to_host, to_booker = emails_to(provider.email, "requested"), emails_to(GRACE, "requested")

    assert len(to_host) == 1 and len(to_booker) == 1
    assert f"/appointments/{requested.pk}/accept/" in to_host[0].body_text
    assert f"/appointments/{requested.pk}/decline/" in to_host[0].body_text
    assert "requested, waiting for the host" in to_booker[0].body_text
    assert to_host[0].ics == "" and to_booker[0].ics == ""
    assert not OutboundEmail.objects.filter(kind="booked").exists()
    assert not Reminder.objects.exists()


def test_a_host_accepting_confirms_the_booking_and_sends_the_booker_the_invitation(
    requested, provider
):
    accepted = services.appointment_accept(appointment=requested, by_user=provider)

    assert accepted.status == Appointment.Status.CONFIRMED
    (confirmation,) = emails_to(GRACE, "booked")
    assert confirmation.ics_method == "REQUEST" and "Your appointment is confirmed" in (
        confirmation.body_text
    )
    assert Reminder.objects.filter(appointment=requested).exists()
    assert Occupation.objects.filter(appointment=requested).count() == 2


def test_accepting_after_the_answer_time_is_refused_and_changes_nothing(requested, provider):
    with time_machine.travel(ANSWER_BY, tick=False), pytest.raises(BookingError) as refusal:
        services.appointment_accept(appointment=requested, by_user=provider)

    assert refusal.value.code == "expired"
    requested.refresh_from_db()
    assert requested.status == Appointment.Status.REQUESTED


@pytest.mark.parametrize("who", ["booker", "other"])
def test_only_a_host_can_answer_a_request(requested, other_user, who):
    someone = requested.link_holder() if who == "booker" else other_user

    for answer in (services.appointment_accept, services.appointment_decline):
        with pytest.raises(BookingError) as refusal:
            answer(appointment=requested, by_user=someone)
        assert refusal.value.code == "forbidden"

    requested.refresh_from_db()
    assert requested.status == Appointment.Status.REQUESTED


def test_a_host_declining_frees_the_time_and_tells_the_booker_the_reason(requested, provider):
    declined = services.appointment_decline(
        appointment=requested, by_user=provider, reason="I am away that morning."
    )

    assert declined.status == Appointment.Status.DECLINED
    assert not Occupation.objects.filter(appointment=requested).exists()
    assert WED_9 in offered_starts(requested.calendar)
    (told,) = emails_to(GRACE, "declined")
    assert "declined by" in told.body_text and "I am away that morning." in told.body_text
    assert told.ics == ""
    booking.appointment_book(
        guest=Guest(name="Ann", email="ann@example.org"), calendar=requested.calendar, start=WED_9
    )


def test_an_answered_request_cannot_be_answered_again(requested, provider):
    services.appointment_accept(appointment=requested, by_user=provider)

    with pytest.raises(BookingError) as refusal:
        services.appointment_decline(appointment=requested, by_user=provider)

    assert refusal.value.code == "not_requested"
    requested.refresh_from_db()
    assert requested.status == Appointment.Status.CONFIRMED


def test_a_request_cannot_be_moved_only_cancelled(requested, provider):
    with pytest.raises(BookingError) as refusal:
        booking.appointment_reschedule(
            appointment=requested, by_user=provider, start=WED_9 + timedelta(hours=1)
        )

    assert refusal.value.code == "requested"


def test_the_worker_declines_a_request_nobody_answered_in_time(requested):
    with time_machine.travel(ANSWER_BY - timedelta(seconds=1), tick=False):
        assert expire_requests.call() == {"declined": 0}
    with time_machine.travel(ANSWER_BY, tick=False):
        assert expire_requests.call() == {"declined": 1}
        assert expire_requests.call() == {"declined": 0}

    requested.refresh_from_db()
    assert requested.status == Appointment.Status.DECLINED
    assert not Occupation.objects.filter(appointment=requested).exists()
    (told,) = emails_to(GRACE, "declined")
    assert "Nobody answered this booking request in time" in told.body_text


def test_the_worker_leaves_an_accepted_request_alone(requested, provider):
    services.appointment_accept(appointment=requested, by_user=provider)

    with time_machine.travel(ANSWER_BY, tick=False):
        assert expire_requests.call() == {"declined": 0}

    requested.refresh_from_db()
    assert requested.status == Appointment.Status.CONFIRMED


def test_the_expiry_runs_on_every_scheduler_tick():
    assert expire_requests in scheduler.periodic_tasks()


def test_the_database_keeps_a_requested_slot_to_its_request(requested):
    """The one-active-appointment-per-slot constraint counts requests (both databases)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            calendar=requested.calendar,
            time_slot=requested.time_slot,
            start_time=requested.start_time,
            end_time=requested.end_time,
            contact_email="ann@example.org",
        )


@pytest.mark.skipif(not is_postgres(), reason="the exclusion constraint is PostgreSQL's")
def test_the_exclusion_constraint_protects_the_time_a_request_holds(requested, provider):
    """Past every check of the service: the host's occupation row of the request is the final word."""
    other = Appointment.objects.create(
        calendar=requested.calendar,
        start_time=requested.start_time + timedelta(minutes=15),
        end_time=requested.end_time + timedelta(minutes=15),
        contact_email="ann@example.org",
    )

    overlapping = pytest.raises(IntegrityError, match="occupation_no_overlap_per_person")
    with overlapping, transaction.atomic():
        Occupation.objects.create(
            appointment=other,
            person=provider,
            is_host=True,
            start_time=other.start_time,
            end_time=other.end_time,
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_guests_racing_to_request_one_time_exactly_one_gets_it(provider, make_calendar):
    calendar = make_calendar(
        provider, name="Race", slug="race", hours=ALL_DAY, requires_confirmation=True
    )
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    outcomes = race(
        [
            lambda index=index: booking.appointment_book(
                guest=Guest(name=f"Guest {index}", email=f"guest{index}@example.org"),
                calendar=calendar,
                start=start,
            )
            for index in range(RACERS)
        ]
    )

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("taken") == RACERS - 1, outcomes
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED


def test_a_booker_who_withdraws_a_request_frees_the_time_without_calendar_files(requested):
    booking.appointment_cancel(appointment=requested, by_user=requested.link_holder())

    requested.refresh_from_db()
    assert requested.status == Appointment.Status.CANCELLED
    assert WED_9 in offered_starts(requested.calendar)
    cancelled = OutboundEmail.objects.filter(kind="cancelled")
    assert cancelled.count() == 2 and all(email.ics == "" for email in cancelled)
    assert "calendar file" not in cancelled.get(recipient=GRACE).body_text
