"""Models as the API shows them (plain dicts the response schemas validate). The webhooks send
a booking in this same shape."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from appointments.models import Appointment, Calendar, Team
from calendars.events import appointment_url_for


def person(user) -> dict:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
    }


def event_type(calendar: Calendar) -> dict:
    return {
        "id": calendar.pk,
        "slug": calendar.slug,
        "name": calendar.name,
        "description": calendar.description,
        "is_active": calendar.is_active,
        "length_minutes": calendar.length_minutes,
        "step_minutes": calendar.step_minutes,
        "buffer_before_minutes": calendar.buffer_before_minutes,
        "buffer_after_minutes": calendar.buffer_after_minutes,
        "minimum_notice_minutes": calendar.minimum_notice_minutes,
        "horizon_days": calendar.horizon_days,
        "max_per_day": calendar.max_per_day,
        "time_zone": calendar.zone.key,
        "assignment": calendar.assignment,
        "team_id": calendar.team_id,
        "owner": person(calendar.provider),
        "hosts": [person(row.user) for row in calendar.host_rows.all()],
        "booking_url": settings.SITE_URL + reverse("book_calendar", args=[calendar.slug]),
    }


def booking(appointment: Appointment) -> dict:
    calendar = appointment.calendar
    return {
        "id": appointment.pk,
        "uid": str(appointment.uid),
        "status": appointment.status,
        "start": appointment.start_time,
        "end": appointment.end_time,
        "description": appointment.description,
        "event_type": {"id": calendar.pk, "slug": calendar.slug, "name": calendar.name},
        "booker": person(appointment.user),
        "hosts": [person(user) for user in appointment.host_users],
        "created_at": appointment.created_at,
        "updated_at": appointment.updated_at,
        "cancelled_at": appointment.cancelled_at,
        "web_url": appointment_url_for(appointment.pk),
    }


def team(team: Team) -> dict:
    return {
        "id": team.pk,
        "slug": team.slug,
        "name": team.name,
        "members": [
            {"person": person(membership.user), "role": membership.role}
            for membership in team.memberships.all()
        ],
        "event_type_ids": [
            calendar.pk for calendar in team.event_types.all() if calendar.archived_at is None
        ],
    }
