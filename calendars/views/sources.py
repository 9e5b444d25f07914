"""A provider's busy-time sources: list with state, add (ICS / CalDAV), choose, sync, delete."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from calendars import services
from calendars.forms import CalDavAccountForm, ChooseCalendarsForm, IcsSourceForm
from calendars.models import BusySource
from calendars.sources import RemoteCalendar, SourceError
from config.bounds import parse_instant

# The row stops polling for a requested sync after this long: the worker may be down.
PROGRESS_GIVES_UP = timedelta(minutes=2)
ROW = "calendars/sources.html#source-row"


def owned_source(request, pk: int) -> BusySource:
    """One of the requester's sources; anyone else's is a 404."""
    return get_object_or_404(BusySource.objects.select_related("user"), pk=pk, user=request.user)


def row_context(source: BusySource, asked_at: datetime | None) -> dict:
    """A source's row; while a requested sync has not finished, the row polls for its result."""
    now = timezone.now()
    waiting = asked_at is not None and not services.sync_finished(source, asked_at)
    return {
        "source": source,
        "now": now,
        "asked_at": asked_at,
        "syncing": waiting and now - asked_at < PROGRESS_GIVES_UP,
        "worker_late": waiting and now - asked_at >= PROGRESS_GIVES_UP,
    }


@login_required
@require_GET
def source_list(request):
    sources = BusySource.objects.filter(user=request.user)
    if request.htmx and request.GET.get("row", "").isdigit():
        # A row polling for the result of "Sync now".
        source = get_object_or_404(sources, pk=int(request.GET["row"]))
        return render(request, ROW, row_context(source, parse_instant(request.GET.get("asked"))))
    context = {
        "sources": sources.order_by("name", "pk"),
        "now": timezone.now(),
    }
    return render(request, "calendars/sources.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def source_add_ics(request):
    form = IcsSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        source = services.source_create_ics(user=request.user, **form.cleaned_data, now=now)
        _say_how_it_went(request, source, asked_at=now)
        return redirect("calendar_sources")
    return render(request, "calendars/source_add.html", {"form": form, "kind": "ics"})


@login_required
@require_http_methods(["GET", "POST"])
def source_add_caldav(request):
    form = CalDavAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source, _ = services.source_connect_caldav(user=request.user, **form.cleaned_data)
        except SourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Connected. Now choose which calendars count as busy.")
            return redirect("calendar_source", pk=source.pk)
    return render(request, "calendars/source_add.html", {"form": form, "kind": "caldav"})


def _remote_choices(source: BusySource) -> tuple[list[RemoteCalendar], str]:
    """The account's calendars now; if it cannot be reached, the saved choice and why."""
    if source.kind != BusySource.Kind.CALDAV:
        return [], ""
    try:
        return services.source_remote_calendars(source), ""
    except SourceError as error:
        return [RemoteCalendar(url, url) for url in source.calendar_urls], str(error)


@login_required
@require_http_methods(["GET", "POST"])
def source_detail(request, pk: int):
    source = owned_source(request, pk)
    remote, remote_error = _remote_choices(source)
    initial = {"calendar_urls": source.calendar_urls}
    form = ChooseCalendarsForm(request.POST or None, remote=remote, initial=initial)
    if request.method == "POST" and source.kind == BusySource.Kind.CALDAV and form.is_valid():
        now = timezone.now()
        services.source_choose_calendars(source=source, **form.cleaned_data, now=now)
        _say_how_it_went(request, source, asked_at=now)
        return redirect("calendar_sources")
    context = {"source": source, "form": form, "remote_error": remote_error}
    return render(request, "calendars/source_detail.html", context)


@login_required
@require_POST
def source_sync(request, pk: int):
    """Queue the read on the worker; the row (htmx) shows progress until the result is in."""
    source = owned_source(request, pk)
    asked_at = services.source_sync_request(source=source, now=timezone.now())
    source.refresh_from_db()
    if request.htmx:
        return render(request, ROW, row_context(source, asked_at))
    _say_how_it_went(request, source, asked_at=asked_at)
    return redirect("calendar_sources")


@login_required
@require_POST
def source_delete(request, pk: int):
    source = owned_source(request, pk)
    services.source_delete(source=source)
    messages.success(request, f"“{source.name}” is removed; its busy times no longer count.")
    return redirect("calendar_sources")


def _say_how_it_went(request, source: BusySource, *, asked_at: datetime) -> None:
    if not source.is_active:
        return
    if not services.sync_finished(source, asked_at):
        messages.info(request, f"“{source.name}” is being read; its state below updates shortly.")
    elif source.last_error:
        messages.error(request, f"“{source.name}” could not be read: {source.last_error}")
    elif source.last_success_at:
        count = source.block_count
        times = "busy time" if count == 1 else "busy times"
        messages.success(request, f"“{source.name}” synced: {count} {times}.")
