"""Idempotency-Key on POST /bookings, and API booking races (the person-level guarantee)."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from api.models import IdempotencyKey
from api.tokens import token_create
from appointments.models import Appointment, Occupation
from conftest import NOW

ALL_DAY = {weekday: [(time(0), time(0))] for weekday in range(7)}


@pytest.fixture
def hours(provider, make_calendar):
    return make_calendar(
        provider, slug="hours", hours={1: [(time(9), time(17))], 2: [(time(9), time(17))]}
    )


def body(calendar, hour=10, **extra) -> dict:
    return {"event_type_id": calendar.pk, "start": f"2026-11-25T{hour:02}:00:00Z", **extra}


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now")
def test_the_same_key_and_body_return_the_first_result_and_book_once(api_as, client_user, hours):
    api = api_as(client_user)

    first = api.post("/bookings", body(hours), **{"Idempotency-Key": "k1"})
    second = api.post("/bookings", body(hours), **{"Idempotency-Key": "k1"})

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now")
def test_the_same_key_with_another_body_is_a_422(api_as, client_user, hours):
    api = api_as(client_user)
    api.post("/bookings", body(hours), **{"Idempotency-Key": "k1"})

    response = api.post("/bookings", body(hours, hour=11), **{"Idempotency-Key": "k1"})

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now")
def test_a_refusal_is_a_first_result_too(api_as, client_user, hours):
    api = api_as(client_user)

    first = api.post("/bookings", body(hours, hour=3), **{"Idempotency-Key": "night"})
    again = api.post("/bookings", body(hours, hour=3), **{"Idempotency-Key": "night"})

    assert first.status_code == again.status_code == 422
    assert again.json()["code"] == "outside_hours"


@pytest.mark.django_db
def test_keys_live_a_day_and_belong_to_one_user(api_as, client_user, other_user, hours):
    with time_machine.travel(NOW, tick=False):
        api_as(client_user).post("/bookings", body(hours), **{"Idempotency-Key": "k1"})
        other = api_as(other_user).post("/bookings", body(hours, 11), **{"Idempotency-Key": "k1"})
        assert other.status_code == 201  # another user's key of the same name is another key
    with time_machine.travel(NOW + timedelta(hours=24, seconds=1), tick=False):
        later = api_as(client_user).post("/bookings", body(hours, 12), **{"Idempotency-Key": "k1"})
    assert later.status_code == 201
    assert Appointment.objects.count() == 3
    assert IdempotencyKey.objects.filter(user=client_user).count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now")
def test_a_key_that_is_too_long_is_refused(api_as, client_user, hours):
    response = api_as(client_user).post("/bookings", body(hours), **{"Idempotency-Key": "k" * 256})

    assert response.status_code == 422
    assert not Appointment.objects.exists()


def race(requests) -> list:
    """Send each request from its own thread (own connection), released together."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def run(index, send) -> None:
        try:
            barrier.wait()
            answers[index] = send()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def post(token: str | None, payload: dict, key: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return lambda: Client().post(
        "/api/v1/bookings", payload, content_type="application/json", **headers
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_twice_at_once_with_one_key_books_once(
    client_user, provider, make_calendar
):
    calendar = make_calendar(provider, slug="race", hours=ALL_DAY)
    token = token_create(user=client_user, name="race")[1]
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    payload = {"event_type_id": calendar.pk, "start": start.isoformat()}

    answers = race([post(token, payload, key="same") for _ in range(2)])

    assert Appointment.objects.filter(user=client_user).count() == 1
    statuses = sorted(answer.status_code for answer in answers)
    # The second waits for the first and returns its result; 409 only if it came in while the
    # first was still running on a database that lets it (never a second booking).
    assert statuses in ([201, 201], [201, 409]), [a.content for a in answers]
    created = [answer.json() for answer in answers if answer.status_code == 201]
    assert all(item["id"] == created[0]["id"] for item in created)


@pytest.mark.django_db(transaction=True)
def test_an_api_booking_race_keeps_one_person_per_time_and_every_loser_gets_taken(
    make_user, provider, make_calendar
):
    calendar = make_calendar(provider, slug="race", hours=ALL_DAY)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    payload = {"event_type_id": calendar.pk, "start": start.isoformat()}
    tokens = [token_create(user=make_user(f"racer{i}"), name="race")[1] for i in range(12)]

    answers = race([post(token, payload) for token in tokens])

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * 11, [a.content for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"taken"}
    assert Occupation.objects.filter(person=provider).count() == 1


def guest(number: int) -> dict:
    return {"name": f"Guest {number}", "email": f"guest{number}@example.com"}


@pytest.mark.django_db(transaction=True)
def test_guests_racing_without_a_token_keep_the_guarantee(provider, make_calendar):
    calendar = make_calendar(provider, slug="race", hours=ALL_DAY)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    payloads = [
        {"event_type_id": calendar.pk, "start": start.isoformat(), "guest": guest(i)}
        for i in range(10)
    ]

    answers = race([post(None, payload) for payload in payloads])

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * 9, [a.content for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"taken"}
    assert Occupation.objects.filter(person=provider).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_guest_sending_one_request_twice_at_once_with_one_key_books_once(provider, make_calendar):
    calendar = make_calendar(provider, slug="race", hours=ALL_DAY)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    payload = {"event_type_id": calendar.pk, "start": start.isoformat(), "guest": guest(1)}

    answers = race([post(None, payload, key="guest-key") for _ in range(2)])

    assert Appointment.objects.filter(contact_email="guest1@example.com").count() == 1
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses in ([201, 201], [201, 409]), [a.content for a in answers]
