"""Models as the API shows them (plain dicts the response schemas validate). The webhooks send
a booking in this same shape."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.urls import reverse

from appointments.models import Appointment, BookingQuestion, Calendar, Schedule, Team
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
        "requires_confirmation": calendar.requires_confirmation,
        "questions": [question(each) for each in _asked(calendar)],
    }


def _asked(calendar: Calendar):
    # The selectors prefetch the questions still asked as `asked`.
    if hasattr(calendar, "asked"):
        return calendar.asked
    return calendar.questions.filter(removed_at=None).order_by("position", "pk")


def question(question: BookingQuestion) -> dict:
    return {
        "id": question.pk,
        "kind": question.kind,
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "choices": list(question.choices or []),
    }


def booker(appointment: Appointment) -> dict:
    """The account that booked, or the guest; with the contact details kept on the booking."""
    user = appointment.user
    return {
        "id": user.pk if user is not None else None,
        "username": user.get_username() if user is not None else None,
        "name": appointment.contact_name or (person(user)["name"] if user is not None else ""),
        "email": appointment.contact_email,
        "phone": appointment.contact_phone,
        "time_zone": appointment.contact_time_zone,
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
        "booker": booker(appointment),
        "hosts": [person(user) for user in appointment.host_users],
        "answers": [
            {"question_id": answer.question_id, "label": answer.label, "value": answer.value}
            for answer in appointment.answers.all()
        ],
        "created_at": appointment.created_at,
        "updated_at": appointment.updated_at,
        "cancelled_at": appointment.cancelled_at,
        "cancel_reason": appointment.cancel_reason,
        "request_expires_at": appointment.request_expires_at,
        "decline_reason": appointment.decline_reason,
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


def clock(value: time | None) -> str | None:
    return None if value is None else f"{value:%H:%M}"


def schedule(schedule: Schedule, *, today, now) -> dict:
    return {
        "id": schedule.pk,
        "name": schedule.name,
        "time_zone": schedule.time_zone,
        "is_default": schedule.is_default,
        "hours": [
            {"weekday": row.weekday, "start": clock(row.start_time), "end": clock(row.end_time)}
            for row in schedule.working_hours.all()
        ],
        "overrides": [
            {
                "id": row.pk,
                "date": row.date,
                "start": clock(row.start_time),
                "end": clock(row.end_time),
                "closed": row.is_closed,
            }
            for row in schedule.date_overrides.all()
            if row.date >= today
        ],
        "time_off": [
            {"id": row.pk, "start": row.start_time, "end": row.end_time, "reason": row.reason}
            for row in schedule.time_off.all()
            if row.end_time > now
        ],
    }
