"""Clock changes that carry working hours across midnight, whichever day's window asks.

America/Nuuk, 2026-03-28 -> 29: clocks jump from 23:00 -02 to 00:00 -01 (01:00Z). Saturday's
hours 20:00-23:45 end inside the gap, which moves 23:45 forward by the gap's hour to 00:45 -01
on Sunday, 01:45Z: they run from 22:00Z to 01:45Z. With 45-minute slots their grid is 22:00Z,
22:45Z, 23:30Z, 00:15Z and 01:00Z (00:00 -01 on Sunday, ending 01:45Z). Every instant below is
computed by hand from those two offsets.
"""

from __future__ import annotations

from datetime import date, datetime

from appointments.scheduling import Occupancy, available_slots, explain, working_intervals

from .builders import hours, instants, interval, make_rules, utc

SATURDAY = date(2026, 3, 28)
NUUK_SUNDAY = (utc("2026-03-29 01:00"), utc("2026-03-30 01:00"))  # Sunday 00:00 -01 to 24:00 -01
NUUK_WEEKEND = (utc("2026-03-28 02:00"), utc("2026-03-30 01:00"))  # Saturday 00:00 -02 onward
LONG_BEFORE = utc("2026-03-01 00:00")


def nuuk_rules():
    return make_rules(
        time_zone="America/Nuuk", weekly={}, overrides={SATURDAY: hours("20:00-23:45")}, length=45
    )


def slots(window: tuple[datetime, datetime]) -> list[str]:
    return instants(available_slots(nuuk_rules(), Occupancy(), *window, LONG_BEFORE))


def test_hours_that_the_gap_carries_past_midnight_keep_their_utc_instants() -> None:
    assert working_intervals(nuuk_rules(), *NUUK_WEEKEND) == [
        interval("2026-03-28 22:00", "2026-03-29 01:45"),
    ]


def test_a_window_of_the_next_day_alone_sees_the_hours_the_gap_carried_into_it() -> None:
    assert working_intervals(nuuk_rules(), *NUUK_SUNDAY) == [
        interval("2026-03-28 22:00", "2026-03-29 01:45"),
    ]
    assert slots(NUUK_SUNDAY) == ["2026-03-29 01:00Z"]


def test_the_next_day_offers_what_a_two_day_window_offers_on_it() -> None:
    assert slots(NUUK_WEEKEND) == [
        "2026-03-28 22:00Z",
        "2026-03-28 22:45Z",
        "2026-03-28 23:30Z",
        "2026-03-29 00:15Z",
        "2026-03-29 01:00Z",
    ]
    assert [slot for slot in slots(NUUK_WEEKEND) if slot >= "2026-03-29 01:00Z"] == slots(
        NUUK_SUNDAY
    )


def test_the_booking_check_accepts_the_slot_the_gap_carried_past_midnight() -> None:
    assert explain(nuuk_rules(), Occupancy(), utc("2026-03-29 01:00"), LONG_BEFORE) == []
    assert explain(nuuk_rules(), Occupancy(), utc("2026-03-29 00:15"), LONG_BEFORE) == []


# Pacific/Apia skipped Friday 2011-12-30: 23:59:59 -10 on Thursday, then 00:00 +14 on Saturday
# (10:00Z). Thursday's 22:00-02:00 ends at 02:00 Friday, inside the gap, which moves it a whole
# day on to 02:00 +14 on Saturday, 12:00Z: the hours are 08:00Z-12:00Z, two dates before.
def test_a_gap_of_a_whole_day_carries_hours_two_dates_on() -> None:
    rules = make_rules(
        time_zone="Pacific/Apia", weekly={}, overrides={date(2011, 12, 29): hours("22:00-02:00")}
    )
    saturday = (utc("2011-12-30 10:00"), utc("2011-12-31 10:00"))
    now = utc("2011-12-01 00:00")
    assert working_intervals(rules, *saturday) == [
        interval("2011-12-30 08:00", "2011-12-30 12:00"),
    ]
    assert instants(available_slots(rules, Occupancy(), *saturday, now)) == [
        "2011-12-30 10:00Z",
        "2011-12-30 11:00Z",
    ]
    assert explain(rules, Occupancy(), utc("2011-12-30 11:00"), now) == []


# America/Goose_Bay fell back across midnight until 2010: on 1987-10-25 at 00:00:59 -03 (03:01Z)
# the clocks went back to 23:01 -04 on Saturday, so Saturday ends at 04:00Z, an hour after
# Sunday first began. Sunday's 00:00-02:00 runs from its first 00:00 (-03, 03:00Z) to 02:00 -04
# (06:00Z), and its first slot starts inside Saturday's last hour.
def test_the_next_dates_hours_can_start_before_the_windows_last_date_ends() -> None:
    rules = make_rules(
        time_zone="America/Goose_Bay",
        weekly={},
        overrides={date(1987, 10, 25): hours("00:00-02:00")},
    )
    saturday = (utc("1987-10-24 03:00"), utc("1987-10-25 04:00"))
    now = utc("1987-10-01 00:00")
    assert working_intervals(rules, *saturday) == [
        interval("1987-10-25 03:00", "1987-10-25 06:00"),
    ]
    assert instants(available_slots(rules, Occupancy(), *saturday, now)) == ["1987-10-25 03:00Z"]
    weekend = (saturday[0], utc("1987-10-26 04:00"))
    assert instants(available_slots(rules, Occupancy(), *weekend, now)) == [
        "1987-10-25 03:00Z",
        "1987-10-25 04:00Z",
        "1987-10-25 05:00Z",
    ]
