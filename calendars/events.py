"""One appointment as one iCalendar event, the same everywhere: the subscription feed, the .ics
download, e-mail invitations and CalDAV write-back share the UID and SEQUENCE given here.

Who gets what (RFC 5546 iTIP):
- the booker (an attendee) and, on a collective booking, the other hosts (attendees too):
  `METHOD:REQUEST` / `METHOD:CANCEL`, organizer and attendees named;
- the organizer (the first host, the only one of a personal or round-robin booking):
  `METHOD:PUBLISH`, the organizer named and no attendees, so their calendar app files the event
  as their own instead of as an invitation to answer;
- downloads, the feed and write-back: no addresses at all.
The ORGANIZER of an invitation carries `SENT-BY` with the address the e-mail comes from
(`DEFAULT_FROM_EMAIL`), so receivers see why the message is not from the organizer's own address.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse

from appointments.models import Appointment
from calendars.ics.export import EventData, build_calendar


def appointment_hosts(appointment: Appointment) -> list:
    """Who hosts it, the organizer first (a booking without host rows is the owner's)."""
    return appointment.host_users or [appointment.calendar.provider]


def ical_uid_of(uid) -> str:
    """`Appointment.ical_uid` from the bare `uid` column, for reads that load no models."""
    return f"{uid}@slotwise"


def display_name(first_name: str, last_name: str, username: str) -> str:
    """As `User.get_full_name() or get_username()`, from the three values."""
    return f"{first_name} {last_name}".strip() or username


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def sending_address() -> str:
    """The address e-mails come from (the address part of `DEFAULT_FROM_EMAIL`)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "bookings@localhost"


def _email(user) -> str:
    return user.email or sending_address()


def appointment_url(appointment: Appointment) -> str:
    return appointment_url_for(appointment.pk)


@cache
def _url_parts() -> tuple[str, str]:
    # reverse() costs microseconds a call, which a feed of thousands of events notices:
    # reverse once with a marker and splice the key in.
    marker = 987654321
    path = reverse("appointment_detail", args=[marker])
    prefix, suffix = path.split(str(marker))
    return settings.SITE_URL + prefix, suffix


def appointment_url_for(pk: int) -> str:
    prefix, suffix = _url_parts()
    return f"{prefix}{pk}{suffix}"


class AppointmentFacts(NamedTuple):
    """What an event is made of, whether read as a model or as one row of the feed's query
    (a tuple: the feed makes thousands, and a frozen dataclass costs several times more)."""

    pk: int
    ical_uid: str
    sequence: int
    start: datetime
    end: datetime
    description: str
    is_active: bool
    updated_at: datetime
    calendar_name: str
    booker_name: str
    host_names: str  # "Ann" or "Ann, Bob and Cat"


def appointment_facts(appointment: Appointment) -> AppointmentFacts:
    return AppointmentFacts(
        pk=appointment.pk,
        ical_uid=appointment.ical_uid,
        sequence=appointment.sequence,
        start=appointment.start_time,
        end=appointment.end_time,
        description=appointment.description,
        is_active=appointment.is_active,
        updated_at=appointment.updated_at,
        calendar_name=appointment.calendar.name,
        booker_name=appointment.booker_name,
        host_names=names_text([_name(host) for host in appointment_hosts(appointment)]),
    )


def names_text(names: list[str]) -> str:
    """["Ann"] -> "Ann"; ["Ann", "Bob", "Cat"] -> "Ann, Bob and Cat"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def event_of(facts: AppointmentFacts, **people) -> EventData:
    """The event. The summary names both parties (their names only); e-mail addresses appear
    only in the e-mails' calendars (`people`), where iTIP requires them."""
    return EventData(
        uid=facts.ical_uid,
        sequence=facts.sequence,
        start=facts.start,
        end=facts.end,
        summary=f"{facts.calendar_name}: {facts.booker_name} with {facts.host_names}",
        description=facts.description,
        url=appointment_url_for(facts.pk),
        status="CONFIRMED" if facts.is_active else "CANCELLED",
        dtstamp=facts.updated_at,
        last_modified=facts.updated_at,
        **people,
    )


def appointment_event(appointment: Appointment, *, audience: str = "") -> EventData:
    """`audience`: "" (no addresses), "attendee" (the invitation), "organizer" (their copy)."""
    people = {}
    hosts = appointment_hosts(appointment)
    if audience:
        organizer = hosts[0]
        people["organizer"] = (_name(organizer), _email(organizer))
        if organizer.email != sending_address():
            people["organizer_sent_by"] = sending_address()
    if audience == "attendee":
        attending = [*hosts[1:], appointment.booker]
        people["attendees"] = [(_name(person), _email(person)) for person in attending]
    return event_of(appointment_facts(appointment), **people)


def appointment_ics(appointment: Appointment, *, method: str = "PUBLISH") -> bytes:
    """A one-event calendar file: PUBLISH for downloads, REQUEST / CANCEL for invitations."""
    audience = "attendee" if method in {"REQUEST", "CANCEL"} else ""
    return build_calendar([appointment_event(appointment, audience=audience)], method=method)


def organizer_copy_ics(appointment: Appointment) -> bytes:
    """The organizer's copy of their own event: METHOD:PUBLISH, no attendees (RFC 5546 3.2.1)."""
    event = appointment_event(appointment, audience="organizer")
    return build_calendar([event], method="PUBLISH")
