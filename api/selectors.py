"""What an API caller may read: scoped querysets (another user's object is simply not in them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from appointments.access import visible_appointments
from appointments.models import (
    Appointment,
    AppointmentHost,
    BookingQuestion,
    Calendar,
    DateOverride,
    Schedule,
    Team,
    TimeOff,
)


def _event_types() -> QuerySet[Calendar]:
    return (
        Calendar.objects.filter(archived_at=None)
        .select_related("provider", "schedule")
        .prefetch_related(
            "host_rows__user",
            "provider__schedules",
            Prefetch(
                "questions",
                queryset=BookingQuestion.objects.filter(removed_at=None).order_by("position", "pk"),
                to_attr="asked",
            ),
        )
        .order_by("pk")
    )


def readable_event_types(user) -> QuerySet[Calendar]:
    """Public event types (taking bookings) for anyone; a signed-in caller's own ones as well,
    switched off or not."""
    public = Q(is_active=True)
    if user.is_authenticated:
        public |= Q(provider=user)
    return _event_types().filter(public)


def editable_event_types(user) -> QuerySet[Calendar]:
    """The caller's own personal event types (team ones are managed on the team's pages)."""
    return _event_types().filter(provider=user, team=None)


def api_bookings(user) -> QuerySet[Appointment]:
    """The bookings the caller is the booker or a host of, with what the API shows of them."""
    return visible_appointments(user).prefetch_related("answers")


def shown_booking(pk: int) -> Appointment:
    """One booking, loaded with what the API (and a webhook's body) shows of it, whoever is
    asking: after a change, and for a guest's booking, which no account's bookings hold."""
    return (
        Appointment.objects.select_related("calendar", "user")
        .prefetch_related("host_rows__user", "answers")
        .get(pk=pk)
    )


def user_bookings(
    user,
    *,
    role: str = "any",
    status: str | None = None,
    start_from: datetime | None = None,
    start_before: datetime | None = None,
) -> QuerySet[Appointment]:
    bookings = api_bookings(user)
    if role == "booker":
        bookings = bookings.filter(user=user)
    elif role == "host":
        hosted = AppointmentHost.objects.filter(appointment=OuterRef("pk"), user=user)
        bookings = bookings.filter(Exists(hosted))
    if status:
        bookings = bookings.filter(status=status)
    if start_from is not None:
        bookings = bookings.filter(start_time__gte=start_from)
    if start_before is not None:
        bookings = bookings.filter(start_time__lt=start_before)
    return bookings.order_by("start_time", "pk")


def user_teams(user) -> QuerySet[Team]:
    return (
        Team.objects.filter(memberships__user=user)
        .prefetch_related("memberships__user", "event_types")
        .order_by("pk")
        .distinct()
    )


def own_schedules(user, *, now: datetime) -> QuerySet[Schedule]:
    """The caller's schedules with their hours, the overrides from yesterday (UTC) on and the
    time off not yet over: enough for any zone's today, and bounded whatever the history."""
    yesterday = (now - timedelta(days=1)).date()
    return (
        Schedule.objects.filter(owner=user)
        .prefetch_related(
            "working_hours",
            Prefetch("date_overrides", queryset=DateOverride.objects.filter(date__gte=yesterday)),
            Prefetch("time_off", queryset=TimeOff.objects.filter(end_time__gt=now)),
        )
        .order_by("-is_default", "name", "pk")
    )
