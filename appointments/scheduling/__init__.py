"""The scheduling core: pure Python, standard library only, no Django.

Working hours, occupancy and policies in; available slots, and reasons why not, out. Every
datetime is time-zone aware, every interval half-open, and `now` is always a parameter. One
host's time (`available_slots`, `explain`) or a team's (`hosts_available_slots`, `hosts_explain`).
"""

from __future__ import annotations

from .assignment import HostLoad, round_robin_choice
from .explain import REASON_MESSAGES, Obstacle, Reason, explain, explain_obstacles
from .hosts import (
    Assignment,
    HostsExplanation,
    HostSlot,
    HostTime,
    hosts_available_slots,
    hosts_explain,
)
from .intervals import Interval, Timeline, expand, merge, overlaps, subtract
from .publish import slot_times
from .rules import Booked, Occupancy, Rules, WallInterval
from .slots import Slot, available_slots, free_dates, group_by_local_date
from .wallclock import local_date, local_dates, wall_to_instant, working_intervals

__all__ = [
    "REASON_MESSAGES",
    "Assignment",
    "Booked",
    "HostLoad",
    "HostSlot",
    "HostTime",
    "HostsExplanation",
    "Interval",
    "Obstacle",
    "Occupancy",
    "Reason",
    "Rules",
    "Slot",
    "Timeline",
    "WallInterval",
    "available_slots",
    "expand",
    "explain",
    "explain_obstacles",
    "free_dates",
    "group_by_local_date",
    "hosts_available_slots",
    "hosts_explain",
    "local_date",
    "local_dates",
    "merge",
    "overlaps",
    "round_robin_choice",
    "slot_times",
    "subtract",
    "wall_to_instant",
    "working_intervals",
]
