"""SMTP down or refusing: messages stay in the outbox, are retried with backoff, arrive once when
the server is back, and after the last attempt are marked failed with the error, in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.booking import services
from conftest import NOW
from notifications.models import OutboundEmail
from notifications.outbox import backoff
from notifications.services import deliver_due

pytestmark = pytest.mark.django_db
State = OutboundEmail.State


@pytest.fixture
def booked_while_smtp_is_down(
    client_user, slot, frozen_now, django_capture_on_commit_callbacks, smtp_down
):
    with django_capture_on_commit_callbacks(execute=True):
        return services.appointment_book(user=client_user, time_slot=slot)


class RefusingInbox:
    """A server that accepts the connection but refuses every recipient."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox here"


def test_backoff_doubles_from_one_minute_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == timedelta(hours=6)


def test_a_message_that_cannot_be_sent_is_kept_with_its_error_and_retried_later(
    booked_while_smtp_is_down,
):
    rows = OutboundEmail.objects.filter(appointment=booked_while_smtp_is_down)
    first = rows.order_by("pk").first()

    assert rows.count() == 2
    assert (first.state, first.attempts) == (State.QUEUED, 1)
    assert "ConnectionRefusedError" in first.last_error
    assert first.next_attempt_at == NOW + timedelta(minutes=1)


def test_when_smtp_comes_back_every_message_arrives_exactly_once(
    booked_while_smtp_is_down, smtp_down
):
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert deliver_due()["sent"] == 0  # not due again yet
    smtp_down.start()
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        deliver_due()
        deliver_due()

    received = smtp_down.inbox.wait_for(2)
    assert sorted(str(m["To"]) for m in received) == ["client@example.com", "provider@example.com"]
    assert len({str(m["Message-ID"]) for m in received}) == 2
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {State.SENT}


def test_after_the_last_attempt_a_message_is_marked_failed_and_left_alone(
    booked_while_smtp_is_down, settings
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    # While the server is down a batch stops at its first connection failure, so each pass
    # tries one message; ten passes, an hour apart, are more than the six attempts needed.
    for hours in range(1, 11):
        with time_machine.travel(NOW + timedelta(hours=hours), tick=False):
            deliver_due()
    with time_machine.travel(NOW + timedelta(hours=22), tick=False):
        assert deliver_due() == {"reminders": 0, "sent": 0, "failed": 0}

    assert list(OutboundEmail.objects.values_list("state", "attempts")) == [(State.FAILED, 3)] * 2
    assert all(
        "ConnectionRefusedError" in e
        for e in OutboundEmail.objects.values_list("last_error", flat=True)
    )


def test_a_refused_recipient_is_retried_not_dropped(booked_while_smtp_is_down, smtp_down):
    smtp_down.inbox = RefusingInbox()
    smtp_down.start()
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        report = deliver_due()

    assert report["failed"] == 2  # a refused recipient does not stop the batch
    email = OutboundEmail.objects.order_by("pk").first()
    assert (email.state, email.attempts) == (State.QUEUED, 2)
    assert "550" in email.last_error and "No such mailbox" in email.last_error


def test_the_admin_outbox_lists_state_attempts_and_error_and_retries_now(
    booked_while_smtp_is_down, smtp_down, admin_client, django_capture_on_commit_callbacks
):
    OutboundEmail.objects.update(state=State.FAILED)
    url = reverse("admin:notifications_outboundemail_changelist")
    page = admin_client.get(url).content.decode()
    for text in ("client@example.com", "Booked: Consultations", "Failed", "ConnectionRefusedError"):
        assert text in page

    smtp_down.start()
    ids = list(OutboundEmail.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "retry_now", "_selected_action": ids})

    assert len(smtp_down.inbox.wait_for(2)) == 2
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {State.SENT}


def test_only_staff_can_see_the_outbox(client, client_user, booked_while_smtp_is_down):
    client.force_login(client_user)
    response = client.get(reverse("admin:notifications_outboundemail_changelist"))
    assert response.status_code == 302
