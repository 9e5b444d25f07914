"""/healthz: database, migrations, and how background work is doing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.settings.base import TASK_QUEUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    }


def task_row(queue: str, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="notifications.tasks.deliver_due_now",
        backend_name="default",
        queue_name=queue,
        run_after=fields.pop("run_after", timezone.now()),
        **fields,
    )


def test_a_healthy_site_with_busy_workers(client, database_queue):
    now = timezone.now()
    for queue in TASK_QUEUES:
        task_row(queue, status="SUCCESSFUL", finished_at=now - timedelta(seconds=20))

    report = client.get(reverse("healthz")).json()

    assert report["status"] == "ok" and report["database"] is True
    assert report["pending_migrations"] == 0
    assert 19 <= report["workers"]["queues"]["default"]["last_finished_age_seconds"] < 60
    assert report["workers"]["oldest_due_task_age_seconds"] == 0.0
    assert report["workers"]["ok"] is True


def test_a_stalled_queue_is_reported_but_the_web_server_stays_in(client, database_queue):
    old = timezone.now() - timedelta(minutes=20)
    task_row("calendars", status="SUCCESSFUL", finished_at=old)
    task_row("default", status="READY", run_after=old)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    workers = response.json()["workers"]
    assert workers["ok"] is False
    assert workers["oldest_due_task_age_seconds"] >= 20 * 60 - 5
    assert workers["queues"]["default"]["last_finished_age_seconds"] is None


def test_unapplied_migrations_take_the_server_out_of_the_load_balancer(client, monkeypatch):
    monkeypatch.setattr("config.health._pending_migrations", lambda: 2)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["pending_migrations"] == 2


def test_a_database_that_cannot_be_reached_takes_the_server_out(client, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.health._pending_migrations", unreachable)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["error"] == "OperationalError"
    assert response.json()["status"] == "failing"


def test_every_response_carries_a_request_id(client):
    given = client.get(reverse("book_index"), HTTP_X_REQUEST_ID="abc-123")
    made = client.get(reverse("book_index"), HTTP_X_REQUEST_ID="bad id with spaces")

    assert given["X-Request-ID"] == "abc-123"
    assert len(made["X-Request-ID"]) == 32


def test_a_nul_character_anywhere_is_a_plain_refusal(client, calendar):
    search = client.get(reverse("book_index"), {"q": "a\x00b"})
    form = client.post(reverse("login"), {"username": "\x00", "password": "x"})
    fragment = client.get(reverse("get_time_slots"), {"calendar": "\x00"})

    assert search.status_code == form.status_code == fragment.status_code == 400
