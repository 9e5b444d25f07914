"""The admin's "Why is this time not available?" page for one calendar."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from appointments.availability.explain import explain_time
from appointments.models import Calendar
from config.bounds import BoundedDateTimeField


class ExplainForm(forms.Form):
    when = BoundedDateTimeField(
        label="Start time (in the calendar's zone)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def explain_view(model_admin, request, object_id: str):
    calendar = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_view_permission(request, calendar):
        raise PermissionDenied
    form = ExplainForm(request.GET or None)
    reasons, start = None, None
    if form.is_valid():
        start = _in_zone(form.cleaned_data["when"], calendar)
        reasons = explain_time(calendar, start, timezone.now(), zone=calendar.zone)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Calendar._meta,
        "original": calendar,
        "title": f"Why is a time not available? — {calendar}",
        "form": form,
        "reasons": reasons,
        "start": start,
        "zone": calendar.zone.key,
    }
    return TemplateResponse(request, "admin/appointments/calendar/explain.html", context)


def _in_zone(value: datetime, calendar: Calendar) -> datetime:
    # The admin activates the server zone; the provider typed a wall time of the calendar's zone.
    return timezone.make_naive(value).replace(tzinfo=calendar.zone)
