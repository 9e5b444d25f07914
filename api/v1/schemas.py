"""The API's request and response shapes. Times are RFC 3339 with an offset (`Z` for UTC)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import AwareDatetime, ConfigDict

from appointments.booking.services import DESCRIPTION_MAX

MINUTES_A_DAY = 24 * 60
MAX_ID = 2**62  # ids beyond any row; larger numbers would overflow the database's integers
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Person(Schema):
    id: int
    username: str
    name: str


class Me(Person):
    email: str
    time_zone: str = Field(description="Times are shown in this zone on the web pages.")


class Question(Schema):
    id: int
    kind: Literal[
        "short_text", "long_text", "single_choice", "multiple_choice", "checkbox", "phone", "number"
    ]
    label: str
    help_text: str
    required: bool
    choices: list[str] = Field(description="The options of a choice question, in order.")


class QuestionNew(Schema):
    """A question the booking page asks; `choices` (2 to 20) for the two choice kinds only."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    kind: Literal[
        "short_text", "long_text", "single_choice", "multiple_choice", "checkbox", "phone", "number"
    ] = "short_text"
    help_text: str = Field("", max_length=300)
    required: bool = False
    choices: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20
    )


class EventType(Schema):
    id: int
    slug: str
    name: str
    description: str
    is_active: bool
    length_minutes: int
    step_minutes: int | None
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    horizon_days: int
    max_per_day: int | None
    time_zone: str
    assignment: str
    team_id: int | None
    owner: Person
    hosts: list[Person]
    booking_url: str
    requires_confirmation: bool
    questions: list[Question]


class EventTypeChanges(Schema):
    """The settings of an event type that the API may change; every one is optional."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = None
    length_minutes: int | None = Field(None, ge=5, le=MINUTES_A_DAY)
    step_minutes: int | None = Field(None, ge=5, le=MINUTES_A_DAY)
    buffer_before_minutes: int | None = Field(None, ge=0, le=MINUTES_A_DAY)
    buffer_after_minutes: int | None = Field(None, ge=0, le=MINUTES_A_DAY)
    minimum_notice_minutes: int | None = Field(None, ge=0, le=365 * MINUTES_A_DAY)
    horizon_days: int | None = Field(None, ge=1, le=730)
    max_per_day: int | None = Field(None, ge=1, le=10_000)


class EventTypeNew(EventTypeChanges):
    name: str = Field(min_length=1, max_length=120)
    slug: str | None = Field(
        None,
        min_length=1,
        max_length=80,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="The public page's address; made from the name if left out.",
    )


class Slot(Schema):
    start: datetime
    end: datetime
    slot_id: int | None = Field(description="A published slot's id; null for a computed time.")


class SlotDay(Schema):
    date: date
    slots: list[Slot]


class Slots(Schema):
    event_type_id: int
    time_zone: str
    start: date
    end: date
    days: list[SlotDay]


class GuestNew(Schema):
    """Who books without an account: the confirmation and the private manage link go to
    `email`; `time_zone` is the zone their e-mails show times in (default: the event type's)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=150)
    email: str = Field(min_length=3, max_length=254)
    phone: str = Field("", max_length=24)
    time_zone: str | None = Field(None, max_length=64)


AnswerValue = bool | int | float | Annotated[str, Field(max_length=2000)]


class AnswerNew(Schema):
    """The answer to one of the event type's questions: text, a number, `true`/`false` for a
    checkbox, one option of a single choice, a list of options of a multiple choice."""

    model_config = ConfigDict(extra="forbid")

    question_id: int = Field(ge=1, le=MAX_ID)
    value: AnswerValue | list[Annotated[str, Field(max_length=100)]]


class BookingNew(Schema):
    """A booking of a computed time (`start`) or of a published slot (`slot_id`).

    With a token and no `guest`, the token's owner books. With `guest`, a person without an
    account books (no token needed, as on the public booking page; a token's owner may book for
    a client this way too). `answers` answer the event type's `questions`."""

    model_config = ConfigDict(extra="forbid")

    event_type_id: int = Field(ge=1, le=MAX_ID)
    start: AwareDatetime | None = Field(
        None, description="A free start time, as `GET /event-types/{id}/slots` lists it."
    )
    slot_id: int | None = Field(None, ge=1, le=MAX_ID)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    guest: GuestNew | None = None
    answers: list[AnswerNew] = Field(default_factory=list, max_length=50)


class BookingMove(Schema):
    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime | None = None
    slot_id: int | None = Field(None, ge=1, le=MAX_ID)


class BookingEventType(Schema):
    id: int
    slug: str
    name: str


class Booker(Schema):
    """Who booked: an account (`id`, `username`) or a guest (`id` and `username` null), with the
    contact details the hosts need."""

    id: int | None
    username: str | None
    name: str
    email: str
    phone: str
    time_zone: str


class AnswerShown(Schema):
    question_id: int | None = Field(description="Null when the question was deleted since.")
    label: str
    value: str


class Booking(Schema):
    id: int
    uid: str
    status: Literal["confirmed", "requested", "cancelled", "declined"]
    start: datetime
    end: datetime
    description: str
    event_type: BookingEventType
    booker: Booker
    hosts: list[Person]
    answers: list[AnswerShown]
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str
    request_expires_at: datetime | None = Field(
        description="A request not answered by then is declined."
    )
    decline_reason: str
    web_url: str


class BookingCreated(Booking):
    manage_url: str | None = Field(
        description="A guest booking's private link to view, move or cancel it (shown once)."
    )


class CancelNew(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500, description="Told to the others involved.")


class DeclineNew(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500, description="Told to the booker.")


class BookingPage(Schema):
    items: list[Booking]
    count: int
    page: int
    page_size: int
    pages: int


class Member(Schema):
    person: Person
    role: str


class Team(Schema):
    id: int
    slug: str
    name: str
    members: list[Member]
    event_type_ids: list[int]


# A wall-clock time in the schedule's zone. Not JSON Schema's `time`, which needs an offset.
Clock = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"], description="HH:MM"),
]


class HoursInterval(Schema):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday.")
    start: Clock
    end: Clock = Field(description="At or before `start`: the interval ends the next day.")


class HoursNew(Schema):
    model_config = ConfigDict(extra="forbid")

    hours: list[HoursInterval] = Field(max_length=70)


class Override(Schema):
    id: int
    date: date
    start: Clock | None
    end: Clock | None
    closed: bool


class OverrideNew(Schema):
    """Other hours on one date of the schedule's zone, or the date closed (no times)."""

    model_config = ConfigDict(extra="forbid")

    date: date
    start: Clock | None = None
    end: Clock | None = None


class TimeOffShown(Schema):
    id: int
    start: datetime
    end: datetime
    reason: str


class TimeOffNew(Schema):
    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime
    end: AwareDatetime
    reason: str = Field("", max_length=200)


class Schedule(Schema):
    id: int
    name: str
    time_zone: str
    is_default: bool
    hours: list[HoursInterval]
    overrides: list[Override] = Field(description="Today's and later dates.")
    time_off: list[TimeOffShown] = Field(description="Not yet over.")
