"""Event types: read (public ones by anyone, own ones with a token), create, change, switch off.
Writes go through the event type and availability services, with their validation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from accounts.validators import time_zone_names
from api.auth import token_auth, token_or_anonymous
from api.problems import Problem, ProblemError
from api.selectors import editable_event_types, readable_event_types
from api.v1 import present
from api.v1.schemas import (
    EventType,
    EventTypeChanges,
    EventTypeNew,
    ObjectId,
    Question,
    QuestionNew,
    Slots,
)
from appointments.availability import selectors as availability
from appointments.event_types.services import event_type_create
from appointments.guests import services as guest_services
from appointments.guests.editor import MAX_QUESTIONS, QuestionForm
from appointments.guests.selectors import asked_questions
from appointments.provider.services import calendar_settings_update
from config.bounds import parse_date

router = Router(tags=["event types"])
MAX_DAYS = 31
READ = {200: EventType, 401: Problem, 404: Problem}
WRITE = {200: EventType, 401: Problem, 404: Problem, 422: Problem}


@router.get("/event-types", response={200: list[EventType], 401: Problem}, auth=token_or_anonymous)
def event_type_list(request):
    """Public event types; with a token, your own ones too (switched off included)."""
    return [present.event_type(calendar) for calendar in readable_event_types(request.user)]


@router.get("/event-types/{event_type_id}", response=READ, auth=token_or_anonymous)
def event_type_read(request, event_type_id: ObjectId):
    calendar = get_object_or_404(readable_event_types(request.user), pk=event_type_id)
    return present.event_type(calendar)


@router.post("/event-types", response={201: EventType, 401: Problem, 422: Problem}, auth=token_auth)
def event_type_new(request, payload: EventTypeNew):
    """A personal event type of yours, on your default schedule (office hours if you have none)."""
    fields = payload.model_dump(exclude_unset=True, exclude_none=True)
    calendar = event_type_create(owner=request.auth, **fields)
    return Status(201, present.event_type(editable_event_types(request.auth).get(pk=calendar.pk)))


@router.patch("/event-types/{event_type_id}", response=WRITE, auth=token_auth)
def event_type_change(request, event_type_id: ObjectId, payload: EventTypeChanges):
    """Change some settings of one of your event types (send only those you change)."""
    calendar = get_object_or_404(editable_event_types(request.auth), pk=event_type_id)
    changes = payload.model_dump(exclude_unset=True)
    required = {"name", "description", "is_active", "length_minutes", "horizon_days"}
    required |= {"buffer_before_minutes", "buffer_after_minutes", "minimum_notice_minutes"}
    nulls = sorted(name for name, value in changes.items() if value is None and name in required)
    if nulls:
        raise ProblemError(
            422,
            "These settings cannot be empty.",
            errors=[(name, "Give a value.") for name in nulls],
        )
    calendar_settings_update(calendar=calendar, **changes)
    return present.event_type(editable_event_types(request.auth).get(pk=calendar.pk))


@router.post("/event-types/{event_type_id}/deactivate", response=WRITE, auth=token_auth)
def event_type_deactivate(request, event_type_id: ObjectId):
    """Stop taking bookings (the bookings made stay); PATCH `is_active: true` turns it on again."""
    calendar = get_object_or_404(editable_event_types(request.auth), pk=event_type_id)
    calendar_settings_update(calendar=calendar, is_active=False)
    return present.event_type(editable_event_types(request.auth).get(pk=calendar.pk))


@router.post(
    "/event-types/{event_type_id}/questions",
    response={201: Question, 401: Problem, 404: Problem, 422: Problem},
    auth=token_auth,
)
def question_new(request, event_type_id: ObjectId, payload: QuestionNew):
    """Ask one more question on the booking page (after the others; at most 30)."""
    calendar = get_object_or_404(editable_event_types(request.auth), pk=event_type_id)
    if asked_questions(calendar).count() >= MAX_QUESTIONS:
        raise ProblemError(422, f"An event type asks at most {MAX_QUESTIONS} questions.")
    data = payload.model_dump()
    form = QuestionForm({**data, "choices_text": "\n".join(data.pop("choices"))})
    if not form.is_valid():
        errors = [
            ("choices" if name == "choices_text" else name, message)
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ProblemError(422, errors[0][1], errors=errors)
    fields = {name: form.cleaned_data[name] for name in ("label", "kind", "help_text", "required")}
    added = guest_services.question_add(
        calendar=calendar, choices=form.cleaned_data["choices"], **fields
    )
    return Status(201, present.question(added))


@router.delete(
    "/event-types/{event_type_id}/questions/{question_id}",
    response={204: None, 401: Problem, 404: Problem},
    auth=token_auth,
)
def question_remove(request, event_type_id: ObjectId, question_id: ObjectId):
    """Stop asking a question; the answers already given keep it."""
    calendar = get_object_or_404(editable_event_types(request.auth), pk=event_type_id)
    question = get_object_or_404(asked_questions(calendar), pk=question_id)
    guest_services.question_remove(question=question)
    return Status(204, None)


class SlotQuery(Schema):
    start: str | None = None
    end: str | None = None
    time_zone: str | None = None


def _window(query: SlotQuery, calendar) -> tuple[date, date, ZoneInfo]:
    zone_name = query.time_zone or calendar.zone.key
    if zone_name not in time_zone_names():
        raise ProblemError(
            422,
            "Unknown time zone; use an IANA name such as Europe/Paris.",
            errors=[("time_zone", "Unknown time zone.")],
        )
    zone = ZoneInfo(zone_name)
    today = timezone.now().astimezone(zone).date()
    first = parse_date(query.start) if query.start else today
    last = parse_date(query.end) if query.end else (first or today) + timedelta(days=6)
    errors = [
        (name, "Give a date as YYYY-MM-DD (years 1900 to 2199).")
        for name, value in (("start", first), ("end", last))
        if value is None
    ]
    if not errors and last < first:
        errors = [("end", "The end date is before the start date.")]
    if not errors and (last - first).days + 1 > MAX_DAYS:
        errors = [("end", f"At most {MAX_DAYS} days a call.")]
    if errors:
        raise ProblemError(422, errors[0][1], errors=errors)
    return first, last, zone


@router.get(
    "/event-types/{event_type_id}/slots",
    response={200: Slots, 401: Problem, 404: Problem, 422: Problem},
    auth=token_or_anonymous,
)
def event_type_slots(request, event_type_id: ObjectId, query: Query[SlotQuery]):
    """Free times from `start` to `end` (dates in `time_zone`, both included, at most 31 days;
    default: the next 7 days in the event type's zone), grouped by the zone's dates."""
    # The availability read loads what it needs itself: no prefetches (one query, not five).
    readable = readable_event_types(request.user).prefetch_related(None)
    calendar = get_object_or_404(readable, pk=event_type_id)
    first, last, zone = _window(query, calendar)
    window_start = datetime.combine(first, time(), zone)
    window_end = datetime.combine(last + timedelta(days=1), time(), zone)
    free = availability.available_slots(
        calendar, window_start=window_start, window_end=window_end, now=timezone.now()
    )
    days: dict[date, list[dict]] = {}
    for slot in free:
        day = slot.start.astimezone(zone).date()
        days.setdefault(day, []).append(
            {
                "start": slot.start.astimezone(zone),
                "end": slot.end.astimezone(zone),
                "slot_id": slot.slot_id,
            }
        )
    return {
        "event_type_id": calendar.pk,
        "time_zone": zone.key,
        "start": first,
        "end": last,
        "days": [{"date": day, "slots": slots} for day, slots in sorted(days.items())],
    }
