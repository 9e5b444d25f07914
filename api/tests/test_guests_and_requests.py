"""Guest bookings with answers through the API, host confirmation (accept, decline), cancel with
a reason, and an event type's questions: for the owner, another token and anonymous clients."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from appointments.booking import services
from appointments.guests.services import question_add
from appointments.models import Appointment, BookingAnswer
from conftest import NOW
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WEEKDAYS = {day: [(time(9), time(17))] for day in range(5)}
TOMORROW_10 = "2026-11-25T10:00:00Z"


@pytest.fixture
def hours(provider, make_calendar):
    return make_calendar(provider, slug="hours", hours=WEEKDAYS)


@pytest.fixture
def questions(hours):
    reason = question_add(calendar=hours, label="Reason for the visit", required=True)
    topics = question_add(
        calendar=hours, label="Topics", kind="multiple_choice", choices=["Knee", "Back", "Neck"]
    )
    first = question_add(calendar=hours, label="First visit?", kind="checkbox")
    return reason, topics, first


def guest_booking(api, calendar, questions, **extra):
    reason, topics, first = questions
    body = {
        "event_type_id": calendar.pk,
        "start": TOMORROW_10,
        "guest": {"name": "Grace Guest", "email": "Grace@Example.com", "phone": "+44 20 7946 0958"},
        "answers": [
            {"question_id": reason.pk, "value": "Sore knee"},
            {"question_id": topics.pk, "value": ["Knee", "Back"]},
            {"question_id": first.pk, "value": True},
        ],
        **extra,
    }
    return api.post("/bookings", body)


def test_a_guest_books_without_a_token_with_answers_and_gets_a_manage_link(
    anonymous_api, client, provider, hours, questions
):
    response = guest_booking(anonymous_api, hours, questions)

    assert response.status_code == 201, response.json()
    booking = response.json()
    assert booking["booker"] == {
        "id": None,
        "username": None,
        "name": "Grace Guest",
        "email": "grace@example.com",
        "phone": "+44 20 7946 0958",
        "time_zone": "Europe/London",
    }
    assert [(a["label"], a["value"]) for a in booking["answers"]] == [
        ("Reason for the visit", "Sore knee"),
        ("Topics", "Knee, Back"),
        ("First visit?", "Yes"),
    ]
    # The private link works on the web, as the one in the e-mail does.
    page = client.get(booking["manage_url"].removeprefix("http://testserver"))
    assert page.status_code == 200 and "Sore knee" in page.content.decode()
    emails = OutboundEmail.objects.filter(appointment_id=booking["id"], kind="booked")
    assert set(emails.values_list("recipient", flat=True)) == {
        "grace@example.com",
        "provider@example.com",
    }


def test_the_host_reads_the_guest_booking_with_its_contact_and_answers(
    api_as, anonymous_api, provider, hours, questions
):
    made = guest_booking(anonymous_api, hours, questions).json()

    listed = api_as(provider).get("/bookings").json()["items"]
    read = api_as(provider).get(f"/bookings/{made['id']}").json()

    assert [item["id"] for item in listed] == [made["id"]]
    assert read["booker"]["email"] == "grace@example.com"
    assert len(read["answers"]) == 3
    assert "manage_url" not in read  # shown once, at booking


def test_a_web_guest_booking_shows_in_the_api(api_as, provider, hours, questions, client):
    reason = questions[0]
    response = client.post(
        "/book/hours/",
        {
            "slot": "start:2026-11-25T11:00:00Z",
            "name": "Web Guest",
            "email": "web@example.com",
            f"q{reason.pk}": "Check-up",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]

    items = api_as(provider).get("/bookings").json()["items"]

    assert [(i["booker"]["name"], i["answers"][0]["value"]) for i in items] == [
        ("Web Guest", "Check-up")
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"guest": {"name": "G", "email": "not-an-address"}}, "guest.email"),
        ({"guest": {"name": "G", "email": "g@example.com", "phone": "call me"}}, "guest.phone"),
        ({"guest": {"name": "G", "email": "g@example.com", "time_zone": "Mars/Base"}}, None),
        ({"answers": []}, "answers (Reason for the visit)"),
        ({"answers": [{"question_id": 999_999, "value": "x"}]}, "answers.0.question_id"),
        ({"answers": "text"}, "answers"),
    ],
)
def test_bad_guest_details_or_answers_are_a_422_and_book_nothing(
    anonymous_api, hours, questions, change, field
):
    response = guest_booking(anonymous_api, hours, questions, **change)

    assert response.status_code == 422, response.json()
    if field is not None:
        assert field in {error["field"] for error in response.json()["errors"]}
    assert not Appointment.objects.exists() and not BookingAnswer.objects.exists()


def test_a_wrong_choice_is_refused_next_to_its_answer(anonymous_api, hours, questions):
    reason, topics, _ = questions
    answers = [
        {"question_id": reason.pk, "value": "x"},
        {"question_id": topics.pk, "value": ["Elbow"]},
    ]

    response = guest_booking(anonymous_api, hours, questions, answers=answers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers.1.value"
    assert not Appointment.objects.exists()


def test_a_token_owner_books_for_themselves_with_answers(api_as, client_user, hours, questions):
    reason = questions[0]
    response = api_as(client_user).post(
        "/bookings",
        {
            "event_type_id": hours.pk,
            "start": TOMORROW_10,
            "answers": [{"question_id": reason.pk, "value": "Follow-up"}],
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["booker"]["username"] == "client"
    assert response.json()["manage_url"] is None
    assert response.json()["answers"][0]["value"] == "Follow-up"


def test_guest_bookings_are_rate_limited_per_address(anonymous_api, hours, settings):
    settings.RATE_GUEST_BOOKING_ADDRESS = "2/h"
    answers = []
    for hour in (10, 11, 12):
        body = {
            "event_type_id": hours.pk,
            "start": f"2026-11-25T{hour}:00:00Z",
            "guest": {"name": "G", "email": f"g{hour}@example.com"},
        }
        answers.append(anonymous_api.post("/bookings", body))

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert Appointment.objects.count() == 2


def test_cancel_with_a_reason_tells_the_host(api_as, client_user, provider, hours):
    booked = services.appointment_book(
        user=client_user, calendar=hours, start=NOW.replace(hour=10) + timedelta(days=1)
    )

    response = api_as(client_user).post(
        f"/bookings/{booked.pk}/cancel", {"reason": "Feeling better"}
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == (
        "cancelled",
        "Feeling better",
    )
    email = OutboundEmail.objects.get(
        appointment=booked, kind="cancelled", recipient=provider.email
    )
    assert "Feeling better" in email.body_text


def test_cancel_without_a_body_still_works(api_as, client_user, hours):
    booked = services.appointment_book(
        user=client_user, calendar=hours, start=NOW.replace(hour=10) + timedelta(days=1)
    )

    assert api_as(client_user).post(f"/bookings/{booked.pk}/cancel").json()["status"] == "cancelled"


@pytest.fixture
def request_booking(client_user, hours):
    hours.requires_confirmation = True
    hours.save()
    return services.appointment_book(
        user=client_user, calendar=hours, start=NOW.replace(hour=10) + timedelta(days=1)
    )


def test_the_host_accepts_a_request(api_as, provider, request_booking):
    response = api_as(provider).post(f"/bookings/{request_booking.pk}/accept")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    again = api_as(provider).post(f"/bookings/{request_booking.pk}/accept")
    assert (again.status_code, again.json()["code"]) == (409, "not_requested")


def test_the_host_declines_a_request_with_a_reason(api_as, provider, request_booking):
    response = api_as(provider).post(
        f"/bookings/{request_booking.pk}/decline", {"reason": "Fully booked that week"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "Fully booked that week"


def test_only_a_host_answers_a_request(
    api_as, anonymous_api, client_user, other_user, request_booking
):
    path = f"/bookings/{request_booking.pk}"

    booker = api_as(client_user).post(f"{path}/accept")
    stranger = api_as(other_user).post(f"{path}/decline")
    nobody = anonymous_api.post(f"{path}/accept")

    assert (booker.status_code, booker.json()["code"]) == (404, "forbidden")
    assert stranger.status_code == 404
    assert nobody.status_code == 401
    request_booking.refresh_from_db()
    assert request_booking.status == Appointment.Status.REQUESTED


def test_the_owner_adds_and_removes_questions(api_as, anonymous_api, provider, other_user, hours):
    api = api_as(provider)

    added = api.post(
        f"/event-types/{hours.pk}/questions",
        {"label": "Insurance", "kind": "single_choice", "choices": ["Public", "Private"]},
    )

    assert added.status_code == 201, added.json()
    question = added.json()
    assert anonymous_api.get(f"/event-types/{hours.pk}").json()["questions"] == [question]
    assert (
        api_as(other_user).delete(f"/event-types/{hours.pk}/questions/{question['id']}").status_code
        == 404
    )
    assert (
        anonymous_api.delete(f"/event-types/{hours.pk}/questions/{question['id']}").status_code
        == 401
    )
    assert api.delete(f"/event-types/{hours.pk}/questions/{question['id']}").status_code == 204
    assert anonymous_api.get(f"/event-types/{hours.pk}").json()["questions"] == []


def test_a_choice_question_needs_its_options(api_as, provider, hours):
    response = api_as(provider).post(
        f"/event-types/{hours.pk}/questions", {"label": "Pick", "kind": "single_choice"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "choices"
    assert not hours.questions.exists()
