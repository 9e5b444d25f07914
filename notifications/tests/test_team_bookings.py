"""Team bookings reach their hosts: a collective booking's e-mails, reminders and feed entries
go to every host; a round-robin booking's only to the host it was given."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest

from appointments.booking import services as booking
from appointments.event_types.services import schedule_create
from appointments.models import Calendar, Membership
from appointments.teams import services as teams
from calendars import feed
from conftest import NOW
from notifications.models import OutboundEmail
from notifications.reminders import reminders_claim_due

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 25, 10, tzinfo=UTC)  # Wednesday, the day after NOW
OFFICE = {weekday: [(time(9), time(17))] for weekday in range(5)}


@pytest.fixture
def ann(make_user):
    return make_user("ann")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def team_event_type(ann, bob, assignment: str) -> Calendar:
    team = teams.team_create(owner=ann, name="Clinic")
    Membership.objects.create(team=team, user=bob, role=Membership.Role.MEMBER)
    for host in (ann, bob):
        schedule_create(owner=host, time_zone="UTC", hours=OFFICE)
    calendar, _ = teams.team_event_type_save(
        team=team,
        by=ann,
        name="Check-up",
        length_minutes=30,
        assignment=assignment,
        hosts=[ann, bob],
    )
    return calendar


def recipients(kind: str) -> list[str]:
    emails = OutboundEmail.objects.filter(kind=kind)
    return sorted(emails.values_list("recipient", flat=True))


def reminder_recipients_a_day_before() -> list[str]:
    claimed = reminders_claim_due(now=START - timedelta(days=1), limit=10)
    assert claimed == 1  # the day-before reminder; the hour-before one is not due yet
    return recipients(OutboundEmail.Kind.REMINDER)


def feed_uids(user) -> set[str]:
    parsed = icalendar.Calendar.from_ical(feed.feed_ics(user, now=NOW))
    return {str(event["UID"]) for event in parsed.walk("VEVENT")}


def test_a_collective_booking_emails_reminds_and_feeds_every_host(ann, bob, client_user):
    calendar = team_event_type(ann, bob, Calendar.Assignment.COLLECTIVE)

    appointment = booking.appointment_book(
        user=client_user, calendar=calendar, start=START, now=NOW
    )

    everyone = ["ann@example.com", "bob@example.com", "client@example.com"]
    assert recipients(OutboundEmail.Kind.BOOKED) == everyone
    assert reminder_recipients_a_day_before() == everyone
    assert appointment.ical_uid in feed_uids(ann)
    assert appointment.ical_uid in feed_uids(bob)


def test_a_round_robin_booking_emails_reminds_and_feeds_only_the_assigned_host(
    ann, bob, client_user
):
    calendar = team_event_type(ann, bob, Calendar.Assignment.ROUND_ROBIN)

    appointment = booking.appointment_book(
        user=client_user, calendar=calendar, start=START, now=NOW
    )

    assigned = appointment.host_rows.get().user
    other = bob if assigned == ann else ann
    expected = sorted([assigned.email, "client@example.com"])
    assert recipients(OutboundEmail.Kind.BOOKED) == expected
    assert reminder_recipients_a_day_before() == expected
    assert appointment.ical_uid in feed_uids(assigned)
    assert appointment.ical_uid not in feed_uids(other)
