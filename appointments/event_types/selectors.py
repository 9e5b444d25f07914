"""Reads of a person's event types and schedules: their own (for the pages where they manage
them; anyone else's is a 404) and their public ones."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from appointments.models import Appointment, Calendar, Schedule


def own_event_types(user) -> QuerySet[Calendar]:
    """The person's personal event types, deleted ones left out (team event types are the
    team's pages' business)."""
    return Calendar.objects.filter(provider=user, team=None, archived_at=None).select_related(
        "schedule"
    )


def own_event_types_listed(user, *, now) -> QuerySet[Calendar]:
    """The list page's rows: each with `has_future_bookings`, in the same query."""
    upcoming = Appointment.objects.active().filter(calendar=OuterRef("pk"), end_time__gt=now)
    return own_event_types(user).annotate(has_future_bookings=Exists(upcoming))


def own_event_type(user, pk: int) -> Calendar:
    return get_object_or_404(own_event_types(user), pk=pk)


def own_schedules(user) -> QuerySet[Schedule]:
    in_use = Count("event_types", filter=Q(event_types__archived_at=None))
    return Schedule.objects.filter(owner=user).annotate(in_use=in_use)


def own_schedule(user, pk: int) -> Schedule:
    return get_object_or_404(own_schedules(user), pk=pk)


def public_person(username: str):
    """A person who offers something to book, and their bookable event types; a 404 for
    anyone else (so the page does not tell who has an account)."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    event_types = list(
        Calendar.objects.filter(provider=person, team=None, is_active=True, archived_at=None)
    )
    if not event_types:
        raise Http404("Nothing to book here.")
    return person, event_types
