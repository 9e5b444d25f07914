"""Writes of schedules and event types: what a person offers and when they work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.validators import validate_time_zone
from appointments.models import Appointment, Calendar, Host, Schedule, WorkingHours
from appointments.provider.services import SETTINGS_FIELDS, calendar_changes_save
from calendars.text import calendar_text

WEEKDAYS = (0, 1, 2, 3, 4)
OFFICE_HOURS = {day: [(time(9), time(17))] for day in WEEKDAYS}
SLUG_MAX = 80


def default_schedule(owner) -> Schedule | None:
    return owner.schedules.filter(is_default=True).first()


def person_zone(owner) -> str:
    profile = getattr(owner, "profile", None)
    return (profile.time_zone if profile is not None else "") or "UTC"


def schedule_create(
    *,
    owner,
    name: str = "Working hours",
    time_zone: str | None = None,
    hours: Mapping[int, Sequence[tuple[time, time]]] | None = None,
    make_default: bool | None = None,
) -> Schedule:
    """A new schedule of `owner` with weekly `hours` (default: none). The first schedule of a
    person becomes their default."""
    zone = time_zone or person_zone(owner)
    validate_time_zone(zone)
    with transaction.atomic():
        current_default = default_schedule(owner)
        is_default = make_default if make_default is not None else current_default is None
        if is_default and current_default is not None:
            Schedule.objects.filter(pk=current_default.pk).update(is_default=False)
        schedule = Schedule.objects.create(
            owner=owner,
            name=name.strip()[:120] or "Working hours",
            time_zone=zone,
            is_default=is_default,
        )
        WorkingHours.objects.bulk_create(
            WorkingHours(schedule=schedule, weekday=day, start_time=start, end_time=end)
            for day, intervals in sorted((hours or {}).items())
            for start, end in intervals
        )
    return schedule


def ensure_default_schedule(owner) -> Schedule:
    """The person's default schedule, created (office hours in their zone) if they have none:
    a new team host must work to something."""
    return default_schedule(owner) or schedule_create(owner=owner, hours=OFFICE_HOURS)


def unique_slug(text: str, *, taken=None) -> str:
    """A free event type address made from `text`: `intro-call`, else `intro-call-2`, ..."""
    base = slugify(text)[: SLUG_MAX - 4].strip("-") or "event"
    existing = set(
        (taken if taken is not None else Calendar.objects)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    if base not in existing:
        return base
    return next(f"{base}-{n}" for n in range(2, len(existing) + 3) if f"{base}-{n}" not in existing)


def event_type_create(
    *,
    owner,
    name: str,
    slug: str | None = None,
    length_minutes: int = 30,
    schedule: Schedule | None = None,
    description: str = "",
    **settings,
) -> Calendar:
    """A personal event type of `owner`, hosted by them and using `schedule` (one of theirs;
    default: their default schedule, created with office hours if they have none)."""
    if schedule is not None and schedule.owner_id != owner.pk:
        raise ValidationError({"schedule": "Choose one of your own schedules."})
    with transaction.atomic():
        schedule = schedule or ensure_default_schedule(owner)
        calendar = Calendar(
            provider=owner,
            schedule=schedule,
            name=calendar_text(name, single_line=True).strip(),
            slug=slug or unique_slug(f"{owner.get_username()} {name}"),
            description=calendar_text(description),
            length_minutes=length_minutes,
            **settings,
        )
        calendar.full_clean(exclude=["reminder_offsets"])
        calendar.save()
        Host.objects.create(calendar=calendar, user=owner)
    return calendar


def has_future_bookings(calendar: Calendar, *, now) -> bool:
    return Appointment.objects.active().filter(calendar=calendar, end_time__gt=now).exists()


def event_type_delete(*, calendar: Calendar, now=None) -> None:
    """Delete an event type that has no bookings to come (one that has them can be turned off).
    One with past bookings is archived instead of removed: gone from every page, its bookings
    kept in everyone's history."""
    now = now or timezone.now()
    with transaction.atomic():
        if has_future_bookings(calendar, now=now):
            raise ValidationError(
                "This event type has bookings to come, so it cannot be deleted. Turn it off "
                "instead: nobody can book it then, and the bookings stay."
            )
        if Appointment.objects.filter(calendar=calendar).exists():
            Calendar.objects.filter(pk=calendar.pk).update(is_active=False, archived_at=now)
            return
        calendar.delete()


def event_type_retire(*, calendar: Calendar, now=None) -> list[Appointment]:
    """What staff do to remove an event type: its bookings still to come are cancelled through
    the booking rules (by the host, so everyone is told), then it is deleted, or archived when
    it has history. Appointments already under way are left to finish. Returns those cancelled."""
    from appointments.booking.services import appointment_cancel
    from appointments.errors import BookingError

    now = now or timezone.now()
    cancelled = []
    upcoming = Appointment.objects.active().filter(calendar=calendar, start_time__gt=now)
    for appointment in upcoming.order_by("start_time"):
        try:
            cancelled.append(
                appointment_cancel(appointment=appointment, by_user=appointment.organizer, now=now)
            )
        except BookingError:
            continue  # cancelled or started meanwhile
    if has_future_bookings(calendar, now=now):  # one under way: turned off, kept
        Calendar.objects.filter(pk=calendar.pk).update(is_active=False, archived_at=now)
    else:
        event_type_delete(calendar=calendar, now=now)
    return cancelled


def first_event_type_create(
    *,
    owner,
    name: str,
    length_minutes: int,
    time_zone: str,
    weekdays: Sequence[int],
    start: time,
    end: time,
) -> Calendar:
    """The guided first event type: the person's default schedule (made from the template's
    weekdays and hours in `time_zone` if they have none) and an event type on it."""
    with transaction.atomic():
        schedule = default_schedule(owner) or schedule_create(
            owner=owner,
            time_zone=time_zone,
            hours={day: [(start, end)] for day in weekdays},
        )
        return event_type_create(
            owner=owner, name=name, length_minutes=length_minutes, schedule=schedule
        )


# The slot settings of the availability editor, with the schedule and reminders, less the
# on/off switch (its own button).
EDITABLE_FIELDS = (
    "name",
    "description",
    "schedule",
    *(field for field in SETTINGS_FIELDS if field not in ("name", "description", "is_active")),
    "remind_provider",
)


def event_type_update(*, calendar: Calendar, **changes) -> Calendar:
    """Change what an event type is (its address stays: links already shared keep working)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Not an event type setting: {', '.join(sorted(unknown))}.")
    schedule = changes.get("schedule")
    if schedule is not None and schedule.owner_id != calendar.provider_id:
        raise ValidationError({"schedule": "Choose one of your own schedules."})
    return calendar_changes_save(calendar, changes)


def event_type_duplicate(*, calendar: Calendar) -> Calendar:
    """A copy of a personal event type, on the same schedule, at a new address."""
    copied = {field: getattr(calendar, field) for field in EDITABLE_FIELDS}
    copied.pop("schedule")
    name = f"{calendar.name} (copy)"[:120]
    return event_type_create(
        owner=calendar.provider,
        schedule=calendar.schedule,
        **{**copied, "name": name},
        is_active=calendar.is_active,
        reminder_offsets=list(calendar.reminder_offsets),
    )


def event_type_set_active(*, calendar: Calendar, active: bool) -> Calendar:
    """Turn an event type on or off. Off: nobody can book it; its bookings stay."""
    calendar.is_active = active
    calendar.save(update_fields=["is_active"])
    return calendar


def schedule_rename(*, schedule: Schedule, name: str, time_zone: str) -> Schedule:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the schedule a name."})
    validate_time_zone(time_zone)
    schedule.name, schedule.time_zone = name[:120], time_zone
    schedule.save(update_fields=["name", "time_zone"])
    return schedule


def schedule_set_default(*, schedule: Schedule) -> Schedule:
    """Make `schedule` its owner's default (the one team event types and new event types use)."""
    with transaction.atomic():
        Schedule.objects.filter(owner_id=schedule.owner_id, is_default=True).exclude(
            pk=schedule.pk
        ).update(is_default=False)
        Schedule.objects.filter(pk=schedule.pk).update(is_default=True)
    schedule.is_default = True
    return schedule


def schedule_delete(*, schedule: Schedule) -> None:
    """Delete a schedule no event type uses. The default one can go only when it is the last:
    team event types fall back on a person's default schedule."""
    with transaction.atomic():
        in_use = list(schedule.event_types.filter(archived_at=None).values_list("name", flat=True))
        if in_use:
            names = ", ".join(in_use[:3]) + ("…" if len(in_use) > 3 else "")
            raise ValidationError(
                f"“{schedule.name}” is in use by {names}: give those event types another "
                "schedule first."
            )
        if schedule.is_default and schedule.owner.schedules.count() > 1:
            raise ValidationError(
                f"“{schedule.name}” is your default schedule: make another one the default first."
            )
        if schedule.event_types.exists():
            raise ValidationError(
                f"“{schedule.name}” holds the hours of deleted event types' past bookings; "
                "it is kept for their history."
            )
        schedule.delete()
