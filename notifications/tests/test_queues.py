"""Calendar work has its own queue and worker: a provider's calendar server that answers slowly
holds the calendar worker, never the e-mails. Real workers (`manage.py db_worker`, one per
queue, as `make run` starts them), a real SMTP server and a server that sends its headers a
byte at a time."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appointments.booking import services
from appointments.provider import services as provider_services
from calendars.models import BusySource
from calendars.tasks import sync_due_sources
from calendars.tests.servers import run_trickle_server, slow_headers
from config.settings.base import TASK_QUEUES
from notifications.tests.test_worker import Workers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    }


@pytest.fixture
def workers(smtp_down, smtp):
    pool = Workers(smtp_port=smtp_down.port)
    pool.env["CALENDAR_FETCH_SECONDS"] = "60"  # the slow server may hold its worker that long
    yield pool
    pool.stop_all()


def wait_until(condition, timeout: float = 20) -> bool:
    ends = time.monotonic() + timeout
    while not condition() and time.monotonic() < ends:
        time.sleep(0.05)
    return condition()


def test_a_booking_email_is_sent_while_a_calendar_sync_waits_on_a_slow_server(
    database_queue, workers, smtp, calendar, client_user
):
    with run_trickle_server(*slow_headers(), every=0.5) as slow:
        BusySource.objects.create(user=calendar.provider, kind="ics", name="Slow", url=slow.url)
        sync_due_sources.enqueue()  # queued first: before, the only worker took it first
        start = timezone.now() + timedelta(days=1)
        slot = provider_services.time_slot_create(
            calendar=calendar, start=start, end=start + timedelta(minutes=30)
        )
        services.appointment_book(user=client_user, time_slot=slot)
        workers.start(queue="calendars")
        assert wait_until(lambda: slow.connections == 1), "the calendar worker never synced"
        workers.start(queue="default")

        received = smtp.wait_for(2, timeout=30)
        still_syncing = slow.connections == 1 and not slow.hung_up

    assert {str(message["X-Slotwise-Kind"]) for message in received} == {"booked"}
    assert len(received) == 2
    assert still_syncing  # the e-mails did not wait for the sync
    syncs = DBTaskResult.objects.filter(task_path__endswith="sync_due_sources")
    assert set(syncs.values_list("queue_name", flat=True)) == {"calendars"}
