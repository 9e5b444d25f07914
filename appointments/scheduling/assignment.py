"""Round-robin: which of the free hosts takes a booking."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class HostLoad:
    """A free host and their recent load on the event type."""

    host: Hashable
    recent_bookings: int  # active bookings of the event type made in the fairness period
    last_booked_at: datetime | None  # when they were last booked on it; None: never


def round_robin_choice(candidates: Iterable[HostLoad]) -> Hashable:
    """The host with the fewest recent bookings; ties go to whoever was booked longest ago (a
    host never booked first), then to the smallest id, so the choice is deterministic."""
    ordered = sorted(
        candidates,
        key=lambda load: (
            load.recent_bookings,
            load.last_booked_at is not None,
            load.last_booked_at or datetime.min.replace(tzinfo=UTC),
            load.host,
        ),
    )
    if not ordered:
        raise ValueError("round_robin_choice needs at least one free host")
    return ordered[0].host
