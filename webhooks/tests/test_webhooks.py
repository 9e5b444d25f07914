"""Webhooks against a local HTTP receiver started by the test: signed per Standard Webhooks
(verified with the `standardwebhooks` package), retried, failed, switched off; and the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from appointments.booking import services as booking
from notifications.models import Notification
from webhooks import services
from webhooks.models import EVENTS, Delivery, Subscription
from webhooks.tests.receiver import fail_for_three_days, start_in, verified

pytestmark = pytest.mark.django_db


def test_each_booking_event_arrives_once_signed(
    receiver, client_user, calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    _, secret = services.subscription_create(user=client_user, target_url=server.url, events=EVENTS)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = booking.appointment_book(
            user=client_user, calendar=calendar, start=start_in(2)
        )
    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_reschedule(
            appointment=appointment, by_user=client_user, start=start_in(3)
        )
    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=appointment, by_user=client_user)

    messages = verified(secret, server.received)
    assert [message["type"] for message in messages] == [
        "booking.created",
        "booking.rescheduled",
        "booking.cancelled",
    ]
    assert len({message["id"] for message in messages}) == 3
    assert all(message["version"] == 1 for message in messages)
    assert messages[0]["data"]["booking"]["id"] == appointment.pk
    assert messages[1]["data"]["booking"]["start"] == start_in(3).isoformat().replace("+00:00", "Z")
    assert messages[2]["data"]["booking"]["status"] == "cancelled"
    assert [headers["webhook-id"] for headers, _ in server.received] == [
        message["id"] for message in messages
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_host_hears_of_bookings_of_their_event_types_and_only_chosen_events(
    receiver, client_user, provider, calendar, django_capture_on_commit_callbacks
):
    server = receiver()
    services.subscription_create(user=provider, target_url=server.url, events=["booking.cancelled"])

    with django_capture_on_commit_callbacks(execute=True):
        appointment = booking.appointment_book(
            user=client_user, calendar=calendar, start=start_in(2)
        )
    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=appointment, by_user=provider)

    assert [json.loads(body)["type"] for _, body in server.received] == ["booking.cancelled"]


def test_a_receiver_that_answers_500_then_200_gets_it_on_retry(
    receiver, client_user, calendar, django_capture_on_commit_callbacks
):
    server = receiver(codes=(500, 200))
    _, secret = services.subscription_create(user=client_user, target_url=server.url, events=EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_book(user=client_user, calendar=calendar, start=start_in(2))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert services.due_deliveries(timezone.now()) == []  # backing off

    later = delivery.next_attempt_at + timedelta(seconds=1)
    assert services.due_deliveries(later) == [delivery.pk]
    services.delivery_attempt(delivery.pk, now=later)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 2, 200)
    first, second = server.received
    assert first[0]["webhook-id"] == second[0]["webhook-id"]
    assert Webhook(secret).verify(second[1], second[0])["type"] == "booking.created"


def test_a_receiver_that_never_answers_ends_as_failed_and_visible(
    monkeypatch, client, silent_server, client_user
):
    monkeypatch.setattr(services, "TIMEOUT_SECONDS", 0.3)
    subscription, _ = services.subscription_create(
        user=client_user, target_url=silent_server, events=EVENTS
    )
    delivery = services.ping(subscription=subscription)
    now = timezone.now()

    for _ in range(len(services.RETRY_DELAYS) + 1):
        services.delivery_attempt(delivery.pk, now=now)
        delivery.refresh_from_db()
        now = (delivery.next_attempt_at or now) + timedelta(seconds=1)

    assert delivery.status == "failed"
    assert delivery.attempts == len(services.RETRY_DELAYS) + 1
    assert "did not answer" in delivery.last_error
    client.force_login(client_user)
    page = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert "Failed" in page and "did not answer" in page


def test_a_subscription_failing_for_three_days_is_switched_off_and_its_owner_told(
    receiver, client_user
):
    server = receiver(codes=(503,))
    subscription, _ = services.subscription_create(
        user=client_user, target_url=server.url, events=EVENTS
    )

    fail_for_three_days(subscription)

    subscription.refresh_from_db()
    assert subscription.is_active is False
    assert "switched off" in Notification.objects.get(user=client_user).message


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest",
        "ftp://x.org/",
    ],
)
def test_a_private_or_odd_address_is_refused_when_saved(client, client_user, url):
    client.force_login(client_user)

    response = client.post(reverse("webhook_list"), {"target_url": url, "events": list(EVENTS)})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Subscription.objects.exists()


def test_loopback_is_refused_unless_the_setting_allows_it(settings, client_user):
    settings.CALENDAR_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(services.ValidationError, match="this server itself"):
        services.subscription_create(
            user=client_user, target_url="http://127.0.0.1:9/x", events=EVENTS
        )


def test_the_page_creates_a_subscription_and_shows_its_secret_once(client, client_user):
    client.force_login(client_user)

    response = client.post(
        reverse("webhook_list"),
        {"target_url": "http://127.0.0.1:9/hook", "events": ["booking.created"]},
    )

    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    subscription = Subscription.objects.get()
    assert secret not in subscription.secret_encrypted
    assert services.subscription_secret(subscription) == secret
    detail = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert secret not in detail


def test_ping_and_send_again_from_the_log(
    client, receiver, client_user, django_capture_on_commit_callbacks
):
    server = receiver()
    subscription, secret = services.subscription_create(
        user=client_user, target_url=server.url, events=EVENTS
    )
    client.force_login(client_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook_ping", args=[subscription.pk]))
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook_send_again", args=[delivery.pk]))

    assert [Webhook(secret).verify(b, h)["type"] for h, b in server.received] == ["ping", "ping"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    page = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert delivery.message_id in page


def test_another_user_gets_a_404_everywhere(client, client_user, other_user):
    subscription, _ = services.subscription_create(
        user=client_user, target_url="http://127.0.0.1:9/hook", events=EVENTS
    )
    delivery = services.ping(subscription=subscription)
    client.force_login(other_user)

    for name, pk in [
        ("webhook_detail", subscription.pk),
        ("webhook_ping", subscription.pk),
        ("webhook_active", subscription.pk),
        ("webhook_delete", subscription.pk),
        ("webhook_send_again", delivery.pk),
    ]:
        method = client.get if name == "webhook_detail" else client.post
        assert method(reverse(name, args=[pk])).status_code == 404, name
    assert Subscription.objects.get().is_active
