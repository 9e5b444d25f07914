"""Sync now runs in the calendar worker, not in the web request: the request queues the read
on the calendars queue and answers at once; the row then polls (htmx) until the result is in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from calendars.models import BusySource
from calendars.tasks import sync_source
from calendars.tests.busy_cases import FEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(calendar, http_server):
    url = http_server.serve("/work.ics", FEED)
    return BusySource.objects.create(user=calendar.provider, kind="ics", name="Work feed", url=url)


def sync_now(client, source, **headers):
    return client.post(reverse("calendar_source_sync", args=[source.pk]), **headers)


def test_sync_now_queues_the_read_on_the_calendar_queue_and_answers_at_once(
    client, provider, source, queue_only, http_server
):
    client.force_login(provider)

    response = sync_now(client, source, HTTP_HX_REQUEST="true")

    assert http_server.requested == []  # nothing was fetched inside the request
    [queued] = queue_only.results
    assert queued.task.name == sync_source.name
    assert queued.task.queue_name == "calendars"
    assert queued.args == [source.pk]
    assert "Reading this calendar now" in response.text
    assert 'hx-trigger="every 1s"' in response.text
    assert BusySource.objects.get().last_synced_at is None


def test_the_polling_row_shows_the_result_once_the_worker_has_synced(
    client, provider, source, queue_only
):
    client.force_login(provider)
    response = sync_now(client, source, HTTP_HX_REQUEST="true")
    poll = response.text.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")

    still = client.get(poll, HTTP_HX_REQUEST="true")
    sync_source.call(source.pk)  # what the calendar worker does
    done = client.get(poll, HTTP_HX_REQUEST="true")

    assert "Reading this calendar now" in still.text
    assert "Reading this calendar now" not in done.text
    assert "every 1s" not in done.text
    assert f"<dd>{BusySource.objects.get().block_count}</dd>" in done.text
    assert done.text.lstrip().startswith(f'<li id="source-{source.pk}"')


def test_without_javascript_sync_now_says_the_read_is_under_way(
    client, provider, source, queue_only
):
    client.force_login(provider)

    response = sync_now(client, source, follow=True)

    assert response.redirect_chain[-1][0] == reverse("calendar_sources")
    assert "is being read" in response.text


def test_another_provider_cannot_poll_a_row(client, other_user, source):
    client.force_login(other_user)
    query = urlencode({"row": source.pk, "asked": "2026-11-24T09:00:00+00:00"})

    response = client.get(f"{reverse('calendar_sources')}?{query}", HTTP_HX_REQUEST="true")

    assert response.status_code == 404
