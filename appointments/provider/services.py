"""Writes of the provider's availability editor: a schedule's weekly hours, date overrides and
time off, an event type's slot settings, and explicitly published slots. Each change is
validated here and saved in one transaction; a refusal is a ValidationError (SlotError for
slots) whose messages name the rule, and nothing changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.availability.selectors import MAX_LENGTH
from appointments.errors import SlotError
from appointments.models import (
    Appointment,
    Calendar,
    DateOverride,
    Schedule,
    TimeOff,
    TimeSlot,
    WorkingHours,
)
from calendars.text import calendar_text

# One publish writes at most this many slots, in batches: 92 days of 5-minute slots (26,000
# rows) held the SQLite write lock for 11 s, stalling every booking meanwhile.
MAX_SLOTS_PER_PUBLISH = 2000
PUBLISH_BATCH = 500
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
SETTINGS_FIELDS = (
    "name",
    "description",
    "is_active",
    "length_minutes",
    "step_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "minimum_notice_minutes",
    "horizon_days",
    "max_per_day",
)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _span(start: time, end: time) -> tuple[int, int]:
    """Minutes from the start of the day; an end at or before the start is on the next day."""
    first, last = _minutes(start), _minutes(end)
    return first, last + DAY_MINUTES if last <= first else last


def _label(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _overlap_messages(intervals: Mapping[int, Sequence[tuple[time, time]]]) -> dict[str, list[str]]:
    """Overlaps between any two intervals of the week, an interval that crosses midnight included
    (Sunday night runs into Monday)."""
    spans = [
        (day * DAY_MINUTES + first, day * DAY_MINUTES + last, day, start, end)
        for day, pairs in intervals.items()
        for start, end in pairs
        for first, last in [_span(start, end)]
    ]
    errors: dict[str, list[str]] = {}
    for index, (a_start, a_end, a_day, a_from, a_to) in enumerate(spans):
        for b_start, b_end, b_day, b_from, b_to in spans[index + 1 :]:
            for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES):
                if a_start < b_end + shift and b_start + shift < a_end:
                    day = WorkingHours.Weekday(a_day).label
                    other = WorkingHours.Weekday(b_day).label
                    where = "" if a_day == b_day else f" on {other}"
                    message = f"{_label(a_from, a_to)} overlaps {_label(b_from, b_to)}{where}."
                    errors.setdefault(str(a_day), []).append(f"{day}: {message}")
                    break
    return errors


def _validate_hours(intervals: Mapping[int, Sequence[tuple[time, time]]]) -> None:
    errors: dict[str, list[str]] = {}
    for day, pairs in intervals.items():
        if day not in WorkingHours.Weekday.values:
            raise ValidationError(f"Unknown weekday {day}.")
        for start, end in pairs:
            if start == end:
                label = WorkingHours.Weekday(day).label
                errors.setdefault(str(day), []).append(
                    f"{label}: an interval must not start and end at the same time ({start:%H:%M})."
                )
    for day, messages in _overlap_messages(intervals).items():
        errors.setdefault(day, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def working_hours_set(
    *, schedule: Schedule, intervals: Mapping[int, Sequence[tuple[time, time]]]
) -> list[WorkingHours]:
    """Replace the schedule's weekly hours by `intervals` (weekday 0=Monday -> [(start, end)])."""
    _validate_hours(intervals)
    with transaction.atomic():
        WorkingHours.objects.filter(schedule=schedule).delete()
        return WorkingHours.objects.bulk_create(
            WorkingHours(schedule=schedule, weekday=day, start_time=start, end_time=end)
            for day, pairs in sorted(intervals.items())
            for start, end in sorted(pairs)
        )


def _check_override(
    schedule: Schedule, day: date, start: time | None, end: time | None, today: date
) -> None:
    if day < today:
        raise ValidationError({"date": "That date has passed; choose today or a later date."})
    if (start is None) != (end is None):
        raise ValidationError(
            {"start_time": "Give both a start and an end, or mark the day closed."}
        )
    if start is not None and start == end:
        raise ValidationError({"end_time": "The end must differ from the start."})
    existing = list(DateOverride.objects.filter(schedule=schedule, date=day))
    if any(o.is_closed for o in existing) or (start is None and existing):
        raise ValidationError(
            {"date": f"{day:%a} {day.day} {day:%b %Y} already has an override; remove it first."}
        )
    if start is not None:
        first, last = _span(start, end)
        for other in existing:
            other_first, other_last = _span(other.start_time, other.end_time)
            if first < other_last and other_first < last:
                raise ValidationError(
                    {
                        "start_time": f"Overlaps the hours {_label(other.start_time, other.end_time)} "
                        f"already set for that date."
                    }
                )


def date_override_add(
    *, schedule: Schedule, day: date, start: time | None, end: time | None, today: date
) -> DateOverride:
    """Other hours on one date (start and end), or the date closed (neither)."""
    with transaction.atomic():
        _check_override(schedule, day, start, end, today)
        return DateOverride.objects.create(
            schedule=schedule, date=day, start_time=start, end_time=end
        )


def date_override_remove(*, schedule: Schedule, override_id: int) -> None:
    deleted, _ = DateOverride.objects.filter(schedule=schedule, pk=override_id).delete()
    if not deleted:
        raise ValidationError("That override no longer exists.")


def time_off_add(
    *, schedule: Schedule, start: datetime, end: datetime, reason: str = ""
) -> TimeOff:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationError("Time off needs times with a zone.")
    if start >= end:
        raise ValidationError({"end": "Time off must end after it starts."})
    return TimeOff.objects.create(
        schedule=schedule, start_time=start, end_time=end, reason=reason.strip()[:200]
    )


def time_off_remove(*, schedule: Schedule, time_off_id: int) -> None:
    deleted, _ = TimeOff.objects.filter(schedule=schedule, pk=time_off_id).delete()
    if not deleted:
        raise ValidationError("That time off no longer exists.")


def calendar_settings_update(*, calendar: Calendar, **changes) -> Calendar:
    """Change the calendar's slot settings; model validation (ranges, zone) applies."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(f"Not a calendar setting: {', '.join(sorted(unknown))}.")
    return calendar_changes_save(calendar, changes, fixed=("schedule",))


def calendar_changes_save(calendar: Calendar, changes: dict, *, fixed=()) -> Calendar:
    """Validate `changes` on the calendar (model rules) and save them, or raise and keep the
    caller's object as saved. `fixed`: fields besides the owner, address and team not checked."""
    # The name and description go into calendar files: whatever sent them (a form, the API).
    if "name" in changes:
        changes = {**changes, "name": calendar_text(changes["name"], single_line=True).strip()}
    if "description" in changes:
        changes = {**changes, "description": calendar_text(changes["description"])}
    for name, value in changes.items():
        setattr(calendar, name, value)
    try:
        calendar.full_clean(exclude=["provider", "slug", "reminder_offsets", "team", *fixed])
    except ValidationError:
        calendar.refresh_from_db()  # the caller's object keeps the saved settings
        raise
    calendar.save(update_fields=[*changes])
    return calendar


def _check_new_slot(calendar: Calendar, start: datetime, end: datetime, now: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise SlotError("Slot times must carry a time zone.")
    if start >= end:
        raise SlotError("A slot must start before it ends.")
    if start <= now:
        raise SlotError("A slot must start in the future.")
    if end - start > MAX_LENGTH:
        raise SlotError("A slot can be at most 24 hours long.")


def _overlap_message(calendar: Calendar, start: datetime, end: datetime) -> str | None:
    clash = (
        TimeSlot.objects.filter(
            calendar=calendar, is_generated=False, start_time__lt=end, end_time__gt=start
        )
        .order_by("start_time")
        .first()
    )
    if clash is None:
        return None
    return (
        f"The slot {timezone.localtime(start):%a %d %b %H:%M}–{timezone.localtime(end):%H:%M} overlaps "
        f"the existing slot {timezone.localtime(clash.start_time):%a %d %b %H:%M}–"
        f"{timezone.localtime(clash.end_time):%H:%M}."
    )


def _first_clash(
    calendar: Calendar, wanted: list[tuple[datetime, datetime]]
) -> tuple[datetime, datetime] | None:
    """The first new slot (sorted, disjoint) that overlaps an existing one: one query for all."""
    if not wanted:
        return None
    existing = list(
        TimeSlot.objects.filter(
            calendar=calendar,
            is_generated=False,
            start_time__lt=wanted[-1][1],
            end_time__gt=wanted[0][0],
        )
        .order_by("start_time")
        .values_list("start_time", "end_time")
    )
    index = 0
    for start, end in wanted:
        while index < len(existing) and existing[index][1] <= start:
            index += 1
        if index < len(existing) and existing[index][0] < end:
            return start, end
    return None


def time_slots_create(
    *, calendar: Calendar, slots: Iterable[tuple[datetime, datetime]], now: datetime | None = None
) -> list[TimeSlot]:
    """Publish several slots at once: all of them, or none if any is invalid or overlaps."""
    now = now or timezone.now()
    wanted = sorted(slots)
    if len(wanted) > MAX_SLOTS_PER_PUBLISH:
        raise SlotError(
            f"That would publish {len(wanted):,} slots; at most {MAX_SLOTS_PER_PUBLISH:,} at a"
            " time. Choose fewer dates or hours, or a longer step."
        )
    for start, end in wanted:
        _check_new_slot(calendar, start, end, now)
    for (_, previous_end), (start, _) in pairwise(wanted):
        if start < previous_end:
            raise SlotError(
                f"Two of the new slots overlap each other (at {timezone.localtime(start):%a %d %b %H:%M})."
            )
    try:
        with transaction.atomic():
            clash = _first_clash(calendar, wanted)
            if clash is not None and (message := _overlap_message(calendar, *clash)) is not None:
                raise SlotError(message)
            return TimeSlot.objects.bulk_create(
                [TimeSlot(calendar=calendar, start_time=s, end_time=e) for s, e in wanted],
                batch_size=PUBLISH_BATCH,
            )
    except IntegrityError:
        raise SlotError(
            "Another slot was just published at that time; reload and try again."
        ) from None


def time_slot_create(
    *, calendar: Calendar, start: datetime, end: datetime, now: datetime | None = None
) -> TimeSlot:
    return time_slots_create(calendar=calendar, slots=[(start, end)], now=now)[0]


def time_slot_validate(
    *, calendar: Calendar, start: datetime, end: datetime, now: datetime | None = None
) -> None:
    _check_new_slot(calendar, start, end, now or timezone.now())
    if (message := _overlap_message(calendar, start, end)) is not None:
        raise SlotError(message)


def time_slot_delete(*, time_slot: TimeSlot) -> None:
    with transaction.atomic():
        if Appointment.objects.active().filter(time_slot=time_slot).exists():
            raise SlotError("This slot is booked; cancel the appointment before removing the slot.")
        time_slot.delete()
