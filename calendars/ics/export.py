"""Build RFC 5545 calendar files: feeds, e-mail invitations (RFC 5546 iTIP) and CalDAV objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar

PRODUCT_ID = "-//Slotwise//Slotwise appointments//EN"
EVENT_STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
# iTIP methods this product sends: an invitation or update, and its cancellation.
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})


@dataclass(frozen=True)
class EventData:
    uid: str  # stable for the life of the appointment, e.g. "appointment-42@slotwise"
    sequence: int  # bumped by the caller on every change mail clients should notice
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str = ""
    url: str = ""  # link back to the appointment
    location: str = ""
    status: str = "CONFIRMED"  # or "CANCELLED" (or "TENTATIVE")
    organizer: tuple[str, str] | None = None  # (name, email)
    attendees: Sequence[tuple[str, str]] = ()  # (name, email)
    dtstamp: datetime | None = None  # default: now (UTC)
    last_modified: datetime | None = None


def build_calendar(
    events: Iterable[EventData], *, method: str | None = None, name: str = ""
) -> bytes:
    """One VCALENDAR holding the events, times in UTC, folded and CRLF-terminated."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        method = method.upper()
        if method not in METHODS:
            raise ValueError(f"Unsupported iTIP method {method!r}.")
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        _check_event(event, method)
        calendar.add_component(_vevent(event))
    return calendar.to_ical()


def _check_event(event: EventData, method: str | None) -> None:
    """Refuse what would produce a wrong file; these are programming errors, not user input."""
    for label, moment in _moments(event):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{label} of {event.uid} is a naive datetime.")
    if event.end <= event.start:
        raise ValueError(f"Event {event.uid} ends before it starts.")
    if event.status not in EVENT_STATUSES:
        raise ValueError(f"Unknown event status {event.status!r}.")
    # RFC 5546: a CANCEL carries the cancelled event, and every iTIP message names its
    # organizer; mail clients silently ignore invitations that break these rules.
    if method == "CANCEL" and event.status != "CANCELLED":
        raise ValueError("METHOD:CANCEL needs events with STATUS:CANCELLED.")
    if method in {"REQUEST", "CANCEL"} and event.organizer is None:
        raise ValueError(f"METHOD:{method} needs an organizer.")


def _moments(event: EventData) -> list[tuple[str, datetime]]:
    optional = [("dtstamp", event.dtstamp), ("last_modified", event.last_modified)]
    given = [(label, moment) for label, moment in optional if moment is not None]
    return [("start", event.start), ("end", event.end), *given]


def _vevent(event: EventData) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(event.dtstamp or datetime.now(UTC)))
    vevent.add("dtstart", _utc(event.start))
    vevent.add("dtend", _utc(event.end))
    vevent.add("summary", event.summary)
    vevent.add("status", event.status)
    optional_text = [
        ("description", event.description),
        ("location", event.location),
        ("url", event.url),
    ]
    for property_name, text in optional_text:
        if text:
            vevent.add(property_name, text)
    if event.last_modified is not None:
        vevent.add("last-modified", _utc(event.last_modified))
    if event.organizer is not None:
        vevent.add("organizer", _address(*event.organizer))
    for attendee_name, email in event.attendees:
        vevent.add("attendee", _attendee(attendee_name, email))
    return vevent


def _utc(moment: datetime) -> datetime:
    # Whole seconds in UTC: iCalendar has no sub-second precision, and "Z" times need
    # no VTIMEZONE, which every client understands.
    return moment.astimezone(UTC).replace(microsecond=0)


def _address(name: str, email: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def _attendee(name: str, email: str) -> icalendar.vCalAddress:
    attendee = _address(name, email)
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "NEEDS-ACTION"
    # The booking is already made; we do not want replies flooding the organizer's inbox.
    attendee.params["RSVP"] = "FALSE"
    return attendee
