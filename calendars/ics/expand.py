"""Bounded reading of busy time: plain events without the full iCalendar machinery, recurring ones
expanded under a budget, and the result merged (a provider is either busy or not).

A 5 MB feed holds some 40,000 events, nearly all of them plain (a start, an end, no repetition).
Building an icalendar object and a recurrence series for each costs seconds and hundreds of MB,
so `split_plain_events` reads those straight from the text and leaves only the others (and the
time zone definitions) to icalendar. Recurring events are expanded day by day against an
`ExpansionBudget`: once it is spent, everything from the day that ran over to the end of the
window counts as busy (never offer a time we could not check) and the source says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from calendars.sources import Busy

# Occurrences of repeating events one source may expand per sync; plain events do not count.
MAX_OCCURRENCES = 20_000
CHUNK = timedelta(days=1)

_UNFOLD = re.compile(r"\r?\n[ \t]")
_UTC_TIME = re.compile(r"(\d{8})T(\d{6})Z")
_DATE = re.compile(r"(\d{8})")
_DURATION = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
# Anything that makes an event more than a start and an end goes to the full parser.
_NOT_PLAIN = frozenset({"RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID"})
# Properties an event has at most once (RFC 5545 3.6.1).
_ONCE = frozenset({"DTSTART", "DTEND", "DURATION", "UID", "STATUS", "TRANSP"})


@dataclass
class ExpansionBudget:
    """How many occurrences one sync of a source may still expand, and where it ran out."""

    remaining: int = MAX_OCCURRENCES
    limit: int = MAX_OCCURRENCES
    capped_at: datetime | None = None

    def spend(self) -> bool:
        self.remaining -= 1
        return self.remaining >= 0

    def cap(self, at: datetime) -> None:
        self.capped_at = at if self.capped_at is None else min(self.capped_at, at)

    @property
    def warning(self) -> str:
        if self.capped_at is None:
            return ""
        return (
            f"This calendar repeats events more than {self.limit:,} times in the booking window;"
            f" from {self.capped_at:%d %b %Y} on, all time counts as busy. Fewer or shorter"
            " repeating events make the rest bookable again."
        )


@dataclass(frozen=True)
class PlainEvent:
    """An event that is one interval: its start and end as written (date, aware or floating)."""

    start: date | datetime
    end: date | datetime | None
    duration: timedelta | None
    transparent: bool
    cancelled: bool
    uid: str = ""  # our own bookings, written back to a busy source, are recognised by it


@dataclass
class _Block:
    lines: list[str] = field(default_factory=list)
    properties: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (params, value)
    nested: int = 0
    repeated: bool = False


def split_plain_events(text: str) -> tuple[list[PlainEvent], str]:
    """The plain events of an iCalendar text, and the text without them (for icalendar)."""
    lines = _UNFOLD.sub("", text).splitlines()
    plain: list[PlainEvent] = []
    # Lines for icalendar; a plain-looking event holds its place (as its block) until the end
    # tells whether another event with its UID makes it part of a series.
    kept: list[str | _Block] = []
    block: _Block | None = None
    complex_uids: set[str] = set()
    held: dict[int, tuple[str, PlainEvent]] = {}
    for line in lines:
        upper = line[:16].upper()
        if block is None:
            if upper.startswith("BEGIN:VEVENT"):
                block = _Block([line])
            else:
                kept.append(line)
            continue
        block.lines.append(line)
        if upper.startswith("BEGIN:"):
            block.nested += 1
        elif upper.startswith("END:"):
            if block.nested:
                block.nested -= 1
            else:
                _finish(block, kept, complex_uids, held)
                block = None
        elif not block.nested:
            name, params, value = _property(line)
            if name in block.properties and name in _ONCE:
                block.repeated = True  # two starts, say: the full parser judges (and refuses)
            block.properties.setdefault(name, (params, value))
    if block is not None:  # unterminated: let the full parser judge (and refuse) it
        kept.extend(block.lines)
    # A plain-looking event whose UID also names a series (an override) belongs with it, where
    # it stood (inside its calendar).
    out: list[str] = []
    for item in kept:
        if isinstance(item, str):
            out.append(item)
            continue
        uid, event = held[id(item)]
        if uid in complex_uids:
            out.extend(item.lines)
        else:
            plain.append(event)
    return plain, "\r\n".join(out) + "\r\n"


def _finish(block, kept, complex_uids, held) -> None:
    uid = block.properties.get("UID", ("", ""))[1]
    event = None if block.repeated else _plain(block.properties)
    if event is None:
        kept.extend(block.lines)
        complex_uids.add(uid)
    else:
        kept.append(block)
        held[id(block)] = (uid, event)


def _property(line: str) -> tuple[str, str, str]:
    head, _, value = line.partition(":")
    name, _, params = head.partition(";")
    return name.strip().upper(), params.upper(), value.strip()


def _plain(properties: dict[str, tuple[str, str]]) -> PlainEvent | None:
    if _NOT_PLAIN & properties.keys() or "DTSTART" not in properties:
        return None
    start = _moment(*properties["DTSTART"])
    end = _moment(*properties["DTEND"]) if "DTEND" in properties else None
    duration = _duration(properties["DURATION"][1]) if "DURATION" in properties else None
    if start is None or ("DTEND" in properties and end is None):
        return None
    if "DURATION" in properties and (duration is None or end is not None):
        return None
    if end is not None and type(end) is not type(start):
        return None  # a date start with a date-time end: the full parser decides
    if duration is not None and not isinstance(start, datetime) and duration % timedelta(days=1):
        return None  # a date plus hours: the full parser decides
    return PlainEvent(
        start=start,
        end=end,
        duration=duration,
        transparent=properties.get("TRANSP", ("", ""))[1].upper() == "TRANSPARENT",
        cancelled=properties.get("STATUS", ("", ""))[1].upper() == "CANCELLED",
        uid=properties.get("UID", ("", ""))[1],
    )


def _moment(params: str, value: str) -> date | datetime | None:
    """A DATE or a UTC DATE-TIME. A TZID, a floating time (which X-WR-TIMEZONE may place) or
    anything odd is not plain."""
    if "TZID" in params:
        return None
    try:
        if match := _UTC_TIME.fullmatch(value):
            return datetime.strptime("".join(match.groups()), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        if _DATE.fullmatch(value) and "VALUE=DATE" in params:
            return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007
    except ValueError:
        return None
    return None


def _duration(value: str) -> timedelta | None:
    match = _DURATION.fullmatch(value.lstrip("+"))
    if not match or not any(match.groups()):
        return None
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    try:
        return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # absurd lengths: the full parser judges (and refuses) them
        return None


def chunks(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The window day by day, in order: expansion stops at the first day over the budget."""
    while start < end:
        yield start, min(start + CHUNK, end)
        start += CHUNK


def merge_busy(busy: Iterable[Busy]) -> list[Busy]:
    """Sorted, disjoint union: overlapping and touching intervals become one."""
    merged: list[Busy] = []
    for start, end in sorted(busy):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
