from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendars.ics.export import PRODUCT_ID, EventData, build_calendar
from calendars.ics.parse import busy_from_ics
from calendars.tests.parsers import NASTY_NAME, NASTY_TEXT, parsed_everywhere, strictly_parsed

BERLIN = ZoneInfo("Europe/Berlin")

APPOINTMENT = EventData(
    uid="appointment-42@slotwise",
    sequence=0,
    start=datetime(2025, 6, 2, 10, 0, tzinfo=BERLIN),
    end=datetime(2025, 6, 2, 10, 30, tzinfo=BERLIN),
    summary="Haircut with Sam",
    description="Bring the voucher.",
    url="https://slotwise.example/appointments/42",
    location="Main Street 1, Berlin",
    organizer=("Sam Barber", "sam@example.com"),
    attendees=[("Alex Client", "alex@example.com")],
    dtstamp=datetime(2025, 5, 20, 8, 15, 30, 123456, tzinfo=UTC),
    last_modified=datetime(2025, 5, 19, 7, 0, tzinfo=UTC),
)


def only_event(ics: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_it_writes_the_calendar_headers() -> None:
    calendar = icalendar.Calendar.from_ical(build_calendar([APPOINTMENT]))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODUCT_ID
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert "METHOD" not in calendar
    assert "X-WR-CALNAME" not in calendar


def test_it_names_the_calendar_when_asked() -> None:
    calendar = icalendar.Calendar.from_ical(build_calendar([APPOINTMENT], name="Sam's bookings"))

    assert calendar["X-WR-CALNAME"] == "Sam's bookings"


def test_an_event_round_trips_with_its_identity_and_texts() -> None:
    event = only_event(build_calendar([APPOINTMENT]))

    assert event["UID"] == "appointment-42@slotwise"
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Haircut with Sam"
    assert event["DESCRIPTION"] == "Bring the voucher."
    assert event["URL"] == "https://slotwise.example/appointments/42"
    assert event["LOCATION"] == "Main Street 1, Berlin"
    assert event["STATUS"] == "CONFIRMED"


def test_times_are_written_in_utc_whole_seconds() -> None:
    ics = build_calendar([APPOINTMENT])
    event = only_event(ics)

    assert b"DTSTART:20250602T080000Z\r\n" in ics
    assert b"DTEND:20250602T083000Z\r\n" in ics
    assert b"DTSTAMP:20250520T081530Z\r\n" in ics
    assert b"LAST-MODIFIED:20250519T070000Z\r\n" in ics
    assert b"TZID" not in ics and b"VTIMEZONE" not in ics
    assert event["DTSTART"].dt == APPOINTMENT.start
    assert event["DTEND"].dt == APPOINTMENT.end


def test_the_stamp_defaults_to_now_in_utc() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    event = only_event(build_calendar([replace(APPOINTMENT, dtstamp=None)]))
    after = datetime.now(UTC)

    assert before <= event["DTSTAMP"].dt <= after
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)


def test_optional_texts_are_left_out_when_empty() -> None:
    bare = EventData(
        uid="appointment-7@slotwise",
        sequence=1,
        start=APPOINTMENT.start,
        end=APPOINTMENT.end,
        summary="Call",
    )
    event = only_event(build_calendar([bare]))

    for absent in ("DESCRIPTION", "URL", "LOCATION", "ORGANIZER", "ATTENDEE", "LAST-MODIFIED"):
        assert absent not in event


def test_an_invitation_names_organizer_and_attendees_as_mailto_addresses() -> None:
    two_attendees = replace(
        APPOINTMENT, attendees=[("Alex Client", "alex@example.com"), ("Kim", "kim@example.com")]
    )
    calendar = icalendar.Calendar.from_ical(build_calendar([two_attendees], method="REQUEST"))
    (event,) = calendar.walk("VEVENT")

    assert calendar["METHOD"] == "REQUEST"
    assert event["ORGANIZER"] == "mailto:sam@example.com"
    assert event["ORGANIZER"].params["CN"] == "Sam Barber"
    attendees = event["ATTENDEE"]
    assert [str(attendee) for attendee in attendees] == [
        "mailto:alex@example.com",
        "mailto:kim@example.com",
    ]
    assert dict(attendees[0].params) == {
        "CN": "Alex Client",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }


def test_names_with_quotes_and_commas_survive_the_round_trip() -> None:
    tricky = replace(APPOINTMENT, organizer=('Dr. "Sam" O\'Neil, MD', "sam@example.com"))
    event = only_event(build_calendar([tricky], method="REQUEST"))

    assert event["ORGANIZER"].params["CN"] == 'Dr. "Sam" O\'Neil, MD'


def test_a_cancellation_carries_the_cancelled_event_with_a_higher_sequence() -> None:
    cancelled = replace(APPOINTMENT, status="CANCELLED", sequence=APPOINTMENT.sequence + 1)
    calendar = icalendar.Calendar.from_ical(build_calendar([cancelled], method="cancel"))
    (event,) = calendar.walk("VEVENT")

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event["UID"] == APPOINTMENT.uid


def test_a_cancel_message_refuses_an_event_that_is_not_cancelled() -> None:
    with pytest.raises(ValueError, match="STATUS:CANCELLED"):
        build_calendar([APPOINTMENT], method="CANCEL")


def test_an_invitation_needs_an_organizer() -> None:
    with pytest.raises(ValueError, match="organizer"):
        build_calendar([replace(APPOINTMENT, organizer=None)], method="REQUEST")


@pytest.mark.parametrize(
    "change",
    [
        {"start": datetime(2025, 6, 2, 10, 0)},
        {"dtstamp": datetime(2025, 6, 2, 10, 0)},
        {"end": APPOINTMENT.start},
        {"status": "MAYBE"},
    ],
    ids=["naive start", "naive stamp", "empty", "unknown status"],
)
def test_it_refuses_events_that_would_make_a_wrong_file(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build_calendar([replace(APPOINTMENT, **change)])


def test_it_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="method"):
        build_calendar([APPOINTMENT], method="REFRESH")


def test_long_texts_are_folded_to_75_octets_and_unfold_unchanged() -> None:
    description = "Bitte pünktlich kommen – the room is on the 3rd floor. " * 12
    ics = build_calendar([replace(APPOINTMENT, description=description)])

    lines = ics.split(b"\r\n")
    assert lines[-1] == b""  # every line, the last one too, ends with CRLF
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # it did fold
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    assert only_event(ics)["DESCRIPTION"] == description


def test_a_feed_holds_every_event_and_reads_back_as_the_same_busy_time() -> None:
    second = replace(
        APPOINTMENT,
        uid="appointment-43@slotwise",
        start=datetime(2025, 6, 3, 9, 0, tzinfo=UTC),
        end=datetime(2025, 6, 3, 10, 0, tzinfo=UTC),
    )
    ics = build_calendar([APPOINTMENT, second], name="Sam")

    busy = busy_from_ics(
        ics,
        window_start=datetime(2025, 6, 1, tzinfo=UTC),
        window_end=datetime(2025, 6, 8, tzinfo=UTC),
        default_tz="UTC",
    )

    assert busy == [(APPOINTMENT.start, APPOINTMENT.end), (second.start, second.end)]


def test_text_rfc_5545_forbids_never_reaches_the_file() -> None:
    nasty = replace(
        APPOINTMENT,
        summary=NASTY_TEXT,
        description=NASTY_TEXT,
        location=NASTY_TEXT,
        organizer=(NASTY_NAME, "sam@example.com"),
        attendees=[(NASTY_NAME, "alex@example.com")],
    )
    ics = build_calendar([nasty], method="REQUEST", name=NASTY_TEXT)

    calendar = parsed_everywhere(ics)
    strict = strictly_parsed(ics).events[0]
    (event,) = calendar.walk("VEVENT")
    cleaned = "a\nbc[0m d e\nCafé 😀👩\u200d🔬, semi; back\\slash"
    assert str(event["DESCRIPTION"]).startswith(cleaned)
    assert str(event["DESCRIPTION"]).endswith("\nsecond line\ttabbed")
    assert "\n" not in str(event["SUMMARY"])  # a title stays on one line
    assert strict.description == str(event["DESCRIPTION"])
    assert event["ORGANIZER"].params["CN"] == 'Dr "Zoë" O\'Neil, MD; 😀 x'
    assert max(len(line) for line in ics.split(b"\r\n")) <= 75


def test_an_invitation_can_name_who_sends_it_for_the_organizer() -> None:
    sent = replace(APPOINTMENT, organizer_sent_by="bookings@slotwise.example")
    ics = build_calendar([sent], method="REQUEST")

    (event,) = parsed_everywhere(ics).walk("VEVENT")
    assert event["ORGANIZER"] == "mailto:sam@example.com"
    assert event["ORGANIZER"].params["SENT-BY"] == "mailto:bookings@slotwise.example"


def test_a_published_copy_invites_nobody() -> None:
    with pytest.raises(ValueError, match="attendees"):
        build_calendar([APPOINTMENT], method="PUBLISH")

    published = build_calendar([replace(APPOINTMENT, attendees=())], method="PUBLISH")
    (event,) = parsed_everywhere(published).walk("VEVENT")
    assert "ATTENDEE" not in event
    assert event["ORGANIZER"] == "mailto:sam@example.com"
