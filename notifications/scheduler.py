"""The periodic "deliver what is due" job, kept alive by the worker itself.

django-tasks has no cron. A tick task queues its successor (`run_after` = now +
NOTIFY_TICK_SECONDS) and one delivery pass (`deliver_due_now`), so `manage.py db_worker` alone
delivers reminders on time. Ticks are tiny; passes do the work, and with several workers passes
may overlap: their claims keep them disjoint. A worker killed in the middle of a pass leaves the
next tick queued, and that tick's pass delivers the rest.

One row (SchedulerChain) holds the chain's token and the number of its next tick: a tick runs only
if both match (a conditional UPDATE), so there is only ever one chain and no tick runs twice. A
chain that missed its ticks for a while (its tasks lost) is replaced by `scheduler_ensure`, called
after migrations, after each booking change and by every e-mail delivery task.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend

from notifications.models import SchedulerChain

CHAIN = "deliver-due"


def tick_interval() -> timedelta:
    return timedelta(seconds=settings.NOTIFY_TICK_SECONDS)


def chain_grace() -> timedelta:
    """How late a tick may be before the chain counts as lost (a busy worker delays ticks)."""
    return max(timedelta(minutes=2), 4 * tick_interval())


def scheduler_ensure(*, now: datetime | None = None) -> bool:
    """Start the chain unless a live one exists; True if this call started it."""
    if not default_task_backend.supports_defer:
        return False  # the immediate backend (tests) cannot schedule; nothing to keep alive
    now = now or timezone.now()
    chain = SchedulerChain.objects.filter(pk=CHAIN).first()
    if chain is not None and chain.next_tick_at + chain_grace() > now:
        return False
    token = uuid.uuid4().hex
    with transaction.atomic():
        if chain is None:
            _, started = SchedulerChain.objects.get_or_create(
                pk=CHAIN, defaults={"token": token, "next_tick_at": now}
            )
        else:
            started = SchedulerChain.objects.filter(pk=CHAIN, token=chain.token).update(
                token=token, tick=0, next_tick_at=now
            )
        if started:
            transaction.on_commit(lambda: enqueue_tick(token, 0, run_after=None))
    return bool(started)


def enqueue_tick(token: str, tick: int, *, run_after: datetime | None) -> None:
    from notifications.tasks import scheduler_tick

    task = scheduler_tick if run_after is None else scheduler_tick.using(run_after=run_after)
    task.enqueue(token, tick)


def scheduler_continue(token: str, tick: int, *, now: datetime) -> bool:
    """At the start of a tick: if it is the chain's current tick, queue the next one."""
    next_tick_at = now + tick_interval()
    with transaction.atomic():
        current = SchedulerChain.objects.filter(pk=CHAIN, token=token, tick=tick).update(
            tick=tick + 1, next_tick_at=next_tick_at
        )
        if current:
            transaction.on_commit(lambda: enqueue_tick(token, tick + 1, run_after=next_tick_at))
    return bool(current)


def periodic_tasks() -> list:
    """Other apps' periodic jobs (settings.SCHEDULER_PERIODIC_TASKS, dotted paths of tasks
    taking no arguments): every tick queues each of them beside the delivery pass."""
    return [import_string(path) for path in settings.SCHEDULER_PERIODIC_TASKS]
