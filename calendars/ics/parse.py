"""Read busy time out of an iCalendar file, expanding recurrences only inside a window."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from calendars.ics.expand import ExpansionBudget, PlainEvent, chunks, split_plain_events
from calendars.sources import Busy

MAX_CALENDAR_BYTES = 5 * 1024 * 1024
# The expander compares floating and all-day times before we place them in `default_tz`;
# no zone is more than 14 hours away from UTC, so a day of margin never loses an event.
_MARGIN = timedelta(days=1)
# An upper bound on repetitions per day, checked before expanding: FREQ=SECONDLY and friends
# would make the expander build millions of occurrences (minutes of CPU, gigabytes of memory).
MAX_REPEATS_PER_DAY = 96
_PER_DAY = {"SECONDLY": 86400, "MINUTELY": 1440, "HOURLY": 24}
_FINER_THAN = {
    "SECONDLY": (),
    "MINUTELY": ("BYSECOND",),
    "HOURLY": ("BYMINUTE", "BYSECOND"),
}
_TIME_EXPANDERS = ("BYHOUR", "BYMINUTE", "BYSECOND")
# A short finite series cannot explode, whatever its frequency.
_HARMLESS_COUNT = 1000
# Properties without which we cannot tell when an event is busy.
_TIME_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
)
# Whatever icalendar or recurring-ical-events raise on input they cannot handle.
_LIBRARY_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class CalendarFileError(ValueError):
    """The data is not a usable iCalendar file; the message is meant for the user."""


def busy_from_ics(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    default_tz: str,
    budget: ExpansionBudget | None = None,
) -> list[Busy]:
    """Busy intervals (aware, UTC, sorted) of all events that overlap the window.

    Intervals are whole events, not clipped to the window. Transparent ("free") and
    cancelled events do not count; all-day events are busy from local midnight to local
    midnight in `default_tz`, which also places floating times. Repeating events are expanded
    under `budget` (one per sync of a source); past it, the rest of the window is busy.
    """
    _require_aware(window_start, window_end)
    zone = ZoneInfo(default_tz)
    budget = budget if budget is not None else ExpansionBudget()
    if len(data) > MAX_CALENDAR_BYTES:
        raise CalendarFileError("The file is larger than 5 MB.")
    plain, rest = split_plain_events(data.decode("utf-8", errors="replace"))
    calendars = _parse(rest.encode("utf-8"))
    busy = _plain_busy(plain, zone, window_start, window_end)
    for calendar in calendars:
        busy += _expanded_busy(calendar, zone, window_start, window_end, budget)
    return sorted(busy)


def _plain_busy(
    events: list[PlainEvent], zone: ZoneInfo, window_start: datetime, window_end: datetime
) -> list[Busy]:
    """The same rules as `_busy_interval`, for events read without icalendar."""
    busy: list[Busy] = []
    for event in events:
        if event.transparent or event.cancelled:
            continue
        start = _instant(event.start, zone)
        if event.end is not None:
            end = _instant(event.end, zone)
        elif event.duration is not None:
            end = start + event.duration
        elif isinstance(event.start, datetime):
            continue  # RFC 5545: a date-time without an end has no length
        else:
            end = _instant(event.start + timedelta(days=1), zone)
        start, end = min(start, end), max(start, end)  # swapped times: busy between them
        if end > start and _overlaps((start, end), window_start, window_end):
            busy.append((start, end))
    return busy


def _expanded_busy(
    calendar: icalendar.Component,
    zone: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    budget: ExpansionBudget,
) -> list[Busy]:
    """Occurrences day by day, each one paid from the budget; when it runs out, the rest of
    the window (from the start of the day that overran) is one busy interval."""
    try:
        series = recurring_ical_events.of(calendar).series
        busy: list[Busy] = []
        for start, end in chunks(window_start - _MARGIN, window_end + _MARGIN):
            for one in series:
                for occurrence in one.between(start, end):
                    if not budget.spend():
                        cut = max(start, window_start)
                        budget.cap(cut)
                        return [*busy, (cut, window_end)] if cut < window_end else busy
                    interval = _busy_interval(occurrence.as_component(False), zone)
                    if interval is not None and _overlaps(interval, window_start, window_end):
                        busy.append(interval)
        return busy
    except KeyError as error:
        raise CalendarFileError(f"An event has no {error.args[0]}.") from error
    except _LIBRARY_ERRORS as error:
        raise CalendarFileError(f"The events could not be read: {error}") from error


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{moment!r} is a naive datetime; the window must be aware.")


def _parse(data: bytes) -> list[icalendar.Component]:
    if len(data) > MAX_CALENDAR_BYTES:
        raise CalendarFileError("The file is larger than 5 MB.")
    # Busy time needs only the times; a feed in a legacy encoding still has ASCII times.
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text[:15].upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFileError("This is not an iCalendar file.")
    # icalendar silently drops an unterminated component: a truncated download would
    # otherwise look like a calendar with no events, that is, all free.
    if not re.search(r"END:VCALENDAR\s*$", text, flags=re.IGNORECASE):
        raise CalendarFileError("The iCalendar file is incomplete (it does not end properly).")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except _LIBRARY_ERRORS as error:
        raise CalendarFileError(f"The iCalendar file could not be read: {error}") from error
    for calendar in calendars:
        _check_events(calendar)
    return calendars


def _check_events(calendar: icalendar.Component) -> None:
    for event in calendar.walk("VEVENT"):
        uid = _uid_of(event)
        for property_name, message in event.errors:
            if property_name in _TIME_PROPERTIES:
                raise CalendarFileError(
                    f"An event ({uid}) has an unreadable {property_name}: {message}"
                )
        for rule in _rules(event):
            if _repeats_per_day(rule) > MAX_REPEATS_PER_DAY:
                raise CalendarFileError(
                    f"An event ({uid}) repeats more than {MAX_REPEATS_PER_DAY} times a day,"
                    " which is not supported."
                )


def _uid_of(event: icalendar.Event) -> str:
    uid = event.get("UID", "without UID")
    return str(uid[0] if isinstance(uid, list) else uid)


def _rules(event: icalendar.Event) -> list[icalendar.vRecur]:
    rules = event.get("RRULE", [])
    return rules if isinstance(rules, list) else [rules]


def _repeats_per_day(rule: icalendar.vRecur) -> float:
    """An upper bound: daily and coarser rules give at most one date a day."""
    count = rule.get("COUNT", [None])[0]
    if count is not None and count <= _HARMLESS_COUNT:
        return 0
    frequency = str(rule.get("FREQ", ["DAILY"])[0]).upper()
    interval = max(int(rule.get("INTERVAL", [1])[0]), 1)
    expanders = _FINER_THAN.get(frequency, _TIME_EXPANDERS)
    repeats = _PER_DAY.get(frequency, 1) / interval
    for part in expanders:
        repeats *= max(len(rule.get(part, [])), 1)
    return repeats


def _occurrences(
    calendar: icalendar.Component, start: datetime, end: datetime
) -> list[icalendar.Component]:
    try:
        return recurring_ical_events.of(calendar).between(start, end)
    except KeyError as error:
        raise CalendarFileError(f"An event has no {error.args[0]}.") from error
    except _LIBRARY_ERRORS as error:
        raise CalendarFileError(f"The events could not be read: {error}") from error


def _busy_interval(event: icalendar.Component, zone: ZoneInfo) -> Busy | None:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    # recurring-ical-events puts a DTEND on every occurrence, derived from DURATION or
    # from RFC 5545's defaults (a date lasts one day, a date-time has no length).
    start = _instant(event["DTSTART"].dt, zone)
    end = _instant(event["DTEND"].dt, zone)
    if end <= start:
        return None  # a zero-length reminder blocks no time
    return start, end


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        # All-day: local midnight. If midnight falls in a DST gap, zoneinfo (fold=0) moves it
        # forward by the gap, as RFC 5545 3.3.5 asks.
        value = datetime.combine(value, time(), tzinfo=zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)  # floating time: the calendar owner's wall clock
    return value.astimezone(UTC)


def _overlaps(interval: Busy, window_start: datetime, window_end: datetime) -> bool:
    start, end = interval
    return start < window_end and end > window_start
