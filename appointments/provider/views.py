"""The provider area: the week's schedule, the availability editor and bulk slot publishing.
Only users who own a calendar get here; everyone else gets a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments import scheduling
from appointments.availability.explain import explain_time
from appointments.errors import SlotError
from appointments.models import Calendar, Schedule
from appointments.provider import selectors as provider_selectors
from appointments.provider import services as editor
from appointments.provider.forms import (
    CalendarSettingsForm,
    DateOverrideForm,
    PublishSlotsForm,
    TimeOffForm,
    WhyForm,
    WorkingHoursForm,
)

AVAILABILITY = "appointments/provider/availability.html"


def owned_calendar(request) -> tuple[Calendar, list[Calendar]]:
    """The calendar chosen with ?calendar=<slug> among the user's own (the first when none is
    named). A slug that names no calendar of theirs is a 404: never a change to another one."""
    calendars = list(
        Calendar.objects.filter(provider=request.user, team=None, archived_at=None)
        .select_related("schedule")
        .order_by("name")
    )
    if not calendars:
        raise Http404("You have no calendar.")
    slug = request.GET.get("calendar") or request.POST.get("calendar")
    if not slug:
        return calendars[0], calendars
    chosen = next((c for c in calendars if c.slug == slug), None)
    if chosen is None:
        raise Http404("No such calendar of yours.")
    return chosen, calendars


SCHEDULE = "appointments/provider/schedule.html"
WHY = "appointments/provider/why.html"


def hosted_calendars(user) -> list[Calendar]:
    """The event types the person hosts (personal and team ones), for "why is this time not
    available?"; a 404 for someone who hosts none."""
    calendars = list(
        Calendar.objects.filter(host_rows__user=user, archived_at=None)
        .select_related("schedule")
        .order_by("team_id", "name")
    )
    if not calendars:
        raise Http404("You host no event type.")
    return calendars


def shown_schedule(user, calendar: Calendar | None) -> Schedule | None:
    """Whose hours the grid shades: the chosen event type's schedule, else the default one."""
    if calendar is not None and calendar.schedule is not None:
        return calendar.schedule
    return Schedule.objects.filter(owner=user, is_default=True).first()


@login_required
@require_GET
def provider_schedule(request):
    """The week of everything the person hosts: personal and team event types alike, drawn on
    the hours of one of their schedules."""
    hosted = hosted_calendars(request.user)
    calendars = [c for c in hosted if c.provider_id == request.user.pk and c.team_id is None]
    slug = request.GET.get("calendar")
    calendar = next((c for c in calendars if c.slug == slug), calendars[0] if calendars else None)
    zone = ZoneInfo(request.viewer_zone)
    week = provider_selectors.schedule_week(
        request.user,
        week=request.GET.get("week"),
        zone=zone,
        now=timezone.now(),
        schedule=shown_schedule(request.user, calendar),
        day=request.GET.get("day"),
    )
    context = {
        "calendar": calendar,
        "calendars": calendars,
        "week": week,
        "explained": calendar or hosted[0],
        "why_form": WhyForm(calendars=hosted, initial={"calendar": (calendar or hosted[0]).slug}),
    }
    if request.htmx and request.htmx.target == "week-view":
        return render(request, f"{SCHEDULE}#week-view", context)
    return render(request, SCHEDULE, context)


@login_required
@require_GET
def provider_why(request):
    """Why a time of one of the person's event types is not offered, in plain words: the
    reasons explain_time finds, for a date and wall time in the viewer's zone."""
    hosted = hosted_calendars(request.user)
    form = WhyForm(request.GET or None, calendars=hosted)
    zone = ZoneInfo(request.viewer_zone)
    answer = None
    if form.is_valid():
        calendar, start = form.cleaned_data["calendar"], form.start(zone)
        answer = {
            "calendar": calendar,
            "start": start,
            "end": start + timedelta(minutes=calendar.length_minutes),
            "reasons": explain_time(calendar, start, timezone.now(), zone=zone),
            "week": provider_selectors.week_param(form.cleaned_data["date"]),
        }
    elif form.is_bound and "calendar" in form.errors and "calendar" in request.GET:
        raise Http404("No such event type of yours.")
    context = {"why_form": form, "answer": answer, "calendars": hosted}
    if request.htmx:
        return render(request, f"{WHY}#why-panel", context)
    return render(request, WHY, context)


@dataclass(frozen=True)
class Editing:
    """What the availability editor works on: a schedule, reached through one of the person's
    event types (?calendar=<slug>, whose slot settings it shows too) or by itself
    (?schedule=<pk>, from the schedules page)."""

    schedule: Schedule
    calendar: Calendar | None
    calendars: list[Calendar]

    @property
    def query(self) -> str:
        if self.calendar is None:
            return f"schedule={self.schedule.pk}"
        return f"calendar={self.calendar.slug}"


def edited(request) -> Editing:
    chosen = request.GET.get("schedule") or request.POST.get("schedule")
    if chosen is None:
        calendar, calendars = owned_calendar(request)
        return Editing(calendar.schedule, calendar, calendars)
    if not chosen.isdigit() or len(chosen) > 18:
        raise Http404("No such schedule.")
    schedule = get_object_or_404(Schedule, pk=int(chosen), owner=request.user)
    calendars = list(
        Calendar.objects.filter(provider=request.user, team=None, archived_at=None).order_by("name")
    )
    return Editing(schedule, None, calendars)


def editor_context(request, editing: Editing, **bound) -> dict:
    schedule, calendar = editing.schedule, editing.calendar
    today = scheduling.local_date(timezone.now(), schedule.zone)
    settings_form = None
    if calendar is not None:
        settings_form = bound.get("settings_form") or CalendarSettingsForm(instance=calendar)
    return {
        "calendar": calendar,
        "calendars": editing.calendars,
        "schedule": schedule,
        "editing": editing,
        "settings_form": settings_form,
        "hours_form": bound.get("hours_form") or WorkingHoursForm(schedule=schedule),
        "override_form": bound.get("override_form") or DateOverrideForm(),
        "time_off_form": bound.get("time_off_form") or TimeOffForm(),
        "overrides": schedule.date_overrides.filter(date__gte=today),
        "time_off": schedule.time_off.filter(end_time__gt=timezone.now()),
        "outside": provider_selectors.bookings_outside_hours(schedule, now=timezone.now()),
        "saved": bound.get("saved", ""),
        "section": bound.get("section", ""),
    }


@login_required
@require_GET
def provider_availability(request):
    return render(request, AVAILABILITY, editor_context(request, edited(request)))


def editor_done(request, editing: Editing, section: str, message: str):
    """After a change: the refreshed section (htmx) or a redirect to the editor (post/redirect/get)."""
    if request.htmx:
        context = editor_context(request, editing, saved=message, section=section)
        return render(request, f"{AVAILABILITY}#{section}", context)
    messages.success(request, message)
    return redirect(f"{reverse('provider_availability')}?{editing.query}#{section}")


def editor_refused(request, editing: Editing, section: str, **bound):
    """A refusal: the section (htmx) or the whole editor, with the form's errors, as a 200."""
    context = editor_context(request, editing, section=section, **bound)
    template = f"{AVAILABILITY}#{section}" if request.htmx else AVAILABILITY
    return render(request, template, context)


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def availability_settings(request):
    editing = edited(request)
    calendar = editing.calendar
    if calendar is None:
        raise Http404("Slot settings belong to an event type.")
    form = CalendarSettingsForm(request.POST, instance=Calendar.objects.get(pk=calendar.pk))
    if form.is_valid():
        try:
            editor.calendar_settings_update(calendar=calendar, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return editor_refused(request, editing, "settings-section", settings_form=form)
    return editor_done(request, editing, "settings-section", "Slot settings saved.")


@login_required
@require_POST
def availability_hours(request):
    editing = edited(request)
    form = WorkingHoursForm(request.POST, schedule=editing.schedule)
    if form.is_adding:  # "Add hours" without JavaScript: the same form, a row more, unsaved
        return editor_refused(request, editing, "hours-section", hours_form=form)
    if form.is_valid():
        try:
            editor.working_hours_set(schedule=editing.schedule, intervals=form.intervals)
        except ValidationError as error:
            by_day = (
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            )
            for day, messages_ in by_day.items():
                form.errors.setdefault(day, []).extend(messages_)
    if form.errors:
        return editor_refused(request, editing, "hours-section", hours_form=form)
    return editor_done(request, editing, "hours-section", "Working hours saved.")


@login_required
@require_POST
def override_add(request):
    editing = edited(request)
    schedule = editing.schedule
    form = DateOverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            editor.date_override_add(
                schedule=schedule,
                day=data["date"],
                start=data["start_time"],
                end=data["end_time"],
                today=scheduling.local_date(timezone.now(), schedule.zone),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return editor_refused(request, editing, "overrides-section", override_form=form)
    return editor_done(request, editing, "overrides-section", "Date override added.")


@login_required
@require_POST
def override_remove(request, pk: int):
    editing = edited(request)
    try:
        editor.date_override_remove(schedule=editing.schedule, override_id=pk)
    except ValidationError:
        raise Http404("No such override.") from None
    return editor_done(request, editing, "overrides-section", "Date override removed.")


@login_required
@require_POST
def time_off_add(request):
    editing = edited(request)
    form = TimeOffForm(request.POST)
    # The times are wall-clock times in the schedule's zone, whoever's browser sends them.
    with timezone.override(editing.schedule.zone):
        valid = form.is_valid()
    if valid:
        try:
            editor.time_off_add(schedule=editing.schedule, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return editor_refused(request, editing, "time-off-section", time_off_form=form)
    return editor_done(request, editing, "time-off-section", "Time off added.")


@login_required
@require_POST
def time_off_remove(request, pk: int):
    editing = edited(request)
    try:
        editor.time_off_remove(schedule=editing.schedule, time_off_id=pk)
    except ValidationError:
        raise Http404("No such time off.") from None
    return editor_done(request, editing, "time-off-section", "Time off removed.")


@login_required
@require_http_methods(["GET", "POST"])
def publish_slots(request):
    calendar, calendars = owned_calendar(request)
    form = PublishSlotsForm(
        request.POST or None, initial=provider_selectors.publish_defaults(calendar)
    )
    if request.method == "POST" and form.is_valid():
        slots = form.slots(calendar.schedule.zone)
        try:
            if not slots:
                raise SlotError("Those dates and times give no slot; widen the hours or the dates.")
            created = editor.time_slots_create(calendar=calendar, slots=slots)
        except SlotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Published {len(created)} slot{'s' * (len(created) != 1)}.")
            return redirect(f"{reverse('publish_slots')}?calendar={calendar.slug}")
    context = {
        "calendar": calendar,
        "calendars": calendars,
        "form": form,
        "published": provider_selectors.published_days(calendar, now=timezone.now()),
    }
    return render(request, "appointments/provider/publish.html", context)
