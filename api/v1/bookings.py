"""Bookings of the token's owner, as booker or as host: book, list, read, move, cancel. Every
change goes through the booking services, so the API keeps every rule the web pages keep."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from ninja import Body, Field, Header, Query, Router, Schema, Status

from accounts.validators import time_zone_names
from api import idempotency
from api.auth import token_auth, token_or_anonymous
from api.problems import Problem, ProblemError, booking_problem_body
from api.selectors import api_bookings, readable_event_types, shown_booking, user_bookings
from api.v1 import present
from api.v1.schemas import (
    Booking,
    BookingCreated,
    BookingMove,
    BookingNew,
    BookingPage,
    CancelNew,
    DeclineNew,
    ObjectId,
)
from appointments.access import visible_appointments
from appointments.booking import services
from appointments.confirmation import services as confirmation
from appointments.errors import BookingError
from appointments.guests.forms import BookerForm
from appointments.guests.limits import guest_booking_limited
from appointments.guests.selectors import asked_questions
from appointments.guests.services import manage_url
from appointments.models import TimeSlot
from config.bounds import parse_instant

router = Router(tags=["bookings"], auth=token_auth)
MAX_PAGE_SIZE = 100
CHANGE = {200: Booking, 401: Problem, 404: Problem, 409: Problem, 422: Problem}
CREATE = {201: BookingCreated, 401: Problem, 409: Problem, 422: Problem, 429: Problem}
# The web form's field names for the guest's details, and where the API has them.
GUEST_FIELDS = {"name": "guest.name", "email": "guest.email", "phone": "guest.phone"}


def _fresh(appointment) -> dict:
    return present.booking(shown_booking(appointment.pk))


def _time_of(payload, calendar) -> dict:
    """The service's arguments for `start` or `slot_id` (exactly one of them)."""
    if (payload.start is None) == (payload.slot_id is None):
        raise ProblemError(
            422,
            "Give either `start` (a computed time) or `slot_id` (a published slot).",
            errors=[("start", "Give `start` or `slot_id`, not both.")],
        )
    if payload.slot_id is not None:
        slot = TimeSlot.objects.filter(pk=payload.slot_id, calendar=calendar).first()
        if slot is None:
            raise ProblemError(
                422, "No such slot on this event type.", errors=[("slot_id", "No such slot.")]
            )
        return {"time_slot": slot}
    return {"start": payload.start}


def _form_data(payload: BookingNew, questions) -> QueryDict:
    """The booking page's booker form fields from the JSON body, so that the API validates
    the guest's details and the answers exactly as the page does."""
    asked = {question.pk for question in questions}
    errors = []
    data = QueryDict(mutable=True)
    if payload.guest is not None:
        data.update({"name": payload.guest.name, "email": payload.guest.email})
        data["phone"] = payload.guest.phone
    seen = set()
    for index, answer in enumerate(payload.answers):
        where = f"answers.{index}.question_id"
        if answer.question_id not in asked:
            errors.append((where, "The event type asks no such question."))
        elif answer.question_id in seen:
            errors.append((where, "This question is answered twice."))
        seen.add(answer.question_id)
        name, value = f"q{answer.question_id}", answer.value
        if isinstance(value, list):
            data.setlist(name, value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    if errors:
        raise ProblemError(422, errors[0][1], errors=errors)
    return data


def _field_of(name: str, form: BookerForm, payload: BookingNew) -> str:
    """Where the API has the booker form's field `name`: the guest's details, the answer given
    to question `q<id>`, or, for a required question left unanswered, that question."""
    if name in GUEST_FIELDS:
        return GUEST_FIELDS[name]
    for index, answer in enumerate(payload.answers):
        if name == f"q{answer.question_id}":
            return f"answers.{index}.value"
    return f"answers ({form.fields[name].label})"


def _booker(request, payload: BookingNew, calendar) -> dict:
    """The service's `user` or `guest`, `answers` and `phone`, validated by the page's form."""
    if payload.guest is None and not request.user.is_authenticated:
        raise ProblemError(
            422,
            "Without a token, say who is booking: `guest` with a name and an e-mail address.",
            errors=[("guest", "Required without a token.")],
        )
    questions = list(asked_questions(calendar))
    as_user = request.user if payload.guest is None else None
    form = BookerForm(_form_data(payload, questions), questions=questions, user=as_user)
    if not form.is_valid():
        errors = [
            (_field_of(name, form, payload), message)
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ProblemError(422, "The booking is not valid; see `errors`.", errors=errors)
    answers = {"answers": form.answers()}
    if as_user is not None:
        return {"user": as_user, **answers}
    zone = _guest_zone(payload.guest.time_zone, calendar)
    return {"guest": form.guest(zone=zone), "phone": form.cleaned_data["phone"], **answers}


def _guest_zone(name: str | None, calendar) -> str:
    if name is None:
        return calendar.zone.key
    if name not in time_zone_names():
        raise ProblemError(
            422,
            "Unknown time zone; use an IANA name such as Europe/Paris.",
            errors=[("guest.time_zone", "Unknown time zone.")],
        )
    return name


def _book(request, payload: BookingNew) -> tuple[int, dict]:
    calendar = readable_event_types(request.user).filter(pk=payload.event_type_id).first()
    if calendar is None:
        raise ProblemError(
            422,
            "No such event type, or it is not taking bookings.",
            errors=[("event_type_id", "No such event type.")],
        )
    time = _time_of(payload, calendar)
    who = _booker(request, payload, calendar)
    try:
        if "guest" in who and not request.user.is_authenticated:
            limited = guest_booking_limited(request, email=who["guest"].email)
            if limited is not None:
                raise limited
        appointment = services.appointment_book(
            calendar=calendar, description=payload.description, **time, **who
        )
    except BookingError as error:
        body = booking_problem_body(error)
        return body["status"], body
    shown = _fresh(appointment)
    guest = "guest" in who
    shown["manage_url"] = manage_url(appointment, appointment.manage_token) if guest else None
    return 201, BookingCreated.model_validate(shown).model_dump(mode="json")


@router.post("/bookings", response=CREATE, auth=token_or_anonymous)
def booking_new(
    request,
    payload: BookingNew,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Send the same request again with the same key: it is made only once.",
    ),
):
    """Book a time: for yourself (with a token), or for a guest (`guest`; no token needed, as
    on the public booking page). A refusal is a problem naming the rule (`code`) with the
    nearest free times (`alternatives`)."""
    if idempotency_key is None:
        return Status(*_book(request, payload))
    digest = idempotency.fingerprint("POST", request.path, payload.model_dump(mode="json"))
    user = request.user if request.user.is_authenticated else None
    return Status(
        *idempotency.run_once(
            user=user, key=idempotency_key, digest=digest, run=lambda: _book(request, payload)
        )
    )


class BookingFilters(Schema):
    role: Literal["any", "booker", "host"] = "any"
    status: Literal["confirmed", "requested", "cancelled", "declined"] | None = None
    start_from: str | None = Field(None, description="RFC 3339 instant: starting at or after.")
    start_before: str | None = Field(None, description="RFC 3339 instant: starting before.")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


def _instant(name: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    value = parse_instant(text)
    if value is None or value.tzinfo is None:
        raise ProblemError(
            422,
            f"`{name}` must be an RFC 3339 time with an offset, years 1900 to 2199.",
            errors=[(name, "Not an RFC 3339 time with an offset.")],
        )
    return value


@router.get("/bookings", response={200: BookingPage, 401: Problem, 422: Problem})
def booking_list(request, filters: Query[BookingFilters]):
    """Your bookings, as booker and as host, by start time; page by page."""
    bookings = user_bookings(
        request.auth,
        role=filters.role,
        status=filters.status,
        start_from=_instant("start_from", filters.start_from),
        start_before=_instant("start_before", filters.start_before),
    )
    count = bookings.count()
    first = (filters.page - 1) * filters.page_size
    page = bookings[first : first + filters.page_size] if first < count else []
    return {
        "items": [present.booking(appointment) for appointment in page],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": math.ceil(count / filters.page_size),
    }


@router.get("/bookings/{booking_id}", response={200: Booking, 401: Problem, 404: Problem})
def booking_read(request, booking_id: ObjectId):
    return present.booking(get_object_or_404(api_bookings(request.auth), pk=booking_id))


@router.post("/bookings/{booking_id}/reschedule", response=CHANGE)
def booking_reschedule(request, booking_id: ObjectId, payload: BookingMove):
    """Move a booking to another free time of its event type (booker or host)."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    moved = services.appointment_reschedule(
        appointment=appointment, by_user=request.auth, **_time_of(payload, appointment.calendar)
    )
    return _fresh(moved)


@router.post("/bookings/{booking_id}/cancel", response=CHANGE)
def booking_cancel(request, booking_id: ObjectId, payload: Body[CancelNew | None] = None):
    """Cancel a booking (booker or host), with an optional `reason`; everyone involved is
    told, as on the web."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    reason = payload.reason if payload is not None else ""
    cancelled = services.appointment_cancel(
        appointment=appointment, by_user=request.auth, reason=reason
    )
    return _fresh(cancelled)


@router.post("/bookings/{booking_id}/accept", response=CHANGE)
def booking_accept(request, booking_id: ObjectId):
    """A host accepts a request (`status` `requested`): it becomes a confirmed booking."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    return _fresh(confirmation.appointment_accept(appointment=appointment, by_user=request.auth))


@router.post("/bookings/{booking_id}/decline", response=CHANGE)
def booking_decline(request, booking_id: ObjectId, payload: Body[DeclineNew | None] = None):
    """A host declines a request, with an optional `reason` for the booker; the time is free
    again."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    reason = payload.reason if payload is not None else ""
    declined = confirmation.appointment_decline(
        appointment=appointment, by_user=request.auth, reason=reason
    )
    return _fresh(declined)
