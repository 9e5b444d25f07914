"""One appointment as one iCalendar event, the same everywhere: the subscription feed, the .ics
download, e-mail invitations and CalDAV write-back share the UID and SEQUENCE given here."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from appointments.models import Appointment
from calendars.ics.export import EventData, build_calendar


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _email(user) -> str:
    return user.email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip()


def appointment_url(appointment: Appointment) -> str:
    return settings.SITE_URL + reverse("appointment_detail", args=[appointment.pk])


def appointment_event(appointment: Appointment, *, with_people: bool = False) -> EventData:
    """The event of `appointment`. The summary names both parties (their names only); e-mail
    addresses appear only in invitations (`with_people`), where iTIP requires them."""
    calendar, booker = appointment.calendar, appointment.user
    hosts = appointment.host_users or [calendar.provider]
    people = {}
    if with_people:
        # The first host organizes; the other hosts of a collective booking attend with the booker.
        people = {
            "organizer": (_name(hosts[0]), _email(hosts[0])),
            "attendees": [(_name(person), _email(person)) for person in [*hosts[1:], booker]],
        }
    return EventData(
        uid=appointment.ical_uid,
        sequence=appointment.sequence,
        start=appointment.start_time,
        end=appointment.end_time,
        summary=f"{calendar.name}: {_name(booker)} with {', '.join(map(_name, hosts))}",
        description=appointment.description,
        url=appointment_url(appointment),
        status="CANCELLED" if not appointment.is_active else "CONFIRMED",
        dtstamp=appointment.updated_at,
        last_modified=appointment.updated_at,
        **people,
    )


def appointment_ics(appointment: Appointment, *, method: str = "PUBLISH") -> bytes:
    """A one-event calendar file: PUBLISH for downloads, REQUEST / CANCEL for invitations."""
    event = appointment_event(appointment, with_people=method in {"REQUEST", "CANCEL"})
    return build_calendar([event], method=method)
