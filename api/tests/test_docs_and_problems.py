"""The API's documents and its one error shape (RFC 9457 problem details)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from api.problems import CONTENT_TYPE
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WEEKDAYS = {day: [(time(9), time(17))] for day in range(5)}


def test_the_openapi_document_lists_every_operation_with_problem_responses(client):
    document = client.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/me", "/api/v1/bookings", "/api/v1/event-types/{event_type_id}/slots"} <= set(
        document["paths"]
    )
    refusals = document["paths"]["/api/v1/bookings"]["post"]["responses"]
    assert set(refusals["409"]["content"]) == {CONTENT_TYPE}
    assert set(refusals["429"]["content"]) == {CONTENT_TYPE}


def test_the_docs_page_is_served_from_the_package_under_the_sites_script_policy(client):
    response = client.get("/api/v1/docs")

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert (
        directives["script-src"] == "'self'"
    )  # only its own files run (in any order of directives)
    assert finders.find("ninja/swagger-ui-init.js")  # collected from the installed package


def test_an_invalid_body_is_a_problem_with_field_errors(api_as, client_user):
    response = api_as(client_user).post("/bookings", {"event_type_id": "seven", "extra": 1})

    assert response.status_code == 422
    assert response["Content-Type"] == CONTENT_TYPE
    problem = response.json()
    assert problem["type"] == "about:blank"
    assert problem["title"] == "Unprocessable Entity"
    assert problem["status"] == 422
    assert {error["field"] for error in problem["errors"]} == {"event_type_id", "extra"}


def test_a_body_that_is_not_json_is_a_400_problem(api_as, client_user):
    api = api_as(client_user)
    response = api.client.post(
        "/api/v1/bookings",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )

    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_refused_booking_names_the_rule_and_offers_the_nearest_free_times(
    api_as, client_user, other_user, provider, make_calendar
):
    calendar = make_calendar(provider, slug="hours", hours=WEEKDAYS)
    start = (NOW + timedelta(days=1)).replace(hour=10)  # Wednesday 10:00 London = UTC
    first = api_as(client_user).post("/bookings", {"event_type_id": calendar.pk, "start": start})
    assert first.status_code == 201

    response = api_as(other_user).post("/bookings", {"event_type_id": calendar.pk, "start": start})

    assert response.status_code == 409
    assert response["Content-Type"] == CONTENT_TYPE
    problem = response.json()
    assert problem["code"] == "taken"
    assert problem["type"] == "urn:slotwise:problem:taken"
    starts = [slot["start"] for slot in problem["alternatives"]]
    assert len(starts) == 3
    assert {"2026-11-25T09:30:00Z", "2026-11-25T10:30:00Z"} <= set(starts)
    assert "2026-11-25T10:00:00Z" not in starts


@pytest.mark.parametrize(
    ("hour", "code"),
    [(3, "outside_hours"), (9, "notice")],
)
def test_other_refusals_are_422_problems_with_their_rule_code(
    api_as, client_user, provider, make_calendar, hour, code
):
    calendar = make_calendar(
        provider, slug="rules", hours={1: [(time(9), time(17))]}, minimum_notice_minutes=120
    )
    start = NOW.replace(hour=hour) + (timedelta(days=7) if code != "notice" else timedelta(0))
    if code == "notice":
        start = NOW + timedelta(minutes=30)

    response = api_as(client_user).post("/bookings", {"event_type_id": calendar.pk, "start": start})

    assert response.status_code == 422
    assert response.json()["code"] == code


def test_an_unknown_operation_path_is_not_an_api_page():
    assert Client().get("/api/v1/no-such-thing").status_code == 404
