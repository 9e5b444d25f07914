"""The one range of dates and instants the product accepts from outside (forms, query strings,
form values naming a slot). Everything inside it can be shifted by any of our durations (a
horizon of two years, a day either side, a zone's offset) without leaving what `datetime` can
represent; a year-9999 value is refused at the edge instead of overflowing somewhere deep.

Use the form fields (`BoundedDateField`, `BoundedDateTimeField`) in forms, `parse_date` /
`parse_instant` for query strings, and `check_instant` for anything else that arrives as an
aware datetime.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive
OUT_OF_RANGE = "Choose a date between 1900 and 2199."


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def instant_in_range(value: datetime) -> bool:
    """An aware instant within the range; naive values are never in range."""
    if value.tzinfo is None or value.utcoffset() is None:
        return False
    try:
        return EARLIEST <= value < LATEST
    except OverflowError:  # an offset that pushes the value past datetime.min/max
        return False


def check_instant(value: datetime) -> datetime:
    """`value`, or ValidationError when it is naive or outside the range."""
    if not instant_in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")
    return value


def parse_date(text: str | None) -> date | None:
    """`2026-12-03` within the range, else None (absent, malformed or out of range)."""
    try:
        value = date.fromisoformat(text or "")
    except ValueError:
        return None
    return value if date_in_range(value) else None


def parse_instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant with an offset within the range, else None."""
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return value if instant_in_range(value) else None


class BoundedDateField(forms.DateField):
    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not date_in_range(value):
            raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class BoundedDateTimeField(forms.DateTimeField):
    """Django makes the value aware in the current zone, which itself can overflow for
    0001-01-01 or 9999-12-31: both are refused here, with the same message."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range") from None

    def validate(self, value: datetime | None) -> None:
        super().validate(value)
        if value is not None:
            check_instant(value)
