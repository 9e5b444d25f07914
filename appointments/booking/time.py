"""Time helpers of the booking pages: the month grid, a local day's window, slot labels in the
booker's zone, and the form value that names a slot. Plain values only; the views render them."""

from __future__ import annotations

import calendar as calendar_module
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from appointments.availability.selectors import FreeSlot
from appointments.templatetags.timefmt import is_ambiguous, utc_offset
from config.bounds import instant_in_range

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class MonthDay:
    """One cell of the month grid."""

    day: date
    in_month: bool
    free_count: int
    is_today: bool
    is_past: bool
    is_marked: bool = False  # the day of the appointment being moved

    @property
    def label(self) -> str:
        """The button's accessible name: the full date and what it offers."""
        full = f"{self.day:%A} {self.day.day} {self.day:%B %Y}"
        if self.is_marked:
            full += ", your current appointment"
        if self.is_past:
            return f"{full}, past"
        if self.free_count == 0:
            return f"{full}, no free times"
        times = "free time" if self.free_count == 1 else "free times"
        return f"{full}, {self.free_count} {times}"


@dataclass(frozen=True)
class SlotChoice:
    """A free slot as the booker sees it: its form value and its times in their zone."""

    value: str
    start: datetime
    end: datetime
    local_date: date
    label: str


def first_of_month(value: date) -> date:
    return value.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None) -> date | None:
    """`2026-12` -> 1 December 2026; anything else -> None."""
    try:
        return datetime.strptime(text or "", "%Y-%m").replace(tzinfo=UTC).date().replace(day=1)
    except ValueError:
        return None


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def month_weeks(month: date) -> list[list[date]]:
    """The month's weeks, Monday first, padded with the neighbouring months' days."""
    return calendar_module.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)


def day_window(first_day: date, last_day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants from local midnight of `first_day` to local midnight after `last_day`.
    A midnight that falls in a DST gap moves forward with zoneinfo's fold=0 rule."""
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def free_counts_by_day(slots: list[FreeSlot], zone: ZoneInfo) -> dict[date, int]:
    counts: dict[date, int] = {}
    for slot in slots:
        local_day = slot.start.astimezone(zone).date()
        counts[local_day] = counts.get(local_day, 0) + 1
    return counts


def month_grid(
    month: date, counts: dict[date, int], today: date, marked: date | None = None
) -> list[list[MonthDay]]:
    return [
        [
            MonthDay(
                day=day,
                in_month=day.month == month.month,
                free_count=counts.get(day, 0),
                is_today=day == today,
                is_past=day < today,
                is_marked=day == marked,
            )
            for day in week
        ]
        for week in month_weeks(month)
    ]


def local_time_label(instant: datetime, zone: ZoneInfo) -> str:
    """`09:30`, or `01:30 (UTC-04:00)` when that wall time happens twice (the autumn hour)."""
    local = instant.astimezone(zone)
    if is_ambiguous(local):
        return f"{local:%H:%M} ({utc_offset(local)})"
    return f"{local:%H:%M}"


def slot_value(slot: FreeSlot) -> str:
    """The form value naming a slot: published ones by id, computed ones by their UTC start."""
    if slot.slot_id is not None:
        return f"slot:{slot.slot_id}"
    return f"start:{slot.start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def parse_slot_value(text: str) -> tuple[int | None, datetime | None]:
    """(slot id, None) or (None, start instant); ValueError when the value names neither."""
    kind, _, rest = (text or "").partition(":")
    if kind == "slot" and rest.isdigit():
        return int(rest), None
    if kind == "start":
        start = datetime.strptime(rest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if not instant_in_range(start):
            raise ValueError(f"Out of range: {text!r}")
        return None, start
    raise ValueError(f"Not a slot: {text!r}")


def slot_choices(slots: list[FreeSlot], zone: ZoneInfo) -> list[SlotChoice]:
    return [
        SlotChoice(
            value=slot_value(slot),
            start=slot.start,
            end=slot.end,
            local_date=slot.start.astimezone(zone).date(),
            label=f"{local_time_label(slot.start, zone)} – {local_time_label(slot.end, zone)}",
        )
        for slot in slots
    ]


def group_by_local_date(choices: list[SlotChoice]) -> list[tuple[date, list[SlotChoice]]]:
    groups: dict[date, list[SlotChoice]] = {}
    for choice in choices:
        groups.setdefault(choice.local_date, []).append(choice)
    return sorted(groups.items())


def zone_label(zone: ZoneInfo, at: datetime) -> str:
    """`Europe/Paris (CET)`: the zone's name and its abbreviation at that moment."""
    abbreviation = at.astimezone(zone).tzname() or ""
    if abbreviation and abbreviation != zone.key and not abbreviation.startswith(("+", "-")):
        return f"{zone.key} ({abbreviation})"
    return zone.key
