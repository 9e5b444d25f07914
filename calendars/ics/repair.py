"""Liberal but honest reading: the repairs `parse.py` makes to calendar files real programs
export, each reported in plain words (`Notes`), the details in the log.

The rule: we repair or skip only where the meaning is clear or where the repair can only make
the provider busier, never freer; a file that is truly broken is still refused (parse.py).

- lines after END:VCALENDAR (a Podio feed adds a comment there) are ignored;
- a time zone rule with an impossible UTC offset (Apple's `TZOFFSETFROM:+5328`, its local mean
  time of 1883 written without seconds) is skipped; the zone's other rules still place times;
- a misspelt part of a repeat rule (`UNTL=`) is read as the part it is close to, an unknown
  one is ignored (the series then repeats at least as often as meant);
- an exclusion (EXDATE) that cannot be read is ignored (those dates stay busy);
- an event without a start time is skipped (it has no time to block);
- extra dates (RDATE, also as PERIOD) of a moved occurrence whose series is not in the file (a
  Lotus Notes export) are read, which the expansion library does not do.
"""

from __future__ import annotations

import difflib
import logging
import re
from datetime import date, datetime, timedelta

import icalendar

logger = logging.getLogger(__name__)

_RULE_PARTS = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "RSCALE",
    "SKIP",
)
_END = re.compile(r"END:VCALENDAR[ \t]*(?:\r\n|\n|\r|$)", re.IGNORECASE)
_OBSERVANCE = re.compile(
    r"^BEGIN:(STANDARD|DAYLIGHT)[ \t]*\r?$.*?^END:\1[ \t]*\r?$\n?",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_OFFSET = re.compile(r"^TZOFFSET(?:FROM|TO)[^:\r\n]*:[ \t]*(\S*)", re.IGNORECASE | re.MULTILINE)
_VALID_OFFSET = re.compile(r"[+-](?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?")


class Notes:
    """What was skipped or repaired, once each, in words a provider understands."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str, *, detail: str = "") -> None:
        if detail:
            logger.info("Calendar file repaired: %s (%s)", message, detail)
        if message not in self.messages:
            self.messages.append(message)


def event_label(event: icalendar.Component) -> str:
    """How a provider recognises an event: its title, else its UID."""
    summary = event.get("SUMMARY")
    text = str(summary if summary is not None and not isinstance(summary, list) else "").strip()
    if not text:
        uid = event.get("UID", "")
        text = str(uid[0] if isinstance(uid, list) else uid).strip()
    text = " ".join(text.split())
    if not text:
        return "An event"
    return f"An event (“{text[:60]}{'…' if len(text) > 60 else ''}”)"


# --- text, before icalendar reads it ---------------------------------------------------------


def trim_after_end(text: str, notes: Notes) -> str:
    """Drop what follows the last END:VCALENDAR, unless it starts another calendar (then the
    file was cut short, and parse.py says so)."""
    ends = list(_END.finditer(text))
    if not ends:
        return text
    rest = text[ends[-1].end() :]
    if not rest.strip() or re.search(r"BEGIN:", rest, re.IGNORECASE):
        return text
    notes.add("Lines after the end of the calendar were ignored.", detail=rest.strip()[:200])
    return text[: ends[-1].end()]


def skip_impossible_offsets(text: str, notes: Notes) -> str:
    """Remove the time zone rules (STANDARD / DAYLIGHT) whose UTC offset is impossible; the
    zone's other rules stay. icalendar refuses the whole file for one of them."""

    def checked(rule: re.Match) -> str:
        bad = [
            value for value in _OFFSET.findall(rule.group(0)) if not _VALID_OFFSET.fullmatch(value)
        ]
        if not bad:
            return rule.group(0)
        notes.add(
            "A time zone rule with an impossible UTC offset was skipped; the zone's other"
            " rules were used.",
            detail=f"TZOFFSET {', '.join(bad)}",
        )
        return ""

    if "TZOFFSET" not in text.upper():
        return text
    return _OBSERVANCE.sub(checked, text)


# --- components, after icalendar read them --------------------------------------------------


def repair_rules(event: icalendar.Component, notes: Notes) -> None:
    """Read a misspelt repeat-rule part as the part it is close to; ignore an unknown one."""
    rules = event.get("RRULE")
    if rules is None:
        return
    repaired = [
        _repaired_rule(rule, event, notes)
        for rule in (rules if isinstance(rules, list) else [rules])
    ]
    if repaired != (rules if isinstance(rules, list) else [rules]):
        del event["RRULE"]
        for rule in repaired:
            event.add("RRULE", rule)


def _repaired_rule(rule, event: icalendar.Component, notes: Notes):
    if not isinstance(rule, icalendar.vRecur):
        return rule
    unknown = [part for part in rule if part.upper() not in _RULE_PARTS]
    if not unknown:
        return rule
    parts = []
    for name, values in rule.items():
        text = icalendar.vRecur({name: values}).to_ical().decode()
        if name.upper() in _RULE_PARTS:
            parts.append(text)
            continue
        close = difflib.get_close_matches(name.upper(), _RULE_PARTS, n=1, cutoff=0.75)
        if close and close[0] not in rule:
            parts.append(close[0] + text[len(name) :])
            notes.add(
                f"{event_label(event)} has a misspelt repeat rule ({name}); it was read as {close[0]}.",
                detail=text,
            )
        else:
            notes.add(
                f"{event_label(event)} has a repeat rule part that is not understood ({name});"
                " it was ignored.",
                detail=text,
            )
    try:
        return icalendar.vRecur.from_ical(";".join(parts))
    except (ValueError, TypeError) as error:
        logger.info("Repaired rule %r still unreadable: %s", parts, error)
        return rule


def ignore_unreadable_exclusions(event: icalendar.Component, notes: Notes) -> None:
    """An EXDATE that cannot be read is dropped: the dates it meant to free stay busy."""
    if not any(name == "EXDATE" for name, _ in event.errors):
        return
    values = event.get("EXDATE")
    listed = values if isinstance(values, list) else [values]
    kept = [value for value in listed if not isinstance(value, icalendar.vBroken)]
    del event["EXDATE"]
    if kept:
        event["EXDATE"] = kept if len(kept) > 1 else kept[0]
    event.errors[:] = [(name, message) for name, message in event.errors if name != "EXDATE"]
    notes.add(
        f"{event_label(event)} excludes dates that cannot be read; those dates count as busy.",
    )


def drop_events_without_start(calendar: icalendar.Component, notes: Notes) -> None:
    """An event without a start time has no time to block (RFC 5545 allows it only in iTIP
    messages, which a published calendar should not be): skip it, say so."""
    kept = []
    for component in calendar.subcomponents:
        if component.name == "VEVENT" and "DTSTART" not in component:
            notes.add("An event without a start time was skipped.", detail=event_label(component))
            continue
        kept.append(component)
    calendar.subcomponents = kept


# --- moved occurrences whose series is missing ------------------------------------------------


def orphan_extra_dates(
    calendar: icalendar.Component,
) -> list[tuple[date | datetime, date | datetime]]:
    """(start, end) of the extra dates (RDATE) of moved occurrences (RECURRENCE-ID) whose
    series is not in the file. recurring-ical-events reads such an occurrence alone and drops
    its RDATEs; Lotus Notes sends a changed series that way, every date an RDATE PERIOD."""
    events = [component for component in calendar.subcomponents if component.name == "VEVENT"]
    series = {str(event.get("UID")) for event in events if "RECURRENCE-ID" not in event}
    found = []
    for event in events:
        if "RECURRENCE-ID" not in event or str(event.get("UID")) in series or "RDATE" not in event:
            continue
        found += _extra_dates(event)
    return found


def _extra_dates(event: icalendar.Component) -> list[tuple[date | datetime, date | datetime]]:
    start = event["DTSTART"].dt
    length = _length(event, start)
    rdates = event["RDATE"]
    found = []
    for rdate in rdates if isinstance(rdates, list) else [rdates]:
        for value in getattr(rdate, "dts", []):
            moment = value.dt
            if isinstance(moment, tuple):  # PERIOD: (start, end) or (start, duration)
                first, second = moment
                found.append((first, first + second if isinstance(second, timedelta) else second))
            else:
                found.append((moment, moment + length))
    return found


def _length(event: icalendar.Component, start: date | datetime) -> timedelta:
    if "DTEND" in event:
        return event["DTEND"].dt - start
    if "DURATION" in event:
        return event["DURATION"].dt
    return timedelta(days=1) if not isinstance(start, datetime) else timedelta(0)
