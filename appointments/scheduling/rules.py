"""The inputs of the scheduling core: a calendar's rules and what already occupies it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from .intervals import Interval

ZERO = timedelta(0)
DEFAULT_HORIZON = timedelta(days=60)

# ZoneInfo keeps only the last 8 zones it built alive: a team with hosts in more zones than that
# would reread the tz database files on every availability read. This holds each zone once.
zone_named = cache(ZoneInfo)


@dataclass(frozen=True)
class WallInterval:
    """Working hours on the wall clock of the calendar's zone.

    `end <= start` means the hours run past midnight into the next local day; `start == end`
    means a whole day, up to the same wall time on the next day.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are wall-clock times: pass times without tzinfo")

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class Rules:
    """How a calendar offers its time."""

    time_zone: str
    weekly: Mapping[int, Sequence[WallInterval]]
    overrides: Mapping[date, Sequence[WallInterval]]
    length: timedelta
    step: timedelta | None = None
    buffer_before: timedelta = ZERO
    buffer_after: timedelta = ZERO
    minimum_notice: timedelta = ZERO
    horizon: timedelta = DEFAULT_HORIZON
    max_per_day: int | None = None

    def __post_init__(self) -> None:
        zone_named(self.time_zone)  # fail here, not deep inside a search, on an unknown zone
        if not set(self.weekly) <= set(range(7)):
            raise ValueError("weekly hours are keyed by weekday, 0=Monday..6=Sunday")
        if self.length <= ZERO or (self.step is not None and self.step <= ZERO):
            raise ValueError("length and step must be positive")
        if min(self.buffer_before, self.buffer_after, self.minimum_notice, self.horizon) < ZERO:
            raise ValueError("buffers, minimum notice and horizon cannot be negative")
        if self.max_per_day is not None and self.max_per_day < 0:
            raise ValueError("max_per_day cannot be negative")

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.time_zone)

    @property
    def slot_step(self) -> timedelta:
        return self.step if self.step is not None else self.length

    def hours_on(self, day: date) -> Sequence[WallInterval]:
        """The working hours of a local date: its override if it has one, else its weekday's."""
        if day in self.overrides:
            return self.overrides[day]
        return self.weekly.get(day.weekday(), ())


@dataclass(frozen=True, kw_only=True)
class Booked(Interval):
    """An appointment that carries the policies of its own event type.

    A person's time is taken by every appointment they are part of, on every event type, so an
    appointment keeps the buffers of the calendar it was booked on: `None` means "the buffers of
    the rules being searched", which is what a plain `Interval` means too. An appointment the
    person booked as a client has no buffers of theirs to keep: pass zero. Only the appointments
    of the event type being searched count toward its daily maximum.
    """

    buffer_before: timedelta | None = None
    buffer_after: timedelta | None = None
    counts_toward_daily_maximum: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if min(self.buffer_before or ZERO, self.buffer_after or ZERO) < ZERO:
            raise ValueError("an appointment's buffers cannot be negative")


@dataclass(frozen=True)
class Occupancy:
    """What already occupies the calendar around the window being searched.

    `appointments` may mix plain intervals (booked with the rules' own buffers, counting toward
    the daily maximum) and `Booked` ones that say otherwise.
    """

    appointments: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()
    time_off: Sequence[Interval] = ()
    published: Sequence[Interval] = ()
