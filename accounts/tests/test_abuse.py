"""Logins are throttled (django-axes), password resets and sign-ups rate limited, and neither
the reset nor the registration tells whether an address has an account."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db
RIGHT = "pw-12345-long"
CONFIRM_SUBJECT = "Confirm your e-mail address for Slotwise"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def log_in(client, password: str, address: str = "203.0.113.7"):
    return client.post(
        reverse("login"), {"username": "client", "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_the_username_at_that_address_with_the_wait(client, client_user):
    answers = [log_in(client, "wrong").status_code for _ in range(5)]

    locked = log_in(client, RIGHT)

    assert answers == [200] * 4 + [429]  # the fifth wrong one locks
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.text
    assert "0:15:00" in locked.text  # the wait, hours:minutes:seconds
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_can_still_log_in(client, client_user):
    for _ in range(5):
        log_in(client, "wrong")

    assert log_in(client, RIGHT, address="198.51.100.9").status_code == 302


def test_staff_unlock_in_the_admin(client, admin_client, client_user):
    for _ in range(5):
        log_in(client, "wrong")
    attempt = AccessAttempt.objects.get(username="client")

    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert changelist.status_code == 200
    assert log_in(client, RIGHT).status_code == 302


def test_password_resets_are_rate_limited_per_address(client):
    answers = [
        client.post(reverse("password_reset"), {"email": f"x{n}@example.com"}).status_code
        for n in range(6)
    ]

    assert answers == [302] * 5 + [429]


def test_sign_ups_are_rate_limited_per_address(client):
    answers = []
    for n in range(11):
        client.logout()
        data = {"username": f"new{n}", "email": f"n{n}@example.com"}
        data |= {"password1": "a-long-pass-2026", "password2": "a-long-pass-2026"}
        answers.append(client.post(reverse("register"), data).status_code)

    assert answers == [302] * 10 + [429]


def test_a_reset_email_goes_through_the_outbox_so_smtp_down_loses_nothing(client, client_user):
    client.post(reverse("password_reset"), {"email": "client@example.com"})

    email = OutboundEmail.objects.get()
    assert email.kind == "password_reset"
    assert email.recipient == "client@example.com"
    assert email.state == "queued"  # delivered (and retried) by the worker


def without_csrf(text: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(
    client, client_user, queue_only
):
    def ask(address):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("password_reset"), {"email": address}, follow=True)
        return response, len(queries)

    known, known_queries = ask("client@example.com")
    unknown, unknown_queries = ask("nobody@example.com")

    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.text) == without_csrf(unknown.text)
    assert known_queries == unknown_queries  # neither looks the address up in the request
    assert len(queue_only.results) == 2


def register(client, email: str):
    data = {"username": "newbie", "email": email}
    data |= {"password1": "a-long-pass-2026", "password2": "a-long-pass-2026"}
    return client.post(reverse("register"), data)


def test_registering_with_a_used_address_looks_the_same_and_tells_the_owner(client, client_user):
    response = register(client, "CLIENT@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert get_user_model().objects.filter(email="client@example.com").count() == 2
    notice = OutboundEmail.objects.exclude(subject=CONFIRM_SUBJECT).get()
    assert notice.recipient == "client@example.com"
    assert notice.kind == "account"
    assert "“newbie”" in notice.body_text and "“client”" in notice.body_text


def test_registering_with_a_new_address_sends_no_notice(client, client_user):
    assert register(client, "fresh@example.com").status_code == 302
    # Only the link that confirms the new address (accounts.verification).
    assert list(OutboundEmail.objects.values_list("subject", flat=True)) == [CONFIRM_SUBJECT]
