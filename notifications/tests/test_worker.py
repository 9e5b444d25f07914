"""The real worker process (`manage.py db_worker`, the database task backend) delivers reminders
on time and exactly once: alone, two at a time, after being killed mid-batch, and after the SMTP
server was down. The test database and the SMTP server are shared with the subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appointments.booking import services
from appointments.provider import services as provider_services
from config.settings.base import TASK_QUEUES
from notifications.models import OutboundEmail, Reminder
from notifications.scheduler import scheduler_ensure

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(__file__).resolve().parents[2]


def database_env() -> dict[str, str]:
    """Point a subprocess at the test database (the same file or PostgreSQL database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    }


class Workers:
    def __init__(self, smtp_port: int) -> None:
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            **database_env(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "NOTIFY_TICK_SECONDS": "1",
            "NOTIFY_CLAIM_TIMEOUT_SECONDS": "2",
            "NOTIFY_RETRY_BASE_SECONDS": "1",
        }

    def start(self, *, batch: bool = False, queue: str = "default") -> subprocess.Popen:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        command += ["--interval", "0.2", "--queue-name", queue, *(["--batch"] if batch else [])]
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def finish(self, process: subprocess.Popen, timeout: float = 30) -> str:
        output, _ = process.communicate(timeout=timeout)
        assert process.returncode == 0, output.decode()
        return output.decode()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.communicate(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.communicate()


@pytest.fixture
def workers(smtp_down):
    pool = Workers(smtp_down.port)
    yield pool
    pool.stop_all()


@pytest.fixture
def due_reminders(provider, make_user, make_calendar, settings):
    """Ten appointments of ten clients whose reminder fell due 30 seconds ago, and one more
    appointment whose reminder is not due yet. E-mails go nowhere while they are booked."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    calendar = make_calendar(provider, name="Clinic", slug="clinic", reminder_offsets=[60])
    now = timezone.now()
    for index in range(11):
        start = now + timedelta(hours=2, minutes=30 * index)
        slot = provider_services.time_slot_create(
            calendar=calendar, start=start, end=start + timedelta(minutes=30)
        )
        services.appointment_book(user=make_user(f"client{index}"), time_slot=slot)
    due = Reminder.objects.order_by("remind_at")[:10]
    Reminder.objects.filter(pk__in=[r.pk for r in due]).update(
        remind_at=now - timedelta(seconds=30)
    )
    return list(Reminder.objects.filter(remind_at__lte=now))


def start_the_scheduler(settings) -> None:
    """What `migrate` does on a real install: start the delivery chain in the database queue."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    }
    assert scheduler_ensure() is True


def reminder_message_ids(inbox) -> Counter:
    return Counter(
        str(m["Message-ID"]) for m in inbox.messages if m["X-Slotwise-Kind"] == "reminder"
    )


def assert_each_reminder_email_arrived_once(inbox, expected: int) -> None:
    received = reminder_message_ids(inbox)
    queued = set(OutboundEmail.objects.filter(kind="reminder").values_list("message_id", flat=True))
    assert len(queued) == expected
    assert set(received) == queued
    assert set(received.values()) == {1}, received.most_common(3)
    assert set(OutboundEmail.objects.filter(kind="reminder").values_list("state", flat=True)) == {
        "sent"
    }


def test_a_worker_delivers_reminders_due_in_the_past_minute_once(
    due_reminders, workers, smtp_down, settings
):
    smtp_down.start()
    start_the_scheduler(settings)

    workers.finish(workers.start(batch=True))
    workers.finish(workers.start(batch=True))  # a second pass finds nothing left to send

    assert len(due_reminders) == 10
    assert_each_reminder_email_arrived_once(smtp_down.inbox, expected=20)
    assert Reminder.objects.filter(state="pending").count() == 1  # the one not yet due


def test_two_workers_started_together_deliver_each_reminder_once(
    due_reminders, workers, smtp_down, settings
):
    smtp_down.inbox.mail_delay = 0.02  # long enough for the two to overlap
    smtp_down.start()
    start_the_scheduler(settings)
    from notifications.tasks import deliver_due_now

    deliver_due_now.enqueue()  # two delivery passes queued, one for each worker
    pair = [workers.start(batch=True), workers.start(batch=True)]
    for process in pair:
        workers.finish(process)

    assert_each_reminder_email_arrived_once(smtp_down.inbox, expected=20)
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_due_now").count() >= 2


def test_a_worker_killed_mid_batch_and_restarted_delivers_the_rest_none_twice(
    due_reminders, workers, smtp_down, settings
):
    # Each message waits 0.3 s at MAIL FROM, before it exists for the server; the kill lands in
    # the middle of such a wait, not in the instant between the server's "250" and the UPDATE
    # that marks the message sent (the one at-least-once window, see notifications/outbox.py).
    # One sender thread, so no other connection is in that instant either.
    smtp_down.inbox.mail_delay = 0.3
    smtp_down.start()
    start_the_scheduler(settings)
    workers.env["NOTIFY_SENDER_THREADS"] = "1"

    first = workers.start()
    smtp_down.inbox.wait_for(5, timeout=30)
    time.sleep(0.15)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    delivered_before_restart = len(reminder_message_ids(smtp_down.inbox))
    workers.start()
    smtp_down.inbox.wait_for(20, timeout=40)
    time.sleep(1.5)  # long enough for a duplicate, if there were one, to arrive

    assert 5 <= delivered_before_restart < 20
    assert_each_reminder_email_arrived_once(smtp_down.inbox, expected=20)


def test_smtp_down_then_up_every_message_arrives_once(due_reminders, workers, smtp_down, settings):
    start_the_scheduler(settings)
    workers.start()
    deadline = time.monotonic() + 20
    while not OutboundEmail.objects.filter(kind="reminder", attempts__gte=1).exists():
        assert time.monotonic() < deadline, "the worker never tried to send"
        time.sleep(0.1)
    assert not OutboundEmail.objects.filter(state="sent", kind="reminder").exists()
    tried = OutboundEmail.objects.filter(attempts__gte=1).first()
    assert tried.state == "queued" and "ConnectionRefusedError" in tried.last_error

    smtp_down.start()
    smtp_down.inbox.wait_for(20, timeout=40)
    time.sleep(1.5)

    assert_each_reminder_email_arrived_once(smtp_down.inbox, expected=20)


def rq_available() -> bool:
    import importlib.util

    return (
        bool(os.environ.get("REDIS_URL"))
        and importlib.util.find_spec("django_tasks_rq") is not None
    )


@pytest.mark.skipif(
    not rq_available(), reason='needs REDIS_URL and the rq extra (pip install -e ".[rq]")'
)
def test_an_rq_worker_on_redis_delivers_due_reminders_once(due_reminders, workers, smtp_down):
    import redis

    # A Redis database of its own, so no other test's jobs share the queue.
    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/13"
    redis.Redis.from_url(url).flushdb()
    env = {**workers.env, "TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": url}
    smtp_down.start()
    manage = [sys.executable, "manage.py"]
    start = "from notifications.scheduler import scheduler_ensure; assert scheduler_ensure()"
    subprocess.run([*manage, "shell", "-c", start], cwd=BASE_DIR, env=env, check=True)
    worker = [
        "rqworker",
        "default",
        "--burst",
        "--with-scheduler",
        "--job-class",
        "django_tasks_rq.Job",
    ]
    subprocess.run([*manage, *worker], cwd=BASE_DIR, env=env, check=True, capture_output=True)

    assert_each_reminder_email_arrived_once(smtp_down.inbox, expected=20)
    redis.Redis.from_url(url).flushdb()
