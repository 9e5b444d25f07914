from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendars.ics.parse import MAX_CALENDAR_BYTES, CalendarFileError, busy_from_ics

MARCH_WINDOW = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))


def ics(*components: str, header: str = "") -> bytes:
    """A VCALENDAR around the given components, with CRLF line ends as RFC 5545 wants."""
    body = "".join(textwrap.dedent(component).strip() + "\n" for component in components)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{header}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode("utf-8")


def event(uid: str, *lines: str) -> str:
    properties = "\n".join(lines)
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20250101T000000Z\n{properties}\nEND:VEVENT"


def busy(data: bytes, window=MARCH_WINDOW, default_tz: str = "UTC") -> list:
    start, end = window
    return busy_from_ics(data, window_start=start, window_end=end, default_tz=default_tz)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_single_event_is_busy_from_start_to_end_in_utc() -> None:
    data = ics(event("one", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"))

    result = busy(data)

    assert result == [(utc(2025, 3, 10, 9), utc(2025, 3, 10, 10))]
    assert all(moment.tzinfo is UTC for interval in result for moment in interval)


def test_a_series_skips_excluded_dates_and_moves_an_overridden_instance() -> None:
    data = ics(
        event(
            "daily",
            "DTSTART:20250303T090000Z",
            "DTEND:20250303T100000Z",
            "RRULE:FREQ=DAILY;COUNT=5",
            "EXDATE:20250305T090000Z",
        ),
        event(
            "daily",
            "RECURRENCE-ID:20250306T090000Z",
            "DTSTART:20250306T140000Z",
            "DTEND:20250306T153000Z",
        ),
    )

    assert busy(data) == [
        (utc(2025, 3, 3, 9), utc(2025, 3, 3, 10)),
        (utc(2025, 3, 4, 9), utc(2025, 3, 4, 10)),
        (utc(2025, 3, 6, 14), utc(2025, 3, 6, 15, 30)),
        (utc(2025, 3, 7, 9), utc(2025, 3, 7, 10)),
    ]


def test_a_cancelled_instance_of_a_series_frees_only_that_instance() -> None:
    data = ics(
        event(
            "weekly",
            "DTSTART:20250303T090000Z",
            "DTEND:20250303T100000Z",
            "RRULE:FREQ=WEEKLY;COUNT=3",
        ),
        event(
            "weekly",
            "RECURRENCE-ID:20250310T090000Z",
            "DTSTART:20250310T090000Z",
            "DTEND:20250310T100000Z",
            "STATUS:CANCELLED",
        ),
    )

    assert busy(data) == [
        (utc(2025, 3, 3, 9), utc(2025, 3, 3, 10)),
        (utc(2025, 3, 17, 9), utc(2025, 3, 17, 10)),
    ]


def test_extra_dates_from_rdate_are_busy_too() -> None:
    data = ics(
        event(
            "rdate",
            "DTSTART:20250303T090000Z",
            "DTEND:20250303T100000Z",
            "RDATE:20250320T150000Z,20250325T080000Z",
        )
    )

    assert busy(data) == [
        (utc(2025, 3, 3, 9), utc(2025, 3, 3, 10)),
        (utc(2025, 3, 20, 15), utc(2025, 3, 20, 16)),
        (utc(2025, 3, 25, 8), utc(2025, 3, 25, 9)),
    ]


def test_an_all_day_event_is_busy_from_local_midnight_to_local_midnight() -> None:
    data = ics(event("day", "DTSTART;VALUE=DATE:20250312", "DTEND;VALUE=DATE:20250313"))

    assert busy(data, default_tz="America/New_York") == [
        (utc(2025, 3, 12, 4), utc(2025, 3, 13, 4))  # EDT, UTC-4, since March 9
    ]


def test_a_multi_day_all_day_event_spans_every_day_including_a_dst_change() -> None:
    # Europe/Berlin moves to summer time on 30 March 2025: midnight is 23:00Z, then 22:00Z.
    data = ics(event("trip", "DTSTART;VALUE=DATE:20250329", "DTEND;VALUE=DATE:20250401"))

    assert busy(data, default_tz="Europe/Berlin") == [(utc(2025, 3, 28, 23), utc(2025, 3, 31, 22))]


def test_an_all_day_event_without_an_end_lasts_one_day() -> None:
    data = ics(event("day", "DTSTART;VALUE=DATE:20250312"))

    assert busy(data, default_tz="UTC") == [(utc(2025, 3, 12), utc(2025, 3, 13))]


BERLIN_VTIMEZONE = """
    BEGIN:VTIMEZONE
    TZID:Europe/Berlin
    BEGIN:DAYLIGHT
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    TZNAME:CEST
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    END:DAYLIGHT
    BEGIN:STANDARD
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    TZNAME:CET
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    END:VTIMEZONE
"""


def test_a_series_in_a_named_zone_keeps_its_wall_time_across_dst() -> None:
    data = ics(
        BERLIN_VTIMEZONE,
        event(
            "standup",
            "DTSTART;TZID=Europe/Berlin:20250324T090000",
            "DTEND;TZID=Europe/Berlin:20250324T091500",
            "RRULE:FREQ=WEEKLY;COUNT=2",
        ),
    )

    assert busy(data, default_tz="America/New_York") == [
        (utc(2025, 3, 24, 8), utc(2025, 3, 24, 8, 15)),  # CET
        (utc(2025, 3, 31, 7), utc(2025, 3, 31, 7, 15)),  # CEST
    ]


def test_a_zone_known_only_from_its_vtimezone_is_honoured() -> None:
    custom = BERLIN_VTIMEZONE.replace("TZID:Europe/Berlin", "TZID:Office Time")
    data = ics(
        custom,
        event(
            "custom",
            "DTSTART;TZID=Office Time:20250331T090000",
            "DTEND;TZID=Office Time:20250331T100000",
        ),
    )

    assert busy(data) == [(utc(2025, 3, 31, 7), utc(2025, 3, 31, 8))]


def test_a_floating_time_is_read_on_the_wall_clock_of_the_default_zone() -> None:
    data = ics(event("floating", "DTSTART:20250310T090000", "DTEND:20250310T100000"))

    assert busy(data, default_tz="Asia/Tokyo") == [(utc(2025, 3, 10, 0), utc(2025, 3, 10, 1))]


def test_a_calendar_wide_x_wr_timezone_places_floating_times() -> None:
    data = ics(
        event("google", "DTSTART:20250310T090000", "DTEND:20250310T100000"),
        header="X-WR-TIMEZONE:Europe/Berlin\n",
    )

    assert busy(data, default_tz="Asia/Tokyo") == [(utc(2025, 3, 10, 8), utc(2025, 3, 10, 9))]


def test_a_duration_gives_the_end() -> None:
    data = ics(event("d", "DTSTART:20250310T090000Z", "DURATION:PT45M"))

    assert busy(data) == [(utc(2025, 3, 10, 9), utc(2025, 3, 10, 9, 45))]


def test_a_moment_without_end_or_duration_blocks_no_time() -> None:
    data = ics(event("reminder", "DTSTART:20250310T090000Z"))

    assert busy(data) == []


def test_free_and_cancelled_events_do_not_count() -> None:
    data = ics(
        event("free", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z", "TRANSP:TRANSPARENT"),
        event("gone", "DTSTART:20250311T090000Z", "DTEND:20250311T100000Z", "STATUS:CANCELLED"),
        event("held", "DTSTART:20250312T090000Z", "DTEND:20250312T100000Z", "TRANSP:OPAQUE"),
        event("maybe", "DTSTART:20250313T090000Z", "DTEND:20250313T100000Z", "STATUS:TENTATIVE"),
    )

    assert busy(data) == [
        (utc(2025, 3, 12, 9), utc(2025, 3, 12, 10)),
        (utc(2025, 3, 13, 9), utc(2025, 3, 13, 10)),
    ]


def test_only_events_overlapping_the_window_come_back_whole() -> None:
    data = ics(
        event("ends at start", "DTSTART:20250310T080000Z", "DTEND:20250310T090000Z"),
        event("across start", "DTSTART:20250310T083000Z", "DTEND:20250310T093000Z"),
        event("inside", "DTSTART:20250310T100000Z", "DTEND:20250310T110000Z"),
        event("across end", "DTSTART:20250310T113000Z", "DTEND:20250310T123000Z"),
        event("starts at end", "DTSTART:20250310T120000Z", "DTEND:20250310T130000Z"),
        event("around", "DTSTART:20250301T000000Z", "DTEND:20250401T000000Z"),
        event("next day", "DTSTART:20250311T100000Z", "DTEND:20250311T110000Z"),
    )
    window = (utc(2025, 3, 10, 9), utc(2025, 3, 10, 12))

    assert busy(data, window) == [
        (utc(2025, 3, 1), utc(2025, 4, 1)),
        (utc(2025, 3, 10, 8, 30), utc(2025, 3, 10, 9, 30)),
        (utc(2025, 3, 10, 10), utc(2025, 3, 10, 11)),
        (utc(2025, 3, 10, 11, 30), utc(2025, 3, 10, 12, 30)),
    ]


def test_an_all_day_event_next_to_the_window_in_the_users_zone_is_left_out() -> None:
    # 11 March in Tokyo ends at 15:00Z; a window starting then must not see it,
    # although in UTC the date 11 March runs until midnight.
    data = ics(event("day", "DTSTART;VALUE=DATE:20250311", "DTEND;VALUE=DATE:20250312"))
    window = (utc(2025, 3, 11, 15), utc(2025, 3, 11, 23))

    assert busy(data, window, default_tz="Asia/Tokyo") == []
    assert busy(data, window, default_tz="UTC") == [(utc(2025, 3, 11), utc(2025, 3, 12))]


def test_a_long_running_series_is_expanded_only_inside_the_window() -> None:
    data = ics(
        event(
            "forever",
            "DTSTART:20200106T090000Z",
            "DTEND:20200106T100000Z",
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
        )
    )
    window = (utc(2025, 3, 1), utc(2025, 3, 15))

    assert busy(data, window) == [
        (utc(2025, 3, 3, 9), utc(2025, 3, 3, 10)),
        (utc(2025, 3, 10, 9), utc(2025, 3, 10, 10)),
    ]


def test_a_byte_order_mark_and_legacy_encoded_text_are_accepted() -> None:
    data = "\ufeff".encode() + ics(
        event("bom", "SUMMARY:Caf\xe9", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z")
    ).replace("Café".encode(), "Café".encode("latin-1"))

    assert busy(data) == [(utc(2025, 3, 10, 9), utc(2025, 3, 10, 10))]


def test_concatenated_calendars_are_all_read() -> None:
    first = ics(event("a", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"))
    second = ics(event("b", "DTSTART:20250311T090000Z", "DTEND:20250311T100000Z"))

    assert len(busy(first + second)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an iCalendar file"),
        (b"<html><body>Log in</body></html>", "not an iCalendar file"),
        (b"BEGIN:VCARD\r\nEND:VCARD\r\n", "not an iCalendar file"),
        (ics(event("x", "DTSTART:20250310T090000Z"))[:60], "incomplete"),
        (b"BEGIN:VCALENDAR\r\nthis is no content line\r\nEND:VCALENDAR\r\n", "could not be read"),
        (ics(event("x", "DTSTART:2025-03-10")), "start time that cannot be read"),
        (
            ics(event("x", "DTSTART:20250310T090000Z", "DTSTART:20250311T090000Z")),
            "more than one start time",
        ),
        (ics(event("x", "DTSTART:20250310T090000Z", "RRULE:FREQ=SOMETIMES")), "repeat rule that"),
        (ics(event("x", "DTSTART:20250310T090000Z", "RRULE:FREQ=SECONDLY")), "repeats more"),
        (
            ics(event("x", "DTSTART:20250310T000000Z", "RRULE:FREQ=HOURLY;BYMINUTE=0,10,20,30,40")),
            "repeats more",
        ),
    ],
    ids=[
        "empty",
        "html",
        "vcard",
        "truncated",
        "bad line",
        "bad start",
        "two starts",
        "bad rule",
        "every second",
        "120 a day",
    ],
)
def test_unusable_files_raise_a_calendar_file_error(data: bytes, message: str) -> None:
    with pytest.raises(CalendarFileError, match=f"(?i){message}"):
        busy(data)


def test_a_rule_repeating_a_few_times_a_day_is_fine() -> None:
    data = ics(
        event(
            "x",
            "DTSTART:20250310T080000Z",
            "DURATION:PT5M",
            "RRULE:FREQ=DAILY;BYHOUR=8,12,16;BYMINUTE=0,30",
        )
    )

    assert len(busy(data, (utc(2025, 3, 10), utc(2025, 3, 11)))) == 6


def test_an_end_before_the_start_is_read_as_the_time_between_them() -> None:
    # recurring-ical-events repairs swapped times; erring towards busy is the safe side.
    data = ics(event("x", "DTSTART:20250310T090000Z", "DTEND:20250309T090000Z"))

    assert busy(data) == [(utc(2025, 3, 9, 9), utc(2025, 3, 10, 9))]


def test_a_file_over_5_mb_is_refused_before_parsing() -> None:
    padding = "X-PADDING:" + "x" * 70
    big = ics(*[padding] * (MAX_CALENDAR_BYTES // 70))

    with pytest.raises(CalendarFileError, match="larger than 5 MB"):
        busy(big)


def test_a_naive_window_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        busy_from_ics(
            ics(),
            window_start=datetime(2025, 3, 1),
            window_end=datetime(2025, 3, 2),
            default_tz="UTC",
        )


VALID = ics(
    BERLIN_VTIMEZONE,
    event(
        "series",
        "DTSTART;TZID=Europe/Berlin:20250303T090000",
        "DTEND;TZID=Europe/Berlin:20250303T100000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "EXDATE;TZID=Europe/Berlin:20250310T090000",
    ),
    event(
        "series",
        "RECURRENCE-ID;TZID=Europe/Berlin:20250317T090000",
        "DTSTART:20250317T150000Z",
        "DTEND:20250317T160000Z",
    ),
    event("day", "DTSTART;VALUE=DATE:20250312", "DURATION:P2D"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(VALID)),
    length=st.integers(min_value=0, max_value=12),
    replacement=st.binary(max_size=12),
)
def test_damaged_files_give_busy_time_or_a_calendar_file_error_never_a_crash(
    cut: int, length: int, replacement: bytes
) -> None:
    damaged = VALID[:cut] + replacement + VALID[cut + length :]
    try:
        result = busy(damaged, default_tz="Europe/Berlin")
    except CalendarFileError:
        return
    assert all(start < end and start.tzinfo is UTC for start, end in result)


def test_the_undamaged_fuzzing_seed_is_read_fully() -> None:
    assert busy(VALID, default_tz="Europe/Berlin") == [
        (utc(2025, 3, 3, 8), utc(2025, 3, 3, 9)),
        (utc(2025, 3, 11, 23), utc(2025, 3, 13, 23)),
        (utc(2025, 3, 17, 15), utc(2025, 3, 17, 16)),
        (utc(2025, 3, 24, 8), utc(2025, 3, 24, 9)),
    ]


def test_intervals_come_back_sorted() -> None:
    later = event("later", "DTSTART:20250320T090000Z", "DTEND:20250320T100000Z")
    earlier = event("earlier", "DTSTART:20250305T090000Z", "DTEND:20250305T100000Z")

    result = busy(ics(later, earlier))

    assert result == sorted(result)
    assert result[0][0] == utc(2025, 3, 5, 9)
    assert result[1][1] - result[1][0] == timedelta(hours=1)


def test_events_with_our_own_uids_are_left_out_series_and_overrides_alike() -> None:
    data = ics(
        event("ours@slotwise", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"),
        event("theirs", "DTSTART:20250311T090000Z", "DTEND:20250311T100000Z"),
        event("ours@slotwise", "RECURRENCE-ID:20250310T090000Z", "DTSTART:20250312T090000Z"),
    )

    result = busy_from_ics(
        data,
        window_start=MARCH_WINDOW[0],
        window_end=MARCH_WINDOW[1],
        default_tz="UTC",
        ignore_uids={"ours@slotwise"},
    )

    assert result == [(utc(2025, 3, 11, 9), utc(2025, 3, 11, 10))]
