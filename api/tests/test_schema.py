"""schemathesis against /api/v1/openapi.json: every operation, with a token and without, with
generated requests (valid and invalid). No answer may be a 5xx, and every answer must match the
document: its status, content type, headers and body schema. The number of requests is counted;
`test_schemathesis_sent_enough_requests` checks it (SCHEMATHESIS_REQUESTS, at least 2,000)."""

from __future__ import annotations

import os
from collections import Counter
from datetime import time, timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from api.tokens import token_create
from appointments.booking import services
from appointments.guests.services import Answer, question_add
from appointments.models import Guest

pytestmark = pytest.mark.django_db
TOTAL = int(os.environ.get("SCHEMATHESIS_REQUESTS", "2100"))
SENT: Counter = Counter()
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
ALL_DAY = {weekday: [(time(0), time(0))] for weekday in range(7)}
OPERATIONS = 25  # operations in the document; test_every_operation_is_fuzzed keeps it true


# The document needs no database: loaded once, through the WSGI application, as a client would.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def in_process(settings):
    """No rate limit in the way; and, as Django's test client does, requests must not close the
    test's database connection."""
    settings.API_RATE_TOKEN = settings.API_RATE_ADDRESS = "1000000/m"
    cache.clear()
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(make_user, provider, client_user, make_calendar):
    """A few objects with small ids, so that generated ids sometimes find something: the
    token's owner hosts an event type (with a question, on a schedule of theirs) with a booking,
    a guest's booking with an answer and a request, and has booked another event type."""
    calendar = make_calendar(provider, slug="fuzzed", hours=ALL_DAY)
    question = question_add(calendar=calendar, label="Why?")
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    services.appointment_book(user=client_user, calendar=calendar, start=start)
    guest = Guest(name="Grace", email="grace@example.com")
    answers = [Answer(question, "Check-up")]
    later = start + timedelta(hours=1)
    services.appointment_book(guest=guest, calendar=calendar, start=later, answers=answers)
    theirs = make_calendar(client_user, slug="theirs", hours=ALL_DAY, requires_confirmation=True)
    services.appointment_book(user=provider, calendar=theirs, start=start + timedelta(hours=3))
    calendar.requires_confirmation = True
    calendar.save()
    services.appointment_book(user=client_user, calendar=calendar, start=start + timedelta(hours=5))
    return token_create(user=provider, name="schemathesis")[1]


def examples_per_operation() -> int:
    return -(-TOTAL // (2 * OPERATIONS))


HYPOTHESIS = hypothesis_settings(
    max_examples=examples_per_operation(),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def call(case, headers: dict, who: str):
    """Send the case; `call_and_validate` raises on any failed check (a 5xx, an answer that the
    document does not describe), so this is where each case can fail."""
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    SENT[(case.operation.label, who)] += 1
    return response


@schema.parametrize()
@HYPOTHESIS
def test_with_a_token_every_answer_matches_the_document_and_none_is_a_5xx(case, world):
    response = call(case, {"Authorization": f"Bearer {world}"}, "token")
    assert response.status_code < 500


@schema.parametrize()
@HYPOTHESIS
def test_without_a_token_every_answer_matches_the_document_and_none_is_a_5xx(case, world):
    response = call(case, {}, "anonymous")
    assert response.status_code < 500


def test_every_operation_is_fuzzed(client):
    document = client.get("/api/v1/openapi.json").json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert operations == OPERATIONS, "update examples_per_operation() for the new operation count"


def test_schemathesis_sent_enough_requests():
    if not SENT:
        pytest.skip("the schemathesis tests did not run in this process")
    total = sum(SENT.values())
    print(f"schemathesis: {total} requests over {len(SENT)} operation and auth pairs")
    assert total >= TOTAL
    assert len(SENT) == 2 * OPERATIONS
