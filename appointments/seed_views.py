"""The original brief's fragment URLs, kept under their names and served by today's pages.

The brief's dashboard loads `{% url 'appointment_summary' %}` and its booking page loads
`{% url 'get_time_slots' %}` with hx-get; both now live inside one-view-per-page templates."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from appointments import overview
from appointments.models import Calendar


@login_required
@require_GET
def appointment_summary(request):
    """The dashboard's summary part; a plain visit gets the whole dashboard."""
    if not request.htmx:
        return redirect("dashboard")
    context = {"summary": overview.summary(request.user, now=timezone.now())}
    return render(request, "appointments/dashboard.html#summary", context)


@require_GET
def get_time_slots(request):
    """?calendar=<slug>&day=YYYY-MM-DD: that day's free times on the calendar's booking page
    (htmx follows the redirect with its headers, and gets the times panel alone)."""
    slug = request.GET.get("calendar", "")
    if not slug:
        return redirect("book_index")
    calendar = get_object_or_404(Calendar, slug=slug, is_active=True, archived_at=None)
    query = {"day": request.GET["day"]} if request.GET.get("day") else {}
    url = reverse("book_calendar", args=[calendar.slug])
    return redirect(f"{url}?{urlencode(query)}" if query else url)
