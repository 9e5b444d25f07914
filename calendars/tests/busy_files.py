"""Calendar files of the sizes and shapes that stalled syncs: tens of thousands of plain events
(a 5 MB feed), and a few events repeating every quarter of an hour. Used by the tests and by
`bench/calendar_sync.py`."""

from __future__ import annotations

from datetime import datetime, timedelta

HEADER = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Slotwise tests//EN\r\n"
FOOTER = "END:VCALENDAR\r\n"


def plain_events_file(
    start: datetime, *, size: int = 5 * 1024 * 1024 - 1024, days: int = 60, step_minutes: int = 37
) -> bytes:
    """Plain one-off events in UTC, `step_minutes` apart and wrapping round `days` days from
    `start`, up to `size` bytes (about 36,000 events in 5 MB)."""
    parts, length, index = [HEADER], len(HEADER) + len(FOOTER), 0
    while True:
        begin = start + timedelta(minutes=step_minutes * index % (days * 24 * 60))
        end = begin + timedelta(minutes=30 + index % 60)
        event = (
            f"BEGIN:VEVENT\r\nUID:event-{index}@tests\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{begin:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
            f"SUMMARY:Busy {index}\r\nEND:VEVENT\r\n"
        )
        if length + len(event) > size:
            break
        parts.append(event)
        length += len(event)
        index += 1
    return "".join([*parts, FOOTER]).encode()


def minutely_file(start: datetime, *, events: int = 50) -> bytes:
    """`events` events of 10 minutes, each repeating every 15 minutes for ever (a 5.8 KB file
    that expands to about 300,000 busy times over a two-month window)."""
    parts = [HEADER]
    for index in range(events):
        begin = start + timedelta(minutes=index)
        parts.append(
            f"BEGIN:VEVENT\r\nUID:minutely-{index}@tests\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{begin:%Y%m%dT%H%M%SZ}\r\nDURATION:PT10M\r\n"
            f"RRULE:FREQ=MINUTELY;INTERVAL=15\r\nSUMMARY:Every quarter {index}\r\nEND:VEVENT\r\n"
        )
    return "".join([*parts, FOOTER]).encode()


def mixed_file(start: datetime) -> bytes:
    """Plain events (UTC, all-day, with DURATION, transparent, cancelled) beside zoned,
    repeating and overridden ones, for comparing the plain-event reader with icalendar."""
    day = start.strftime("%Y%m%d")
    events = [
        f"UID:a@t\r\nDTSTART:{day}T090000Z\r\nDTEND:{day}T100000Z",
        f"UID:b@t\r\nDTSTART:{day}T093000Z\r\nDURATION:PT45M",
        f"UID:c@t\r\nDTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{day}",
        f"UID:d@t\r\nDTSTART;VALUE=DATE:{day}",
        f"UID:e@t\r\nDTSTART:{day}T120000Z\r\nDTEND:{day}T130000Z\r\nTRANSP:TRANSPARENT",
        f"UID:f@t\r\nDTSTART:{day}T140000Z\r\nDTEND:{day}T150000Z\r\nSTATUS:CANCELLED",
        f"UID:g@t\r\nDTSTART;TZID=Europe/Paris:{day}T160000\r\nDTEND;TZID=Europe/Paris:{day}T170000",
        f"UID:h@t\r\nDTSTART:{day}T070000Z\r\nDTEND:{day}T073000Z\r\nRRULE:FREQ=DAILY;COUNT=5",
        f"UID:h@t\r\nRECURRENCE-ID:{(start + timedelta(days=2)):%Y%m%d}T070000Z\r\n"
        f"DTSTART:{(start + timedelta(days=2)):%Y%m%d}T080000Z\r\n"
        f"DTEND:{(start + timedelta(days=2)):%Y%m%d}T083000Z",
        f"UID:i@t\r\nDTSTART:{day}T180000Z\r\nDTEND:{day}T190000Z\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM",
        f"UID:j@t\r\nDTSTART:{day}T200000Z\r\nDTEND:{day}T193000Z",
    ]
    body = "".join(
        f"BEGIN:VEVENT\r\nDTSTAMP:20261101T000000Z\r\n{e}\r\nEND:VEVENT\r\n" for e in events
    )
    return (HEADER + body + FOOTER).encode()
