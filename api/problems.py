"""Every error of the API in one shape: RFC 9457 problem details (`application/problem+json`).

`type` is `about:blank` for plain HTTP errors (the title is then the status phrase) and
`urn:slotwise:problem:<code>` for a refusal of the booking rules, whose `code` is the rule
(`taken`, `outside_hours`, `notice`, ...; docs/api.md lists them) and whose `alternatives` are
the nearest free times, as the web pages offer them."""

from __future__ import annotations

import json
from datetime import datetime
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from appointments.errors import BookingError

CONTENT_TYPE = "application/problem+json"

# The HTTP status of each booking refusal; any other code is a 422 (the request broke a rule).
BOOKING_STATUS = {
    "taken": 409,
    "overlap_own": 409,
    "already_cancelled": 409,
    "inactive": 409,
    "forbidden": 404,  # not the booker's nor a host's: as if it did not exist
    "not_requested": 409,
    "expired": 409,
    "rate_limited": 429,
}


class FieldError(Schema):
    field: str
    message: str


class Alternative(Schema):
    start: datetime
    end: datetime
    slot_id: int | None = None


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str | None = None
    errors: list[FieldError] = []
    alternatives: list[Alternative] = []


class ProblemError(Exception):
    """Raised by endpoints for a refusal of their own (a bad parameter combination)."""

    def __init__(
        self, status: int, detail: str, *, code: str | None = None, errors=(), title: str = ""
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.code, self.errors = status, detail, code, list(errors)
        self.title = title


def problem_response(status: int, detail: str = "", **fields) -> HttpResponse:
    """A problem answer; `fields` as `problem_body` takes them."""
    body = problem_body(status, detail, **fields)
    return HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)


def problem_body(
    status: int,
    detail: str = "",
    *,
    code: str | None = None,
    errors=(),
    alternatives=(),
    title: str = "",
) -> dict:
    phrase = HTTPStatus(status).phrase
    return Problem(
        type=f"urn:slotwise:problem:{code}" if code else "about:blank",
        title=title or phrase,
        status=status,
        detail=detail,
        code=code,
        errors=[FieldError(field=field, message=message) for field, message in errors],
        alternatives=[
            Alternative(start=slot.start, end=slot.end, slot_id=slot.slot_id)
            for slot in alternatives
        ],
    ).model_dump(mode="json")


def booking_problem_body(error: BookingError) -> dict:
    return problem_body(
        BOOKING_STATUS.get(error.code, 422),
        error.message,
        code=error.code,
        alternatives=error.alternatives,
        title="The booking was refused",
    )


def _location(loc) -> str:
    # ninja's locations start with where the value came from: ("body", "payload", "start").
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        where, rest = parts[0], parts[1:]
        if where == "body" and rest:
            rest = rest[1:]  # the payload argument's name
        return ".".join(rest) or where
    return ".".join(parts)


def django_field_errors(error: DjangoValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (field if field != "__all__" else "", message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in error.messages]


def install(api) -> None:
    """Register the problem handlers on a NinjaAPI."""

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            (_location(error.get("loc", ())), str(error.get("msg", ""))) for error in exc.errors
        ]
        return problem_response(422, "The request is not valid; see `errors`.", errors=errors)

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = django_field_errors(exc)
        return problem_response(422, " ".join(message for _, message in errors), errors=errors)

    @api.exception_handler(BookingError)
    def booking_refused(request: HttpRequest, exc: BookingError) -> HttpResponse:
        body = booking_problem_body(exc)
        return HttpResponse(json.dumps(body), status=body["status"], content_type=CONTENT_TYPE)

    @api.exception_handler(ProblemError)
    def own_refusal(request: HttpRequest, exc: ProblemError) -> HttpResponse:
        return problem_response(
            exc.status, exc.detail, code=exc.code, errors=exc.errors, title=exc.title
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, "No such object, or it is not yours.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem_response(
            401, "Send a valid personal access token: `Authorization: Bearer <token>`."
        )
        response["WWW-Authenticate"] = 'Bearer realm="slotwise"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return problem_response(429, "Too many requests; wait for the time in Retry-After.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, str(exc))
