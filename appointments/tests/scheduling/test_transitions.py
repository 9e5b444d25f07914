"""The clock changes that the property tests draw their windows from are really there."""

from __future__ import annotations

import pytest

from .builders import utc
from .transitions import ACROSS_MIDNIGHT_ZONES, changes_across_midnight, transitions


def test_the_scan_finds_the_changes_the_table_tests_compute_by_hand() -> None:
    assert utc("2026-03-29 01:00") in transitions("America/Nuuk")  # 23:00 -02 -> 00:00 -01
    assert utc("2011-12-30 10:00") in transitions("Pacific/Apia")  # Friday skipped
    assert utc("2026-03-08 07:00") in transitions("America/New_York")
    assert transitions("Asia/Kolkata") == ()


def test_a_change_across_midnight_changes_the_date_more_than_passing_midnight_does() -> None:
    assert utc("2026-03-29 01:00") in changes_across_midnight("America/Nuuk")
    assert utc("2011-12-30 10:00") in changes_across_midnight("Pacific/Apia")
    assert utc("2000-10-29 03:01") in changes_across_midnight("America/Goose_Bay")  # 00:01 -> 23:01
    assert changes_across_midnight("America/New_York") == ()  # at 02:00, never across midnight


@pytest.mark.parametrize("zone", ACROSS_MIDNIGHT_ZONES)
def test_each_zone_drawn_for_its_changes_across_midnight_has_some(zone: str) -> None:
    assert changes_across_midnight(zone)
