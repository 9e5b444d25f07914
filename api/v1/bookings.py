"""Bookings of the token's owner, as booker or as host: book, list, read, move, cancel. Every
change goes through the booking services, so the API keeps every rule the web pages keep."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Header, Query, Router, Schema, Status

from api import idempotency
from api.auth import token_auth
from api.problems import Problem, ProblemError, booking_problem_body
from api.selectors import readable_event_types, user_bookings
from api.v1 import present
from api.v1.schemas import Booking, BookingMove, BookingNew, BookingPage, ObjectId
from appointments.access import visible_appointments
from appointments.booking import services
from appointments.errors import BookingError
from appointments.models import TimeSlot
from config.bounds import parse_instant

router = Router(tags=["bookings"], auth=token_auth)
MAX_PAGE_SIZE = 100
CHANGE = {200: Booking, 401: Problem, 404: Problem, 409: Problem, 422: Problem}


def _fresh(appointment) -> dict:
    return present.booking(visible_appointments(appointment.user).get(pk=appointment.pk))


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


def _book(request, payload: BookingNew) -> tuple[int, dict]:
    calendar = readable_event_types(request.auth).filter(pk=payload.event_type_id).first()
    if calendar is None:
        raise ProblemError(
            422,
            "No such event type, or it is not taking bookings.",
            errors=[("event_type_id", "No such event type.")],
        )
    time = _time_of(payload, calendar)
    try:
        appointment = services.appointment_book(
            user=request.auth,
            calendar=calendar,
            description=payload.description,
            **time,
        )
    except BookingError as error:
        body = booking_problem_body(error)
        return body["status"], body
    return 201, Booking.model_validate(_fresh(appointment)).model_dump(mode="json")


@router.post("/bookings", response={201: Booking, 401: Problem, 409: Problem, 422: Problem})
def booking_new(
    request,
    payload: BookingNew,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Send the same request again with the same key: it is made only once.",
    ),
):
    """Book a time for yourself. A refusal is a problem naming the rule (`code`) with the
    nearest free times (`alternatives`)."""
    if idempotency_key is None:
        return Status(*_book(request, payload))
    digest = idempotency.fingerprint("POST", request.path, payload.model_dump(mode="json"))
    return Status(
        *idempotency.run_once(
            user=request.auth,
            key=idempotency_key,
            digest=digest,
            run=lambda: _book(request, payload),
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
    return present.booking(get_object_or_404(visible_appointments(request.auth), pk=booking_id))


@router.post("/bookings/{booking_id}/reschedule", response=CHANGE)
def booking_reschedule(request, booking_id: ObjectId, payload: BookingMove):
    """Move a booking to another free time of its event type (booker or host)."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    moved = services.appointment_reschedule(
        appointment=appointment, by_user=request.auth, **_time_of(payload, appointment.calendar)
    )
    return _fresh(moved)


@router.post("/bookings/{booking_id}/cancel", response=CHANGE)
def booking_cancel(request, booking_id: ObjectId):
    """Cancel a booking (booker or host); everyone involved is told, as on the web."""
    appointment = get_object_or_404(visible_appointments(request.auth), pk=booking_id)
    return _fresh(services.appointment_cancel(appointment=appointment, by_user=request.auth))
