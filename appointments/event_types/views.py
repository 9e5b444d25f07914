"""The pages where a person offers appointments: the guided first event type, their event types
(create, edit, duplicate, turn off or on, delete), their schedules, and their public page.
Everything here but the public page is the person's own: anyone else's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.embed.snippets import embed_snippets
from appointments.event_types import selectors, services
from appointments.event_types.forms import EventTypeForm, FirstEventTypeForm, ScheduleForm
from appointments.provider.views import add_service_errors

TEMPLATES = "appointments/event_types/"


def booking_link(request, calendar) -> str:
    return request.build_absolute_uri(reverse("book_calendar", args=[calendar.slug]))


@login_required
@require_GET
def event_type_list(request):
    event_types = [
        (calendar, booking_link(request, calendar), calendar.has_future_bookings)
        for calendar in selectors.own_event_types_listed(request.user, now=timezone.now())
    ]
    context = {"event_types": event_types, "has_schedule": request.user.schedules.exists()}
    return render(request, TEMPLATES + "list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_type_start(request):
    """The guided form: name, length and (without a schedule yet) when the person works."""
    has_schedule = services.default_schedule(request.user) is not None
    initial = {"time_zone": request.viewer_zone}
    form = FirstEventTypeForm(request.POST or None, initial=initial, has_schedule=has_schedule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            calendar = services.first_event_type_create(
                owner=request.user,
                name=data["name"],
                length_minutes=data["length_minutes"],
                time_zone=data.get("time_zone", ""),
                weekdays=data.get("weekdays", ()),
                start=data.get("start"),
                end=data.get("end"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{calendar.name}” is ready: share its booking link.")
            return redirect("event_type_edit", pk=calendar.pk)
    schedule = services.default_schedule(request.user)
    return render(request, TEMPLATES + "start.html", {"form": form, "schedule": schedule})


@login_required
@require_http_methods(["GET", "POST"])
def event_type_create(request):
    if not request.user.schedules.exists():
        return redirect("event_type_start")  # the guided form makes the first schedule too
    initial = {"schedule": services.default_schedule(request.user)}
    form = EventTypeForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            calendar = services.event_type_create(owner=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{calendar.name}” is ready: share its booking link.")
            return redirect("event_type_edit", pk=calendar.pk)
    return render(request, TEMPLATES + "form.html", {"form": form, "calendar": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_type_edit(request, pk: int):
    calendar = selectors.own_event_type(request.user, pk)
    form = EventTypeForm(request.POST or None, owner=request.user, instance=calendar)
    if request.method == "POST" and form.is_valid():
        saved = selectors.own_event_type(request.user, pk)  # the form changed `calendar`
        try:
            services.event_type_update(calendar=saved, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Event type saved.")
            return redirect("event_type_edit", pk=pk)
        calendar = saved
    context = {
        "form": form,
        "calendar": calendar,
        "link": booking_link(request, calendar),
        "snippets": embed_snippets(request, calendar),
    }
    return render(request, TEMPLATES + "form.html", context)


@login_required
@require_POST
def event_type_duplicate(request, pk: int):
    calendar = selectors.own_event_type(request.user, pk)
    copy = services.event_type_duplicate(calendar=calendar)
    messages.success(request, f"Made “{copy.name}”, at its own address.")
    return redirect("event_type_edit", pk=copy.pk)


@login_required
@require_POST
def event_type_active(request, pk: int):
    """Turn an event type on (`active=on`) or off (`active=off`)."""
    calendar = selectors.own_event_type(request.user, pk)
    wanted = request.POST.get("active")
    if wanted not in ("on", "off"):
        messages.error(request, "Say whether to turn the event type on or off.")
    else:
        services.event_type_set_active(calendar=calendar, active=wanted == "on")
        state = "takes bookings again" if wanted == "on" else "is off: nobody can book it now"
        messages.success(request, f"“{calendar.name}” {state}.")
    if request.POST.get("next") == "edit":
        return redirect("event_type_edit", pk=pk)
    return redirect("event_type_list")


@login_required
@require_http_methods(["GET", "POST"])
def event_type_delete(request, pk: int):
    """GET: the confirmation (or why it cannot be deleted). POST: delete."""
    calendar = selectors.own_event_type(request.user, pk)
    if request.method == "POST":
        try:
            services.event_type_delete(calendar=calendar)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("event_type_delete", pk=pk)
        messages.success(request, f"“{calendar.name}” is deleted.")
        return redirect("event_type_list")
    blocked = services.has_future_bookings(calendar, now=timezone.now())
    return render(request, TEMPLATES + "delete.html", {"calendar": calendar, "blocked": blocked})


@require_GET
def person_page(request, username: str):
    person, event_types = selectors.public_person(username)
    context = {"person": person, "event_types": event_types}
    return render(request, TEMPLATES + "person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_list(request):
    """The person's schedules; a POST adds one (office hours, or none, in a zone)."""
    form = ScheduleForm(request.POST or None, initial={"time_zone": request.viewer_zone})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hours = services.OFFICE_HOURS if data["office_hours"] else None
        try:
            schedule = services.schedule_create(
                owner=request.user, name=data["name"], time_zone=data["time_zone"], hours=hours
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Schedule “{schedule.name}” added.")
            return redirect("schedule_list")
    context = {"schedules": selectors.own_schedules(request.user), "form": form}
    return render(request, TEMPLATES + "schedules.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk: int):
    """Rename a schedule or change its zone; its hours are edited on the availability page."""
    schedule = selectors.own_schedule(request.user, pk)
    initial = {"name": schedule.name, "time_zone": schedule.time_zone}
    form = ScheduleForm(request.POST or None, initial=initial, renaming=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_rename(schedule=schedule, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Schedule saved.")
            return redirect("schedule_list")
    context = {
        "schedule": schedule,
        "form": form,
        "event_types": schedule.event_types.filter(archived_at=None),
    }
    return render(request, TEMPLATES + "schedule.html", context)


@login_required
@require_POST
def schedule_default(request, pk: int):
    schedule = services.schedule_set_default(schedule=selectors.own_schedule(request.user, pk))
    messages.success(request, f"“{schedule.name}” is your default schedule.")
    return redirect("schedule_list")


@login_required
@require_POST
def schedule_delete(request, pk: int):
    schedule = selectors.own_schedule(request.user, pk)
    try:
        services.schedule_delete(schedule=schedule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Schedule “{schedule.name}” deleted.")
    return redirect("schedule_list")
