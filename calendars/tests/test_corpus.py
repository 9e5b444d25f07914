"""Real-world calendar files from public iCalendar libraries' test data (see corpus/README.md):
each one is read, or refused with a sentence a provider understands, and never crashes the
import; what was repaired or skipped on the way is said in plain words too. The files the
issue named (an iCloud export with an impossible time zone offset, a Podio feed with a line
after the end, a misspelt repeat rule, a Lotus Notes series sent as RDATE periods) are read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calendars.ics.parse import CalendarFileError, busy_from_ics
from calendars.tests.parsers import assert_plain_sentence

# icalendar warns when it guesses a zone from a vendor-prefixed TZID; real files have them.
pytestmark = pytest.mark.filterwarnings("ignore:Timezone .* is a globally unique TZID")

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*/*.ics"))
_FIRST_START = re.compile(rb"BEGIN:VEVENT.*?\nDTSTART[^:\n]*:(\d{8})", re.DOTALL)


def window_of(data: bytes) -> tuple[datetime, datetime]:
    """A year from the day before the first event's start (the files span 1970 to 2030)."""
    found = _FIRST_START.search(data)
    try:
        first = datetime.strptime(found.group(1).decode(), "%Y%m%d").replace(tzinfo=UTC)
    except (AttributeError, ValueError):
        first = datetime(2025, 1, 1, tzinfo=UTC)
    return first - timedelta(days=1), first + timedelta(days=366)


def read(path: Path, notes: list[str] | None = None):
    data = path.read_bytes()
    start, end = window_of(data)
    return busy_from_ics(
        data, window_start=start, window_end=end, default_tz="Europe/London", notes=notes
    )


def test_the_corpus_is_there():
    assert len(FILES) >= 500


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_a_real_world_file_is_read_or_refused_in_plain_words(path: Path):
    notes: list[str] = []
    try:
        busy = read(path, notes)
    except CalendarFileError as refusal:
        assert_plain_sentence(str(refusal))
        return
    assert all(start < end and start.tzinfo is UTC for start, end in busy)
    assert busy == sorted(busy)
    for note in notes:
        assert_plain_sentence(note)


def test_an_icloud_export_with_an_impossible_offset_is_read_without_that_rule():
    notes: list[str] = []
    data = (CORPUS / "icalevents" / "icloud.ics").read_bytes()
    assert b"TZOFFSETFROM:+5328" in data

    busy = busy_from_ics(
        data,
        window_start=datetime(2015, 1, 1, tzinfo=UTC),
        window_end=datetime(2017, 1, 1, tzinfo=UTC),
        default_tz="UTC",
        notes=notes,
    )

    assert len(busy) == 25  # as the `ical` package reads it
    assert (
        datetime(2016, 11, 3, 17, tzinfo=UTC),
        datetime(2016, 11, 3, 17, 30, tzinfo=UTC),
    ) in busy
    assert notes == [
        "A time zone rule with an impossible UTC offset was skipped; the zone's other rules"
        " were used."
    ]


def test_a_podio_feed_with_a_line_after_the_end_is_read():
    notes: list[str] = []

    busy = read(CORPUS / "icalendar" / "calendars--issue_350.ics", notes)

    assert len(busy) == 1
    assert notes == ["Lines after the end of the calendar were ignored."]


def test_a_misspelt_repeat_rule_part_is_read_as_the_part_it_is_close_to():
    notes: list[str] = []
    path = CORPUS / "recurring-ical-events" / "bad_rrule_missing_until_event.ics"
    assert b"UNTL=20191023" in path.read_bytes()

    busy = busy_from_ics(
        path.read_bytes(),
        window_start=datetime(2019, 1, 1, tzinfo=UTC),
        window_end=datetime(2020, 1, 1, tzinfo=UTC),
        default_tz="UTC",
        notes=notes,
    )

    assert busy and max(start for start, _ in busy) < datetime(2019, 10, 24, tzinfo=UTC)
    assert len(notes) == 1 and "misspelt repeat rule (UNTL); it was read as UNTIL" in notes[0]


def test_a_lotus_notes_series_sent_as_rdate_periods_of_a_moved_occurrence_is_read_whole():
    busy = read(CORPUS / "derived" / "lotus-notes-rdate-periods.ics")

    eastern = timedelta(hours=4)  # EDT
    assert busy == [
        (
            datetime(2005, 4, day, hour, tzinfo=UTC) + eastern,
            datetime(2005, 4, day, hour + 1, tzinfo=UTC) + eastern,
        )
        for day, hour in ((26, 10), (27, 9), (28, 9), (29, 9))
    ]
