"""Text as calendar files may carry it (RFC 5545 3.1, 3.3.11).

RFC 5545 forbids the control characters U+0000-U+0008, U+000A-U+001F and U+007F inside a value
(a line break is written as the two characters `\\n`). A strict reader (the `ical` package, Xandikos)
refuses a whole file for one of them, so text is cleaned where it enters the product (forms,
the booking service, text read from other servers) and once more, defensively, where calendar
files are written (`calendars.ics.export`). One function does both, so a later API uses the same.
"""

from __future__ import annotations

import re

from django import forms

# Line breaks people paste: CR LF, CR, vertical tab, form feed, NEL and the Unicode separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What no calendar file may carry: C0 controls but tab and line feed, DEL, the C1 controls,
# lone surrogates (not encodable as UTF-8) and the noncharacters U+FFFE / U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]*\n[ \t\n]*")
# Anything either of the above would change: most text has none, and one search is cheap.
_TO_CLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def calendar_text(value: str | None, *, single_line: bool = False) -> str:
    """`value` without the characters RFC 5545 forbids; line breaks become "\\n" (or, for
    `single_line`, a space: names, titles, parameter values). Nothing else changes."""
    if not value:
        return ""
    text = str(value)
    if _TO_CLEAN.search(text):
        text = _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", text))
    if single_line and "\n" in text:
        text = _SPACES.sub(" ", text)
    return text


def is_calendar_safe(value: str, *, single_line: bool = False) -> bool:
    return calendar_text(value, single_line=single_line) == value


class CalendarTextField(forms.CharField):
    """A CharField whose value may go into a calendar file: cleaned as `calendar_text` before
    the length and other checks, so what is checked is what is stored."""

    def __init__(self, *, single_line: bool = False, **kwargs) -> None:
        self.single_line = single_line
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(calendar_text(value, single_line=self.single_line))


class CalendarLineField(CalendarTextField):
    """One line of calendar-safe text: names and titles (line breaks become spaces)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(single_line=True, **kwargs)
