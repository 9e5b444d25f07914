"""/healthz for load balancers and monitoring: is the database reachable, are all migrations
applied (503 if not: this server should get no traffic), and how is background work doing (the
last task each queue's worker finished, the oldest task waiting past its time). Worker trouble is
reported but does not fail the check: a web server is still fine to serve while a worker is
restarted."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A worker that finished nothing for this long has missed several scheduler ticks (30 s each).
WORKER_LATE_SECONDS = 300


def _age(instant: datetime | None, now: datetime) -> float | None:
    return None if instant is None else round((now - instant).total_seconds(), 1)


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _workers(now: datetime) -> dict:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return {"backend": settings.TASKS["default"]["BACKEND"], "ok": None}
    from django_tasks_db.models import DBTaskResult

    finished = dict(
        DBTaskResult.objects.filter(finished_at__isnull=False)
        .values_list("queue_name")
        .annotate(last=Max("finished_at"))
    )
    oldest = DBTaskResult.objects.ready().aggregate(due=Min("run_after"), queued=Min("enqueued_at"))
    # Tasks queued without a time get run_after = 9999-01-01 ("whenever"): use when they came.
    due = oldest["due"] if oldest["due"] and oldest["due"].year < 9999 else oldest["queued"]
    queues = {
        queue: {"last_finished_age_seconds": _age(finished.get(queue), now)}
        for queue in settings.TASK_QUEUES
    }
    oldest_age = _age(due, now) if due and due <= now else 0.0
    late = any(
        (q["last_finished_age_seconds"] or WORKER_LATE_SECONDS + 1) > WORKER_LATE_SECONDS
        for q in queues.values()
    )
    return {
        "queues": queues,
        "oldest_due_task_age_seconds": oldest_age,
        "ok": not late and (oldest_age or 0) <= WORKER_LATE_SECONDS,
    }


@never_cache
@require_GET
def healthz(request):
    now = timezone.now()
    report: dict = {"database": False, "pending_migrations": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = True
        report["pending_migrations"] = _pending_migrations()
        report["workers"] = _workers(now)
    except DatabaseError as error:
        report["error"] = error.__class__.__name__
    healthy = report["database"] and report["pending_migrations"] == 0
    report["status"] = "ok" if healthy else "failing"
    return JsonResponse(report, status=200 if healthy else 503)
