"""The calendar file attached to appointment e-mails (iCalendar iTIP, RFC 5546).

One UID for the life of an appointment (`Appointment.ical_uid`) and its SEQUENCE, bumped on every
change, let a calendar client update or remove the event it imported from the first e-mail.
"""

from __future__ import annotations

from appointments.models import Appointment
from notifications.emails import appointment_url, display_name

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def appointment_event(appointment: Appointment, *, now):
    from calendars.ics.export import EventData

    calendar, booker = appointment.calendar, appointment.user
    provider = calendar.provider
    cancelled = not appointment.is_active
    return EventData(
        uid=appointment.ical_uid,
        sequence=appointment.sequence,
        start=appointment.start_time,
        end=appointment.end_time,
        summary=f"{calendar.name}: {display_name(booker)} with {display_name(provider)}",
        description=appointment.description,
        url=appointment_url(appointment),
        status="CANCELLED" if cancelled else "CONFIRMED",
        organizer=(display_name(provider), provider.email),
        attendees=[(display_name(booker), booker.email)],
        dtstamp=now,
        last_modified=appointment.updated_at,
    )


def appointment_ics(appointment: Appointment, *, method: str, now) -> str:
    """REQUEST for a new or moved appointment, CANCEL (with STATUS:CANCELLED) for a cancelled one."""
    from calendars.ics.export import build_calendar

    data = build_calendar([appointment_event(appointment, now=now)], method=method)
    return data.decode("utf-8")
