"""Two syncs of one source at once (the schedule and "Sync now") leave one set of busy blocks.
Transactional, with a connection per thread; runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.utils import timezone

from calendars import services
from calendars.models import BusyBlock, BusySource
from calendars.tests.busy_cases import FEED


@pytest.mark.django_db(transaction=True)
def test_two_syncs_of_one_source_at_once_leave_one_set_of_blocks(
    http_server, make_user, make_calendar, monkeypatch
):
    calendar = make_calendar(make_user("racer"), name="Race", slug="race")
    source = BusySource.objects.create(
        user=calendar.provider, kind="ics", name="Work", url=http_server.serve("/w.ics", FEED)
    )
    original = QuerySet.bulk_create

    def slow_bulk_create(self, objs, *args, **kwargs):
        # Widen the window between deleting and inserting, where an unlocked sync interleaves.
        if self.model is BusyBlock:
            time.sleep(0.3)
        return original(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", slow_bulk_create)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def sync() -> None:
        try:
            barrier.wait()
            own = BusySource.objects.select_related("user").get(pk=source.pk)
            outcomes.append(services.source_sync(own, now=timezone.now()))
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == [True, True]
    source.refresh_from_db()
    assert source.block_count > 0
    assert BusyBlock.objects.filter(source=source).count() == source.block_count
