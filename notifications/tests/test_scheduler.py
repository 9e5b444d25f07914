"""The periodic delivery chain: one chain at a time, each tick queues the next before working,
a superseded or lost chain is replaced, and the immediate backend (no deferral) is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django_tasks import default_task_backend

from config.settings.base import TASK_QUEUES
from conftest import NOW
from notifications import scheduler
from notifications.models import SchedulerChain
from notifications.tasks import scheduler_tick

pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_backend(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def queued_ticks(backend) -> list[tuple]:
    return [
        (*result.args, result.task.run_after)
        for result in backend.results
        if result.task.name == scheduler_tick.name
    ]


def test_the_immediate_backend_starts_no_chain(frozen_now):
    assert scheduler.scheduler_ensure() is False
    assert not SchedulerChain.objects.exists()


def test_ensuring_twice_starts_exactly_one_chain(
    dummy_backend, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = [scheduler.scheduler_ensure(), scheduler.scheduler_ensure()]

    chain = SchedulerChain.objects.get()
    assert started == [True, False]
    assert queued_ticks(dummy_backend) == [(chain.token, 0, None)]


def test_a_tick_queues_the_next_one_tick_seconds_later_and_runs_only_once(
    dummy_backend, frozen_now, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_TICK_SECONDS = 30
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.scheduler_ensure()
    token = SchedulerChain.objects.get().token
    dummy_backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.scheduler_continue(token, 0, now=NOW) is True
        assert scheduler.scheduler_continue(token, 0, now=NOW) is False  # a repeated tick

    assert queued_ticks(dummy_backend) == [(token, 1, NOW + timedelta(seconds=30))]
    assert SchedulerChain.objects.get().next_tick_at == NOW + timedelta(seconds=30)


def test_a_lost_chain_is_replaced_and_its_late_tick_stops(
    dummy_backend, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.scheduler_ensure()
    old_token = SchedulerChain.objects.get().token
    later = NOW + scheduler.tick_interval() + scheduler.chain_grace() + timedelta(seconds=1)

    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert scheduler.scheduler_ensure() is True
        assert scheduler.scheduler_continue(old_token, 0, now=later) is False

    assert SchedulerChain.objects.get().token != old_token


def test_a_live_chain_that_is_merely_late_is_kept(
    dummy_backend, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.scheduler_ensure()
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert scheduler.scheduler_ensure() is False


def test_each_tick_queues_one_delivery_pass_and_each_periodic_task(
    dummy_backend, frozen_now, django_capture_on_commit_callbacks
):
    from notifications.tasks import deliver_due_now

    with django_capture_on_commit_callbacks(execute=True):
        scheduler.scheduler_ensure()
    token = SchedulerChain.objects.get().token
    dummy_backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick.call(token, 0) == {"tick": 0}
        assert scheduler_tick.call(token, 0) == {"superseded": True}

    names = sorted(result.task.name for result in dummy_backend.results)
    periodic = [task.name for task in scheduler.periodic_tasks()]
    assert periodic  # calendars registers its source sync (settings.SCHEDULER_PERIODIC_TASKS)
    assert names == sorted([deliver_due_now.name, scheduler_tick.name, *periodic])
