"""What an API caller may read: scoped querysets (another user's object is simply not in them)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from appointments.access import visible_appointments
from appointments.models import Appointment, AppointmentHost, Calendar, Team


def _event_types() -> QuerySet[Calendar]:
    return (
        Calendar.objects.filter(archived_at=None)
        .select_related("provider", "schedule")
        .prefetch_related("host_rows__user", "provider__schedules")
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


def user_bookings(
    user,
    *,
    role: str = "any",
    status: str | None = None,
    start_from: datetime | None = None,
    start_before: datetime | None = None,
) -> QuerySet[Appointment]:
    bookings = visible_appointments(user)
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
