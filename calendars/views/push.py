"""Write-back settings: per calendar, one CalDAV calendar that receives the bookings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.models import Calendar
from calendars import push
from calendars.forms import PushAccountForm, PushChooseForm
from calendars.models import AppointmentPush, PushTarget
from calendars.sources import SourceError

RECENT_PUSHES = 20


def owned_calendar(request, pk: int) -> Calendar:
    return get_object_or_404(Calendar, pk=pk, provider=request.user)


@login_required
@require_GET
def push_page(request):
    calendars = Calendar.objects.filter(provider=request.user).order_by("name")
    targets = {t.calendar_id: t for t in PushTarget.objects.filter(calendar__in=calendars)}
    pushes = AppointmentPush.objects.filter(calendar__in=calendars).select_related(
        "appointment", "calendar"
    )[:RECENT_PUSHES]
    rows = [(calendar, targets.get(calendar.pk)) for calendar in calendars]
    return render(request, "calendars/push.html", {"rows": rows, "pushes": pushes})


@login_required
@require_http_methods(["GET", "POST"])
def push_connect(request, calendar_pk: int):
    calendar = owned_calendar(request, calendar_pk)
    form = PushAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            push.push_target_connect(calendar=calendar, **form.cleaned_data)
        except SourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Connected. Now choose the calendar to write into.")
            return redirect("calendar_push_choose", calendar_pk=calendar.pk)
    return render(request, "calendars/push_connect.html", {"form": form, "calendar": calendar})


@login_required
@require_http_methods(["GET", "POST"])
def push_choose(request, calendar_pk: int):
    calendar = owned_calendar(request, calendar_pk)
    target = get_object_or_404(PushTarget, calendar=calendar)
    try:
        remote, remote_error = push.push_target_remote_calendars(target), ""
    except SourceError as error:
        remote, remote_error = [], str(error)
    initial = {
        "calendar_url": target.calendar_url,
        "enabled": target.enabled or not target.calendar_url,
    }
    form = PushChooseForm(request.POST or None, remote=remote, initial=initial)
    if request.method == "POST" and form.is_valid():
        push.push_target_choose(
            target=target, remote=form.chosen(), enabled=form.cleaned_data["enabled"]
        )
        messages.success(request, f"New bookings of {calendar.name} will be written back.")
        return redirect("calendar_push")
    context = {"form": form, "calendar": calendar, "remote_error": remote_error}
    return render(request, "calendars/push_choose.html", context)


@login_required
@require_POST
def push_delete(request, calendar_pk: int):
    calendar = owned_calendar(request, calendar_pk)
    target = get_object_or_404(PushTarget, calendar=calendar)
    push.push_target_delete(target=target)
    messages.success(request, f"{calendar.name} no longer writes bookings back.")
    return redirect("calendar_push")
