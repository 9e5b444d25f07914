"""Why a time is not available, in plain words that name what is in the way: "You have another
appointment: Lesson with Ada Lovelace at 10:00", "Time off: Conference", "Busy in your calendar
“Google work”". For the provider (and the admin), never for bookers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from appointments.availability.selectors import check_hosts
from appointments.models import Appointment, Calendar, TimeOff
from appointments.scheduling import Obstacle, Reason
from calendars.models import BusySource


@dataclass(frozen=True)
class Explanation:
    """One thing that keeps a time from being offered."""

    reason: Reason
    text: str
    host: int | None = None  # whose time it is, on a team event type


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _rows(obstacles: list[Obstacle]) -> dict[str, dict]:
    """The rows the obstacles refer to, one query per kind that occurs."""
    wanted: dict[str, set] = {"appointment": set(), "time_off": set(), "busy": set()}
    for obstacle in obstacles:
        ref = getattr(obstacle.cause, "ref", None)
        if ref:
            wanted[ref[0]].add(ref[1])
    return {
        "appointment": Appointment.objects.select_related("calendar", "user")
        .prefetch_related("host_rows__user")
        .in_bulk(wanted["appointment"]),
        "time_off": TimeOff.objects.in_bulk(wanted["time_off"]),
        "busy": BusySource.objects.in_bulk(wanted["busy"]),
    }


@dataclass(frozen=True)
class Subject:
    """Whose time it is, as the sentence says it: "You have" for the owner, "Ann has" for a host
    of a team event type."""

    name: str = "You"
    have: str = "have"
    their: str = "your"
    are: str = "are"


def subject_of(host) -> Subject:
    return Subject(_name(host), "has", "their", "is") if host is not None else Subject()


def _appointment_text(
    reason: Reason, appointment: Appointment, person: int, zone, who: Subject
) -> str:
    when = f"{appointment.start_time.astimezone(zone):%H:%M}"
    if appointment.user_id == person:  # the host booked someone else's time
        what = f"{appointment.calendar.name} with {_name(appointment.organizer)} at {when}"
        if reason is Reason.BOOKED:
            return f"{who.name} booked {what}."
        return f"Too close to what {who.name} booked: {what}."
    what = f"{appointment.calendar.name} with {appointment.booker_name} at {when}"
    if reason is Reason.BOOKED:
        return f"{who.name} {who.have} another appointment: {what}."
    return f"Too close to {who.their} appointment {what} (its buffers)."


def _text(obstacle: Obstacle, person: int, rows: dict[str, dict], zone, who: Subject) -> str:
    ref = getattr(obstacle.cause, "ref", None)
    row = rows[ref[0]].get(ref[1]) if ref else None
    if row is None:  # a policy, or a row gone since the read: the reason's own words
        prefix = "" if who.name == "You" else f"{who.name}: "
        return prefix + obstacle.message
    if ref[0] == "appointment":
        return _appointment_text(obstacle.reason, row, person, zone, who)
    if ref[0] == "time_off":
        away = f"{who.name} {who.are} away then (time off"
        return f"{away}: {row.reason})." if row.reason else f"{away})."
    return f"{who.name} {who.are} busy in {who.their} calendar “{row.name}”."


def explain_time(
    calendar: Calendar, start: datetime, now: datetime, *, zone: ZoneInfo
) -> list[Explanation]:
    """Everything that keeps [start, start + length) from being offered on the event type, each
    naming the appointment, time off or external calendar in the way (times in `zone`); empty
    when the time is offered. On a team event type each is said of its host."""
    check = check_hosts(calendar, start, now)
    if check.explanation is None:
        return [Explanation(Reason.OUTSIDE_HOURS, "This event type has no host.")]
    if check.offered:
        return []
    by_host = check.explanation.obstacles
    everything = [o for obstacles in by_host.values() for o in obstacles]
    rows = _rows(everything)
    people = get_user_model().objects.in_bulk(list(by_host)) if calendar.is_team else {}
    found = [
        Explanation(
            obstacle.reason, _text(obstacle, host, rows, zone, subject_of(people.get(host))), host
        )
        for host, obstacles in by_host.items()
        for obstacle in obstacles
    ]
    found += [Explanation(o.reason, o.message) for o in check.explanation.shared]
    return _distinct(found)


def _distinct(found: list[Explanation]) -> list[Explanation]:
    seen, kept = set(), []
    for item in found:
        if item.text not in seen:
            seen.add(item.text)
            kept.append(item)
    return kept
