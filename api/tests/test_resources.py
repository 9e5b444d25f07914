"""Every resource for its owner, another user's token and an anonymous client."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from appointments.booking import services
from appointments.models import Appointment, Calendar, Membership, Team
from conftest import NOW
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WEEKDAYS = {day: [(time(9), time(17))] for day in range(5)}


@pytest.fixture
def hours(provider, make_calendar):
    return make_calendar(provider, slug="hours", hours=WEEKDAYS)


def test_me_is_the_tokens_owner_and_needs_a_token(api_as, anonymous_api, client_user):
    assert api_as(client_user).get("/me").json()["username"] == "client"
    assert anonymous_api.get("/me").status_code == 401


def test_anyone_reads_public_event_types_but_only_the_owner_sees_a_switched_off_one(
    api_as, anonymous_api, provider, other_user, hours, make_calendar
):
    off = make_calendar(provider, slug="off", is_active=False)

    for api in (anonymous_api, api_as(other_user)):
        assert [item["slug"] for item in api.get("/event-types").json()] == ["hours"]
        assert api.get(f"/event-types/{off.pk}").status_code == 404
    owner = api_as(provider)
    assert {item["slug"] for item in owner.get("/event-types").json()} == {"hours", "off"}
    assert owner.get(f"/event-types/{off.pk}").json()["is_active"] is False


def test_the_owner_creates_changes_and_deactivates_an_event_type(api_as, provider):
    api = api_as(provider)

    created = api.post("/event-types", {"name": "Intro call", "length_minutes": 20})
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "provider-intro-call" and body["length_minutes"] == 20
    assert body["hosts"] == [body["owner"]]

    changed = api.patch(f"/event-types/{body['id']}", {"minimum_notice_minutes": 60})
    assert changed.json()["minimum_notice_minutes"] == 60

    off = api.post(f"/event-types/{body['id']}/deactivate")
    assert off.json()["is_active"] is False
    assert Calendar.objects.get(pk=body["id"]).is_active is False


def test_event_type_writes_keep_the_model_rules(api_as, provider, hours):
    api = api_as(provider)

    taken = api.post("/event-types", {"name": "Clash", "slug": "hours"})
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["field"] == "slug"
    assert api.patch(f"/event-types/{hours.pk}", {"length_minutes": 2}).status_code == 422
    assert api.patch(f"/event-types/{hours.pk}", {"name": None}).status_code == 422
    assert Calendar.objects.get(pk=hours.pk).length_minutes == 30


def test_another_user_cannot_change_an_event_type(api_as, anonymous_api, other_user, hours):
    assert api_as(other_user).patch(f"/event-types/{hours.pk}", {"name": "Mine"}).status_code == 404
    assert api_as(other_user).post(f"/event-types/{hours.pk}/deactivate").status_code == 404
    assert anonymous_api.patch(f"/event-types/{hours.pk}", {"name": "Mine"}).status_code == 401
    assert Calendar.objects.get(pk=hours.pk).name == "Consultations"


def test_slots_are_grouped_by_the_requested_zones_dates(anonymous_api, hours):
    response = anonymous_api.get(
        f"/event-types/{hours.pk}/slots",
        {"start": "2026-11-25", "end": "2026-11-26", "time_zone": "Asia/Tokyo"},
    )

    body = response.json()
    assert body["time_zone"] == "Asia/Tokyo"
    # London 09:00-17:00 is Tokyo 18:00-02:00: a Tokyo date holds the end of one London day and
    # the start of the next.
    assert [day["date"] for day in body["days"]] == ["2026-11-25", "2026-11-26"]
    for day in body["days"]:
        assert {slot["start"][:10] for slot in day["slots"]} == {day["date"]}
        assert all(slot["start"].endswith("+09:00") for slot in day["slots"])
    starts = [slot["start"] for slot in body["days"][0]["slots"]]
    assert starts[0] == "2026-11-25T00:00:00+09:00"  # Tuesday 15:00 in London
    assert "2026-11-25T01:30:00+09:00" in starts and "2026-11-25T02:00:00+09:00" not in starts
    assert "2026-11-25T18:00:00+09:00" in starts


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-11-25", "end": "2026-12-26"}, "end"),
        ({"start": "2026-11-25", "end": "2026-11-24"}, "end"),
        ({"start": "25/11/2026"}, "start"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_a_bad_slot_window_is_a_problem(anonymous_api, hours, params, field):
    response = anonymous_api.get(f"/event-types/{hours.pk}/slots", params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_thirty_one_days_is_the_longest_window(anonymous_api, hours):
    response = anonymous_api.get(
        f"/event-types/{hours.pk}/slots", {"start": "2026-11-25", "end": "2026-12-25"}
    )
    assert response.status_code == 200


def book(api, calendar, start, **extra):
    return api.post("/bookings", {"event_type_id": calendar.pk, "start": start, **extra})


def test_an_api_booking_shows_in_the_web_pages_and_e_mails(
    api_as, client, client_user, provider, hours
):
    start = NOW.replace(hour=10) + timedelta(days=1)

    response = book(api_as(client_user), hours, start.isoformat(), description="Knee")

    assert response.status_code == 201
    booking = response.json()
    assert booking["hosts"][0]["username"] == "provider"
    assert booking["start"] == "2026-11-25T10:00:00Z"
    client.force_login(client_user)
    page = client.get(f"/appointments/{booking['id']}/")
    assert page.status_code == 200 and "Knee" in page.content.decode()
    emails = OutboundEmail.objects.filter(appointment_id=booking["id"], kind="booked")
    assert set(emails.values_list("recipient", flat=True)) == {
        "client@example.com",
        "provider@example.com",
    }


def test_a_web_booking_shows_in_the_api(api_as, client_user, provider, hours):
    start = NOW.replace(hour=11) + timedelta(days=1)
    appointment = services.appointment_book(user=client_user, calendar=hours, start=start)

    for user in (client_user, provider):
        assert api_as(user).get(f"/bookings/{appointment.pk}").json()["id"] == appointment.pk


def test_a_booking_of_a_published_slot(api_as, client_user, calendar, slot):
    response = api_as(client_user).post(
        "/bookings", {"event_type_id": calendar.pk, "slot_id": slot.pk}
    )
    assert response.status_code == 201
    assert response.json()["start"] == "2026-11-25T09:00:00Z"


@pytest.mark.parametrize(
    "body",
    [
        {"start": None},
        {"start": "2026-11-25T10:00:00Z", "slot_id": 1},
        {"start": "2026-11-25T10:00:00"},  # no offset
        {"slot_id": 999},
    ],
)
def test_a_booking_needs_exactly_one_time_with_an_offset(api_as, client_user, hours, body):
    response = api_as(client_user).post("/bookings", {"event_type_id": hours.pk, **body})

    assert response.status_code == 422
    assert not Appointment.objects.exists()


def test_without_a_token_a_booking_names_its_guest(anonymous_api, hours):
    response = book(anonymous_api, hours, "2026-11-25T10:00:00Z")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "guest"
    assert not Appointment.objects.exists()


@pytest.fixture
def bookings(client_user, provider, other_user, hours, make_calendar):
    """client books provider twice (one cancelled); provider books other_user's event type."""
    day = NOW + timedelta(days=1)
    first = services.appointment_book(user=client_user, calendar=hours, start=day.replace(hour=9))
    second = services.appointment_book(user=client_user, calendar=hours, start=day.replace(hour=11))
    services.appointment_cancel(appointment=second, by_user=client_user)
    theirs = make_calendar(other_user, slug="theirs", hours=WEEKDAYS)
    third = services.appointment_book(user=provider, calendar=theirs, start=day.replace(hour=14))
    return first, second, third


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_the_list_filters_by_role_status_and_dates(api_as, provider, bookings):
    first, second, third = bookings
    api = api_as(provider)

    assert ids(api.get("/bookings")) == [first.pk, second.pk, third.pk]
    assert ids(api.get("/bookings", {"role": "host"})) == [first.pk, second.pk]
    assert ids(api.get("/bookings", {"role": "booker"})) == [third.pk]
    assert ids(api.get("/bookings", {"status": "cancelled"})) == [second.pk]
    window = {"start_from": "2026-11-25T10:00:00Z", "start_before": "2026-11-25T14:00:00+00:00"}
    assert ids(api.get("/bookings", window)) == [second.pk]
    assert api.get("/bookings", {"start_from": "tomorrow"}).status_code == 422


def test_the_list_is_paged_with_a_maximum_page_size(api_as, provider, bookings):
    api = api_as(provider)

    page = api.get("/bookings", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["pages"], len(page["items"])) == (3, 2, 1)
    assert api.get("/bookings", {"page_size": 101}).status_code == 422
    assert api.get("/bookings", {"page": 9}).json()["items"] == []


def test_another_user_sees_none_of_it(api_as, make_user, bookings):
    first = bookings[0]
    api = api_as(make_user("stranger"))

    assert api.get("/bookings").json()["count"] == 0
    assert api.get(f"/bookings/{first.pk}").status_code == 404
    assert api.post(f"/bookings/{first.pk}/cancel").status_code == 404
    start = {"start": "2026-11-25T12:00:00Z"}
    assert api.post(f"/bookings/{first.pk}/reschedule", start).status_code == 404
    assert Appointment.objects.get(pk=first.pk).is_active


def test_the_booker_moves_and_the_host_cancels(api_as, client_user, provider, bookings):
    first = bookings[0]

    moved = api_as(client_user).post(
        f"/bookings/{first.pk}/reschedule", {"start": "2026-11-25T13:00:00Z"}
    )
    assert moved.status_code == 200 and moved.json()["start"] == "2026-11-25T13:00:00Z"

    cancelled = api_as(provider).post(f"/bookings/{first.pk}/cancel")
    assert cancelled.json()["status"] == "cancelled"

    again = api_as(provider).post(f"/bookings/{first.pk}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "already_cancelled"


def test_a_move_to_a_taken_time_is_refused_with_alternatives(
    api_as, client_user, make_user, bookings
):
    first, _, _ = bookings
    services.appointment_book(
        user=make_user("third"), calendar=first.calendar, start=NOW.replace(hour=15) + timedelta(1)
    )

    response = api_as(client_user).post(
        f"/bookings/{first.pk}/reschedule", {"start": "2026-11-25T15:00:00Z"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "taken" and response.json()["alternatives"]


def test_teams_are_read_by_their_members_only(api_as, provider, other_user):
    team = Team.objects.create(name="Clinic", slug="clinic")
    Membership.objects.create(team=team, user=provider, role="owner")

    listed = api_as(provider).get("/teams").json()
    assert [t["slug"] for t in listed] == ["clinic"]
    assert listed[0]["members"] == [
        {"person": {"id": provider.pk, "username": "provider", "name": "provider"}, "role": "owner"}
    ]
    assert api_as(other_user).get("/teams").json() == []
    assert api_as(other_user).get(f"/teams/{team.pk}").status_code == 404


def test_event_type_text_from_the_api_is_cleaned_for_calendar_files(api_as, provider):
    """The API goes through the same services as the forms: a name or description holding a
    control character is stored as RFC 5545 allows it."""
    api = api_as(provider)

    created = api.post("/event-types", {"name": "Intro\x0b call\x01", "description": "a\x0bb\x7f"})
    assert created.status_code == 201, created.json()
    assert (created.json()["name"], created.json()["description"]) == ("Intro call", "a\nb")

    changed = api.patch(f"/event-types/{created.json()['id']}", {"name": "Long\r\ncall\x1b"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["name"] == "Long call"


def test_a_booking_request_is_listed_as_requested(api_as, provider, client_user, hours):
    hours.requires_confirmation = True
    hours.save()
    request = services.appointment_book(
        user=client_user, calendar=hours, start=(NOW + timedelta(days=1)).replace(hour=9)
    )

    response = api_as(provider).get("/bookings", {"status": "requested"})

    assert response.status_code == 200
    assert ids(response) == [request.pk]
    assert response.json()["items"][0]["status"] == "requested"
