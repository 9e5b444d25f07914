"""Webhook subscriptions and their deliveries, signed per Standard Webhooks.

A subscription belongs to a person (the bookings they book or host) or to a team (the bookings
of its event types; managed by its owners and admins). A booking change calls `booking_event`
inside its transaction: one Delivery row per interested subscription, sent by the worker after
commit. A failed attempt is retried on Standard Webhooks' schedule (5 s, 5 min, 30 min, 2 h,
5 h, 10 h, 10 h: a little over a day), then the delivery is failed. A subscription that has
failed for 3 days is switched off and its owner told (a team's: its owners and admins). Target
URLs pass the calendar sources' fetch checks (calendars/fetch.py): http(s) only, no private or
loopback address unless CALENDAR_FETCH_ALLOW_PRIVATE / _LOOPBACK allow it, pinned addresses,
one deadline, no redirects."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from appointments.models import Appointment, Membership, Team
from calendars import crypto
from calendars.fetch import FetchError, check_url, post_url
from notifications.services import notification_create
from webhooks.models import EVENTS, PING, Delivery, Subscription

VERSION = 1
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
SWITCH_OFF_AFTER = timedelta(days=3)
CLAIM_FOR = timedelta(minutes=2)  # a worker that dies mid-send frees the delivery after this
TIMEOUT_SECONDS = 10
MAX_SUBSCRIPTIONS = 20
# Who manages a team's subscriptions and hears when one is switched off (as for its other settings).
TEAM_MANAGERS = [Membership.Role.OWNER, Membership.Role.ADMIN]


def _fetch_rules() -> dict:
    return {
        "allow_private": settings.CALENDAR_FETCH_ALLOW_PRIVATE,
        "allow_loopback": settings.CALENDAR_FETCH_ALLOW_LOOPBACK,
    }


def _secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def subscription_secret(subscription: Subscription) -> str:
    return crypto.decrypt(subscription.secret_encrypted, settings.CALENDAR_SECRET_KEY)


def _check_target(url: str) -> str:
    url = url.strip()
    try:
        check_url(url, **_fetch_rules())
    except FetchError as error:
        raise ValidationError({"target_url": str(error)}) from None
    if url.lower().startswith(("webcal", "webcals")):
        raise ValidationError({"target_url": "Use an http:// or https:// address."})
    return url


def owned_by(*, user=None, team: Team | None = None) -> Q:
    """The subscriptions of a person or of a team."""
    return Q(team=team) if team is not None else Q(user=user, team=None)


def manageable_by(user) -> Q:
    """The subscriptions `user` may see and change: their own, and those of the teams they
    own or administer (the same rule as the team's other settings)."""
    managed = Membership.objects.filter(user=user, role__in=TEAM_MANAGERS).values("team_id")
    return Q(user=user) | Q(team__in=managed)


def subscription_create(
    *, user=None, team: Team | None = None, target_url: str, events: Sequence[str]
) -> tuple[Subscription, str]:
    """A new subscription of a person (`user`) or a team (`team`) and its signing secret
    (returned once, stored encrypted)."""
    if (user is None) == (team is None):
        raise ValueError("A subscription belongs to a person or to a team.")
    chosen = [event for event in EVENTS if event in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationError({"events": "Choose one or more of: " + ", ".join(EVENTS) + "."})
    if Subscription.objects.filter(owned_by(user=user, team=team)).count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError(f"At most {MAX_SUBSCRIPTIONS} subscriptions; remove one first.")
    url = _check_target(target_url)
    secret = _secret()
    subscription = Subscription.objects.create(
        user=None if team is not None else user,
        team=team,
        target_url=url,
        events=chosen,
        secret_encrypted=crypto.encrypt(secret, settings.CALENDAR_SECRET_KEY),
    )
    return subscription, secret


def subscription_set_active(*, subscription: Subscription, active: bool) -> None:
    subscription.is_active = active
    subscription.failing_since = None if active else subscription.failing_since
    subscription.save(update_fields=["is_active", "failing_since"])


def _delivery(subscription: Subscription, event: str, data: dict, now: datetime) -> Delivery:
    """An unsaved delivery of a new message, due now."""
    message_id = f"msg_{secrets.token_hex(12)}"
    payload = {
        "version": VERSION,
        "id": message_id,
        "type": event,
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return Delivery(
        subscription=subscription,
        event=event,
        message_id=message_id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )


def _queue(deliveries: list[Delivery]) -> list[Delivery]:
    created = Delivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    if ids:
        from webhooks.tasks import deliver

        transaction.on_commit(lambda: deliver.enqueue(ids))
    return created


def booking_json(appointment: Appointment) -> dict:
    """The booking as the API shows it."""
    from api.v1.present import booking
    from api.v1.schemas import Booking

    return Booking.model_validate(booking(appointment)).model_dump(mode="json")


def _interested(appointment: Appointment) -> Q:
    """Whose subscriptions hear of this booking: the booker's, every host's, and its event
    type's team's."""
    people = {appointment.user_id, *appointment.host_rows.values_list("user_id", flat=True)}
    people.discard(None)  # a guest booker has no account
    interested = Q(user_id__in=people)
    team_id = Appointment.objects.filter(pk=appointment.pk).values("calendar__team_id")
    return interested | Q(team_id__in=team_id)


def booking_event(appointment: Appointment, event: str, *, now: datetime | None = None) -> None:
    """Inside a booking transaction: queue `event` for the active subscriptions to it of the
    booker, the hosts and the event type's team (sent after commit)."""
    now = now or timezone.now()
    subscriptions = [
        subscription
        for subscription in Subscription.objects.filter(_interested(appointment), is_active=True)
        if event in subscription.events
    ]
    if not subscriptions:
        return
    from api.selectors import shown_booking

    data = {"booking": booking_json(shown_booking(appointment.pk))}
    _queue([_delivery(subscription, event, data, now) for subscription in subscriptions])


def ping(*, subscription: Subscription, now: datetime | None = None) -> Delivery:
    """A test message (`ping`) to the subscription, sent by the worker at once."""
    now = now or timezone.now()
    data = {"subscription_id": subscription.pk}
    with transaction.atomic():
        return _queue([_delivery(subscription, PING, data, now)])[0]


def send_again(*, delivery: Delivery, now: datetime | None = None) -> None:
    """Send a delivery once more, now (same message id), whatever its status."""
    now = now or timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.PENDING, next_attempt_at=now
        )
        from webhooks.tasks import deliver

        transaction.on_commit(lambda: deliver.enqueue([delivery.pk]))


def signed_headers(subscription: Subscription, message_id: str, body: str, now: datetime) -> dict:
    signature = Webhook(subscription_secret(subscription)).sign(
        message_id, now.astimezone(UTC), body
    )
    return {
        "Content-Type": "application/json",
        "User-Agent": "Slotwise webhooks",
        "Accept": "*/*",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_FOR)
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription").get(pk=delivery_id)


def _send(delivery: Delivery, now: datetime) -> tuple[int | None, str, int]:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    headers = signed_headers(delivery.subscription, delivery.message_id, body, now)
    started = time.monotonic()
    try:
        status = post_url(
            delivery.subscription.target_url,
            body=body.encode(),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            **_fetch_rules(),
        )
    except FetchError as error:
        return None, str(error)[:300], int((time.monotonic() - started) * 1000)
    error = "" if 200 <= status < 300 else f"The receiver answered {status}."
    if 300 <= status < 400:
        error = f"The receiver answered {status}; redirects are not followed."
    return status, error, int((time.monotonic() - started) * 1000)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    """One attempt at a due, pending delivery (None if it is not due or another worker has it)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    status, error, duration = _send(delivery, now)
    delivery.attempts += 1
    delivery.response_status, delivery.last_error, delivery.duration_ms = status, error, duration
    delivery.last_attempt_at = now
    if not error:
        delivery.status, delivery.next_attempt_at = Delivery.Status.SUCCEEDED, None
    elif delivery.attempts <= len(RETRY_DELAYS):
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    delivery.save()
    _record_health(delivery, failed=bool(error), now=now)
    return delivery


def _record_health(delivery: Delivery, *, failed: bool, now: datetime) -> None:
    subscription = delivery.subscription
    if not failed:
        Subscription.objects.filter(pk=subscription.pk).update(failing_since=None)
        return
    Subscription.objects.filter(pk=subscription.pk, failing_since=None).update(failing_since=now)
    subscription.refresh_from_db(fields=["failing_since", "is_active"])
    if subscription.is_active and now - subscription.failing_since >= SWITCH_OFF_AFTER:
        message = (
            f"Webhook to {subscription.target_url} switched off: it has failed for 3 days. "
            "Fix the receiver, then switch it on again."
        )
        with transaction.atomic():
            subscription_set_active(subscription=subscription, active=False)
            for person in owners_of(subscription):
                notification_create(user=person, message=message)


def owners_of(subscription: Subscription) -> list:
    """Who is told about the subscription: its person, or the team's owners and admins."""
    if subscription.team_id is None:
        return [subscription.user]
    managers = Membership.objects.filter(
        team_id=subscription.team_id, role__in=TEAM_MANAGERS
    ).select_related("user")
    return [membership.user for membership in managers]


def due_deliveries(now: datetime, limit: int = 200) -> list[int]:
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now, subscription__is_active=True
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
