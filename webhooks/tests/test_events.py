"""Every booking event reaches a person's and a team's subscriptions once, signed (verified with
the `standardwebhooks` package), with the booking as the API shows it; the host-confirmation
events included (requested, accepted, declined by a host or by expiry)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from appointments.booking import services as booking
from appointments.confirmation import services as confirmation
from appointments.event_types.services import schedule_create
from appointments.models import Appointment, Calendar, Guest, Membership
from appointments.teams import services as teams
from webhooks import services
from webhooks.models import EVENTS, Delivery
from webhooks.tests.receiver import ALL_DAY, start_in, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_calendar(make_user):
    """A team event type of Ann's team (Bob is a plain member), hosted by Ann."""
    ann, bob = make_user("ann"), make_user("bob")
    team = teams.team_create(owner=ann, name="Clinic")
    Membership.objects.create(team=team, user=bob, role=Membership.Role.MEMBER)
    schedule_create(owner=ann, time_zone="UTC", hours=ALL_DAY)
    calendar, _ = teams.team_event_type_save(
        team=team,
        by=ann,
        name="Check-up",
        length_minutes=30,
        assignment=Calendar.Assignment.COLLECTIVE,
        hosts=[ann],
    )
    return calendar


def run(capture, action):
    """`action` committed, its after-commit callbacks (the deliveries) run."""
    with capture(execute=True):
        return action()


@pytest.mark.parametrize("owner", ["person", "team"])
def test_each_of_the_six_events_arrives_once_with_a_valid_signature(
    owner, receiver, client_user, calendar, team_calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    where = calendar if owner == "person" else team_calendar
    host = where.host_rows.get().user
    subscriber = {"user": host} if owner == "person" else {"team": where.team}
    _, secret = services.subscription_create(**subscriber, target_url=server.url, events=EVENTS)
    capture = django_capture_on_commit_callbacks

    def book(days: int):
        return run(
            capture,
            lambda: booking.appointment_book(
                user=client_user, calendar=where, start=start_in(days)
            ),
        )

    made = book(2)
    run(
        capture,
        lambda: booking.appointment_reschedule(appointment=made, by_user=host, start=start_in(3)),
    )
    run(capture, lambda: booking.appointment_cancel(appointment=made, by_user=host))
    where.requires_confirmation, where.confirmation_hours = True, 4
    where.save()
    accepted, declined, expired = book(4), book(5), book(6)
    run(capture, lambda: confirmation.appointment_accept(appointment=accepted, by_user=host))
    run(capture, lambda: confirmation.appointment_decline(appointment=declined, by_user=host))
    # Nobody answered in time (the clock stays real: the receiver checks the timestamp).
    Appointment.objects.filter(pk=expired.pk).update(
        request_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert run(capture, confirmation.requests_expire) == 1

    messages = verified(secret, server.received)
    by_booking = defaultdict(list)
    for message in messages:
        by_booking[message["data"]["booking"]["id"]].append(
            (message["type"], message["data"]["booking"]["status"])
        )
    assert by_booking == {
        made.pk: [
            ("booking.created", "confirmed"),
            ("booking.rescheduled", "confirmed"),
            ("booking.cancelled", "cancelled"),
        ],
        accepted.pk: [("booking.requested", "requested"), ("booking.accepted", "confirmed")],
        declined.pk: [("booking.requested", "requested"), ("booking.declined", "declined")],
        expired.pk: [("booking.requested", "requested"), ("booking.declined", "declined")],
    }
    assert {message["type"] for message in messages} == set(EVENTS)
    assert len({message["id"] for message in messages}) == len(messages) == 9
    assert [headers["webhook-id"] for headers, _ in server.received] == [m["id"] for m in messages]
    assert all(message["version"] == 1 for message in messages)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_the_body_carries_the_booking_exactly_as_the_api_shows_it(
    receiver, client_user, calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    _, secret = services.subscription_create(
        user=client_user, target_url=server.url, events=["booking.created"]
    )

    made = run(
        django_capture_on_commit_callbacks,
        lambda: booking.appointment_book(user=client_user, calendar=calendar, start=start_in(2)),
    )

    (message,) = verified(secret, server.received)
    assert set(message) == {"version", "id", "type", "timestamp", "data"}
    assert message["data"] == {"booking": services.booking_json(made)}
    assert message["data"]["booking"]["booker"]["username"] == "client"


def test_a_team_subscription_hears_only_of_its_own_event_types(
    receiver, client_user, calendar, team_calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    services.subscription_create(team=team_calendar.team, target_url=server.url, events=EVENTS)

    for where in (calendar, team_calendar):
        run(
            django_capture_on_commit_callbacks,
            lambda where=where: booking.appointment_book(
                user=client_user, calendar=where, start=start_in(2 if where == calendar else 3)
            ),
        )

    (delivery,) = Delivery.objects.all()
    assert delivery.payload["data"]["booking"]["event_type"]["id"] == team_calendar.pk
    assert len(server.received) == 1


def test_a_guest_booking_reaches_the_hosts_webhooks(
    receiver, provider, calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    _, secret = services.subscription_create(user=provider, target_url=server.url, events=EVENTS)

    run(
        django_capture_on_commit_callbacks,
        lambda: booking.appointment_book(
            guest=Guest(name="Grace", email="grace@example.org"),
            calendar=calendar,
            start=start_in(2),
        ),
    )

    (message,) = verified(secret, server.received)
    assert message["type"] == "booking.created"
