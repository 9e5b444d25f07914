"""Read busy time out of an iCalendar file, expanding recurrences only inside a window."""

from __future__ import annotations

import logging
import re
from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from calendars.ics import repair
from calendars.ics.expand import ExpansionBudget, PlainEvent, chunks, split_plain_events
from calendars.sources import Busy

logger = logging.getLogger(__name__)

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
# The time properties in a provider's words, and those an event may have once only.
_IN_WORDS = {
    "DTSTART": "a start time",
    "DTEND": "an end time",
    "DURATION": "a length",
    "RRULE": "a repeat rule",
    "RDATE": "extra dates",
    "EXDATE": "excluded dates",
    "RECURRENCE-ID": "a changed occurrence's original time",
}
_ONCE = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")
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
    ignore_uids: Container[str] = frozenset(),
    notes: list[str] | None = None,
    budget: ExpansionBudget | None = None,
) -> list[Busy]:
    """Busy intervals (aware, UTC, sorted) of all events that overlap the window.

    Intervals are whole events, not clipped to the window. Transparent ("free") and
    cancelled events do not count; all-day events are busy from local midnight to local
    midnight in `default_tz`, which also places floating times. Events whose UID is in
    `ignore_uids` (our own bookings, written back to this calendar) are left out. What was
    repaired or skipped on the way (see repair.py) is added to `notes`, in plain words.

    Plain events (one interval each) are read straight from the text (expand.py), the rest
    with icalendar; repeating events are expanded under `budget` (one per sync of a source),
    and past it the rest of the window is busy.
    """
    _require_aware(window_start, window_end)
    zone = ZoneInfo(default_tz)
    budget = budget if budget is not None else ExpansionBudget()
    found = repair.Notes()
    plain, rest = split_plain_events(_checked_text(data, found))
    kept = [event for event in plain if event.uid not in ignore_uids]
    busy = _plain_busy(kept, zone, window_start, window_end)
    for calendar in _parse(rest, found):
        _drop_events(calendar, ignore_uids)
        busy += _expanded_busy(calendar, zone, window_start, window_end, budget)
        busy += _orphan_busy(calendar, zone, window_start, window_end, known=busy)
    if notes is not None:
        notes += [message for message in found.messages if message not in notes]
    return sorted(busy)


def _drop_events(calendar: icalendar.Component, uids: Container[str]) -> None:
    """Remove the events (series, overrides) with these UIDs before anything is expanded."""
    if uids:
        calendar.subcomponents = [
            component
            for component in calendar.subcomponents
            if component.name != "VEVENT" or _uid_of(component) not in uids
        ]


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{moment!r} is a naive datetime; the window must be aware.")


def _checked_text(data: bytes, notes: repair.Notes) -> str:
    """The file as text, once it looks like a whole iCalendar file, with what can be repaired
    in the text repaired (lines after the end, impossible zone offsets)."""
    if len(data) > MAX_CALENDAR_BYTES:
        raise CalendarFileError("The file is larger than 5 MB.")
    # Busy time needs only the times; a feed in a legacy encoding still has ASCII times.
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text[:15].upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFileError("This is not an iCalendar file.")
    text = repair.trim_after_end(text, notes)
    text = repair.skip_impossible_offsets(text, notes)
    # icalendar silently drops an unterminated component: a truncated download would
    # otherwise look like a calendar with no events, that is, all free.
    if not re.search(r"END:VCALENDAR\s*$", text, flags=re.IGNORECASE):
        raise CalendarFileError("The iCalendar file is incomplete (it does not end properly).")
    return text


def _parse(text: str, notes: repair.Notes) -> list[icalendar.Component]:
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except _LIBRARY_ERRORS as error:
        logger.info("Unreadable calendar file: %s", error)
        raise CalendarFileError(
            "The iCalendar file could not be read: some of its lines are not calendar data."
        ) from error
    for calendar in calendars:
        _repair(calendar, notes)
        _check_events(calendar)
    return calendars


def _repair(calendar: icalendar.Component, notes: repair.Notes) -> None:
    repair.drop_events_without_start(calendar, notes)
    for event in calendar.walk("VEVENT"):
        repair.repair_rules(event, notes)
        repair.ignore_unreadable_exclusions(event, notes)


def _check_events(calendar: icalendar.Component) -> None:
    for event in calendar.walk("VEVENT"):
        label = repair.event_label(event)
        for property_name, message in event.errors:
            if property_name in _TIME_PROPERTIES:
                logger.info("%s: unreadable %s: %s", label, property_name, message)
                raise CalendarFileError(
                    f"{label} has {_IN_WORDS[property_name]} that cannot be read."
                )
        for property_name in _ONCE:
            if isinstance(event.get(property_name), list):
                raise CalendarFileError(
                    f"{label} has more than one {_IN_WORDS[property_name].split(' ', 1)[1]}."
                )
        for rule in _rules(event):
            if _repeats_per_day(rule) > MAX_REPEATS_PER_DAY:
                raise CalendarFileError(
                    f"{label} repeats more than {MAX_REPEATS_PER_DAY} times a day,"
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
    except _LIBRARY_ERRORS as error:
        logger.info("Calendar events could not be expanded: %r", error)
        raise CalendarFileError(
            "The times of some events could not be worked out (their dates or repeat rules"
            " do not fit together), so the file was not read."
        ) from error


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


def _orphan_busy(
    calendar: icalendar.Component,
    zone: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    *,
    known: list[Busy],
) -> list[Busy]:
    """Busy time from the extra dates of moved occurrences without their series (repair.py)."""
    found = []
    for start, end in repair.orphan_extra_dates(calendar):
        interval = (_instant(start, zone), _instant(end, zone))
        wanted = interval[0] < interval[1] and _overlaps(interval, window_start, window_end)
        if wanted and interval not in known and interval not in found:
            found.append(interval)
    return found


def _overlaps(interval: Busy, window_start: datetime, window_end: datetime) -> bool:
    start, end = interval
    return start < window_end and end > window_start
