"""Independent readers for the calendar files the product writes: icalendar (what the product
itself reads with) and the `ical` package in its strict mode (no compatibility layer), which
refuses files that break RFC 5545, as Xandikos and some calendar apps do."""

from __future__ import annotations

import re

import icalendar
from ical.calendar_stream import IcsCalendarStream

# Text that has broken calendar files: control characters typed or pasted, emoji (4-byte
# UTF-8, which folding must not split), the characters TEXT escapes, and long lines.
NASTY_TEXT = (
    "a\x0bb\x00c\x1b[0m d\x7f e\u2028"
    'Caf\u00e9 \U0001f600\U0001f469\u200d\U0001f52c, semi; back\\slash "quoted" colon: '
    + "long words that go on and on " * 8
    + "\r\nsecond line\ttabbed"
)
NASTY_NAME = 'Dr "Zoë" O\'Neil, MD; \U0001f600 \x01x'
# What a database column can hold of it (PostgreSQL refuses NUL; the forms remove it anyway),
# for tests that write text past the forms, as old rows might hold it.
NASTY_STORED = NASTY_TEXT.replace("\x00", "")


def strictly_parsed(data: bytes):
    """The strict `ical` reader's calendar; it raises on anything RFC 5545 forbids."""
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def parsed_everywhere(data: bytes) -> icalendar.Calendar:
    """Parse with both readers (failing the test if either refuses); icalendar's result."""
    strictly_parsed(data)
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, component.errors
    return calendar


# What a message for a provider must not show: library internals, Python types, raw errors.
_INTERNALS = re.compile(
    r"object|attribute|Traceback|Expected|Got:|vBroken|vDDD|<class|datetime\.|Error\b|"
    r"\bNone\b|__|\{|\}|'\w+' and '|not supported between|unpack|\bparse\b",
    re.IGNORECASE,
)


def assert_plain_sentence(message: str) -> None:
    """A sentence a provider understands: capitalised, ended, no internals (the event's own
    title, quoted “…”, may say anything)."""
    words = re.sub(r"“[^”]*”", "“…”", message)
    assert words[:1].isupper(), message
    assert words.endswith("."), message
    assert not _INTERNALS.search(words), message
    assert len(message) < 300, message
