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


class BookingNew(Schema):
    """A booking of a computed time (`start`) or of a published slot (`slot_id`).

    Made for the signed-in booker (the token's owner). Guest bookings and answers to an event
    type's questions will be further optional fields of this object."""

    model_config = ConfigDict(extra="forbid")

    event_type_id: int = Field(ge=1, le=MAX_ID)
    start: AwareDatetime | None = Field(
        None, description="A free start time, as `GET /event-types/{id}/slots` lists it."
    )
    slot_id: int | None = Field(None, ge=1, le=MAX_ID)
    description: str = Field("", max_length=DESCRIPTION_MAX)


class BookingMove(Schema):
    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime | None = None
    slot_id: int | None = Field(None, ge=1, le=MAX_ID)


class BookingEventType(Schema):
    id: int
    slug: str
    name: str


class Booking(Schema):
    id: int
    uid: str
    status: Literal["confirmed", "requested", "cancelled", "declined"]
    start: datetime
    end: datetime
    description: str
    event_type: BookingEventType
    booker: Person
    hosts: list[Person]
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    web_url: str


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
