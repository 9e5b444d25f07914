from __future__ import annotations

from datetime import UTC, time
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

import pytest

from appointments.scheduling import WallInterval

from .builders import make_rules, minutes


@pytest.mark.parametrize(
    "options",
    [
        {"length": 0},
        {"step": minutes(0)},
        {"buffer_before": minutes(-5)},
        {"buffer_after": minutes(-5)},
        {"minimum_notice": minutes(-5)},
        {"horizon": minutes(-5)},
        {"max_per_day": -1},
        {"weekly": {7: ()}},
    ],
)
def test_rules_reject_values_that_make_no_sense(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        make_rules(**options)


def test_rules_reject_an_unknown_time_zone() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        make_rules(time_zone="Mars/Olympus_Mons")


def test_the_step_defaults_to_the_length() -> None:
    assert make_rules(length=45).slot_step == minutes(45)
    assert make_rules(length=45, step=minutes(15)).slot_step == minutes(15)


def test_working_hours_are_wall_clock_times_without_a_zone() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        WallInterval(time(9, tzinfo=UTC), time(17))
