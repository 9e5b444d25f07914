"""The add-to-calendar file of one appointment: METHOD:PUBLISH with the appointment's own UID and
SEQUENCE, so importing it again after a change updates the event instead of duplicating it."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from appointments.models import Appointment
from calendars.ics.export import EventData, build_calendar


def _person(user) -> tuple[str, str]:
    return (user.get_full_name() or user.get_username(), user.email)


def appointment_ics_bytes(appointment: Appointment, *, request, now: datetime) -> bytes:
    provider = appointment.calendar.provider
    event = EventData(
        uid=appointment.ical_uid,
        sequence=appointment.sequence,
        start=appointment.start_time,
        end=appointment.end_time,
        summary=f"{appointment.calendar.name} with {_person(provider)[0]}",
        description=appointment.description,
        url=request.build_absolute_uri(reverse("appointment_detail", args=[appointment.pk])),
        status="CONFIRMED" if appointment.is_active else "CANCELLED",
        organizer=_person(provider) if provider.email else None,
        attendees=[_person(appointment.user)] if appointment.user.email else [],
        dtstamp=now,
        last_modified=appointment.updated_at,
    )
    return build_calendar([event], method="PUBLISH", name=appointment.calendar.name)
