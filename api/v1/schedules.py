"""The caller's schedules: read them, replace the weekly hours, add and remove date overrides
and time off. Writes go through the availability editor's services (provider.services), with
the same validation as the web editor; a refusal is a 422 problem and changes nothing."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status

from api.auth import token_auth
from api.problems import Problem
from api.selectors import own_schedules
from api.v1 import present
from api.v1.schemas import HoursNew, ObjectId, OverrideNew, Schedule, TimeOffNew
from appointments import scheduling
from appointments.provider import services as editor
from config.bounds import OUT_OF_RANGE, date_in_range, instant_in_range

router = Router(tags=["schedules"], auth=token_auth)
READ = {200: Schedule, 401: Problem, 404: Problem}
WRITE = {200: Schedule, 401: Problem, 404: Problem, 422: Problem}
REMOVE = {204: None, 401: Problem, 404: Problem}


def _time(clock: str | None) -> time | None:
    return None if clock is None else time.fromisoformat(clock)


def _own(request, schedule_id: int):
    return get_object_or_404(own_schedules(request.auth, now=timezone.now()), pk=schedule_id)


def _shown(request, schedule_id: int) -> dict:
    now = timezone.now()
    schedule = get_object_or_404(own_schedules(request.auth, now=now), pk=schedule_id)
    return present.schedule(schedule, today=scheduling.local_date(now, schedule.zone), now=now)


@router.get("/schedules", response={200: list[Schedule], 401: Problem})
def schedule_list(request):
    """Your schedules (the default first), each with its weekly hours, the overrides from today
    on and the time off not yet over."""
    now = timezone.now()
    return [
        present.schedule(schedule, today=scheduling.local_date(now, schedule.zone), now=now)
        for schedule in own_schedules(request.auth, now=now)
    ]


@router.get("/schedules/{schedule_id}", response=READ)
def schedule_read(request, schedule_id: ObjectId):
    return _shown(request, schedule_id)


@router.put("/schedules/{schedule_id}/hours", response=WRITE)
def schedule_hours_set(request, schedule_id: ObjectId, payload: HoursNew):
    """Replace the weekly hours (times in the schedule's zone; an end at or before its start
    runs into the next day). An empty list closes every day."""
    schedule = _own(request, schedule_id)
    intervals: dict[int, list] = {}
    for row in payload.hours:
        intervals.setdefault(row.weekday, []).append((_time(row.start), _time(row.end)))
    editor.working_hours_set(schedule=schedule, intervals=intervals)
    return _shown(request, schedule_id)


@router.post("/schedules/{schedule_id}/overrides", response={201: Schedule, **WRITE})
def schedule_override_new(request, schedule_id: ObjectId, payload: OverrideNew):
    """Other hours on one date (`start` and `end`), or the date closed (neither)."""
    schedule = _own(request, schedule_id)
    if not date_in_range(payload.date):
        raise ValidationError({"date": OUT_OF_RANGE})
    editor.date_override_add(
        schedule=schedule,
        day=payload.date,
        start=_time(payload.start),
        end=_time(payload.end),
        today=scheduling.local_date(timezone.now(), schedule.zone),
    )
    return Status(201, _shown(request, schedule_id))


@router.delete("/schedules/{schedule_id}/overrides/{override_id}", response=REMOVE)
def schedule_override_remove(request, schedule_id: ObjectId, override_id: ObjectId):
    schedule = _own(request, schedule_id)
    get_object_or_404(schedule.date_overrides.all(), pk=override_id)
    editor.date_override_remove(schedule=schedule, override_id=override_id)
    return Status(204, None)


@router.post("/schedules/{schedule_id}/time-off", response={201: Schedule, **WRITE})
def schedule_time_off_new(request, schedule_id: ObjectId, payload: TimeOffNew):
    """An absence from `start` to `end` (RFC 3339 with offsets): it blocks every event type you
    host, whichever schedule it uses."""
    schedule = _own(request, schedule_id)
    for name in ("start", "end"):
        if not instant_in_range(getattr(payload, name)):
            raise ValidationError({name: OUT_OF_RANGE})
    editor.time_off_add(
        schedule=schedule, start=payload.start, end=payload.end, reason=payload.reason
    )
    return Status(201, _shown(request, schedule_id))


@router.delete("/schedules/{schedule_id}/time-off/{time_off_id}", response=REMOVE)
def schedule_time_off_remove(request, schedule_id: ObjectId, time_off_id: ObjectId):
    schedule = _own(request, schedule_id)
    get_object_or_404(schedule.time_off.all(), pk=time_off_id)
    editor.time_off_remove(schedule=schedule, time_off_id=time_off_id)
    return Status(204, None)
