"""The private subscription feed: which appointments it holds, its version for conditional
GET, its body, and the token that names it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum

from appointments.access import involving
from appointments.models import Appointment, AppointmentHost
from calendars.events import (
    AppointmentFacts,
    display_name,
    event_of,
    ical_uid_of,
    names_text,
)
from calendars.ics.export import build_calendar
from calendars.models import FeedToken, new_feed_token

# Cancelled appointments stay in the feed this long, so subscribed apps see STATUS:CANCELLED
# and remove the event, instead of it silently vanishing (which some apps never notice).
KEEP_CANCELLED = timedelta(days=30)
# Past appointments older than this are left out: a feed re-downloaded every few minutes for
# years should not grow without end.
KEEP_PAST = timedelta(days=365)


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: datetime | None


def feed_appointments(user, *, now: datetime) -> QuerySet[Appointment]:
    """The user's appointments as booker and as host, on every event type."""
    kept = Q(status=Appointment.Status.CONFIRMED) | Q(cancelled_at__gte=now - KEEP_CANCELLED)
    return (
        Appointment.objects.filter(involving(user))
        .filter(kept, end_time__gte=now - KEEP_PAST)
        .order_by("start_time", "pk")
    )


def feed_version(user, *, now: datetime) -> FeedVersion:
    """One aggregate query. Every change bumps updated_at and SEQUENCE (the sum catches two
    changes within one clock tick); the count changes when an appointment leaves the window."""
    found = feed_appointments(user, now=now).aggregate(
        count=Count("pk"), sequences=Sum("sequence"), last=Max("updated_at")
    )
    last = found["last"]
    stamp = f"{found['count']}-{found['sequences'] or 0}"
    if last is not None:
        stamp += f"-{last.timestamp():.6f}"
    return FeedVersion(etag=f'"{user.pk}-{stamp}"', last_modified=last)


# What the feed's events are made of, read as plain values: building thousands of model
# instances (appointment, calendar, two users) would cost more than writing the file.
_FEED_COLUMNS = (
    "pk",
    "uid",
    "sequence",
    "start_time",
    "end_time",
    "description",
    "status",
    "updated_at",
    "calendar__name",
    "user__first_name",
    "user__last_name",
    "user__username",
    "contact_name",
)


def _host_names(appointments: QuerySet[Appointment]) -> dict[int, str]:
    """Each appointment's hosts ("Ann", "Ann, Bob and Cat"), organizer first: one query."""
    rows = (
        AppointmentHost.objects.filter(appointment__in=appointments.values("pk"))
        .order_by("appointment_id", "pk")
        .values_list("appointment_id", "user__first_name", "user__last_name", "user__username")
    )
    names: dict[int, list[str]] = {}
    for appointment_id, *name in rows:
        names.setdefault(appointment_id, []).append(display_name(*name))
    return {pk: names_text(found) for pk, found in names.items()}


def feed_facts(user, *, now: datetime) -> list[AppointmentFacts]:
    appointments = feed_appointments(user, now=now)
    hosts = _host_names(appointments)
    rows = appointments.values_list(*_FEED_COLUMNS)
    return [_facts(*row, host_names=hosts.get(row[0], "")) for row in rows]


def _facts(
    pk,
    uid,
    sequence,
    start,
    end,
    description,
    status,
    updated_at,
    calendar,
    *names,
    host_names,
):
    *names, contact_name = names
    return AppointmentFacts(
        pk=pk,
        ical_uid=ical_uid_of(uid),
        sequence=sequence,
        start=start,
        end=end,
        description=description,
        is_active=status == Appointment.Status.CONFIRMED,
        updated_at=updated_at,
        calendar_name=calendar,
        # A guest has no account: the contact record names them.
        booker_name=display_name(*names) if names[2] else contact_name,
        host_names=host_names,
    )


def feed_ics(user, *, now: datetime) -> bytes:
    events = [event_of(facts) for facts in feed_facts(user, now=now)]
    return build_calendar(events, name=f"Slotwise: {user.get_username()}")


def feed_user(token: str):
    """The user whose feed `token` names, or None (unknown or revoked)."""
    found = FeedToken.objects.select_related("user__profile").filter(token=token).first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def feed_token_get(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def feed_token_regenerate(*, user) -> FeedToken:
    """A new secret address; the old one stops working at once."""
    token, created = FeedToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.save(update_fields=["token"])
    return token


def feed_token_revoke(*, user) -> None:
    FeedToken.objects.filter(user=user).delete()
