from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from appointments import overview
from appointments.access import appointment_rights, visible_appointment
from appointments.booking import services
from appointments.booking.views import booked_message
from appointments.errors import BookingError
from appointments.event_types.selectors import own_event_types
from appointments.forms import AppointmentForm
from appointments.models import Calendar

# The dashboard's parts: each is an inline partial of dashboard.html whose name is the id of the
# element it fills; htmx asks for one with ?part=<name>.
DASHBOARD_PARTS = ("summary", "upcoming-appointments", "latest-notifications")
APPOINTMENTS_PER_PAGE = 10


@login_required
@require_GET
def dashboard(request):
    now = timezone.now()
    context = {
        "summary": overview.summary(request.user, now=now),
        "upcoming": overview.upcoming(request.user, now=now),
        "notifications": request.user.notifications.select_related("appointment")[:5],
        "offered": own_event_types(request.user)[:5],
    }
    template = "appointments/dashboard.html"
    part = request.GET.get("part")
    if request.htmx and part in DASHBOARD_PARTS:
        template += f"#{part}"
    return render(request, template, context)


@login_required
@require_GET
def appointment_list(request):
    tab = "past" if request.GET.get("tab") == "past" else "upcoming"
    appointments = overview.appointments_tab(request.user, tab=tab, now=timezone.now())
    page = Paginator(appointments, APPOINTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "appointments/appointment_list.html"
    # A history restore (back button after hx-push-url) needs the whole page, not the partial.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#appointment-list"
    context = {"tab": tab, "page": page, "appointments": page.object_list}
    return render(request, template, context)


def booking_page_for(slug: str | None) -> str:
    """The booking page of the event type `slug` names (taking bookings), else the list of
    event types."""
    calendar = Calendar.objects.filter(slug=slug or "", is_active=True, archived_at=None).first()
    if calendar is None:
        return reverse("book_index")
    return reverse("book_calendar", args=[calendar.slug])


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request):
    """The brief's plain booking form, kept as an endpoint: a POST of a published slot, or of an
    event type and a computed start, books it. People choose times on the booking pages (which
    offer every computed time, day by day, with or without JavaScript), so a GET goes there; a
    refused POST says why, keeps what was typed, and links back to the event type's page."""
    if request.method == "GET":
        return redirect(booking_page_for(request.GET.get("calendar")))
    now = timezone.now()
    form = AppointmentForm(request.POST, user=request.user, now=now)
    error = None
    if form.is_valid():
        try:
            appointment = services.appointment_book(
                user=request.user,
                time_slot=form.cleaned_data["time_slot"],
                calendar=form.cleaned_data["calendar"],
                start=form.cleaned_data["start"],
                description=form.cleaned_data["description"],
                now=now,
            )
        except BookingError as refusal:
            error = refusal
        else:
            messages.success(request, booked_message(appointment))
            return redirect("appointment_detail", pk=appointment.pk)
    slot = form.cleaned_data.get("time_slot") if form.is_valid() else None
    slug = slot.calendar.slug if slot is not None else request.POST.get("calendar")
    status = 409 if error is not None and error.code == "taken" else 200
    context = {
        "form": form,
        "error": error,
        "choose_url": booking_page_for(slug),
        "description": request.POST.get("description", ""),
    }
    return render(request, "appointments/appointment_form.html", context, status=status)


@login_required
@require_GET
def appointment_detail(request, pk: int):
    appointment = visible_appointment(request, pk)
    rights = appointment_rights(appointment, request.user, now=timezone.now())
    context = {"appointment": appointment, "rights": rights}
    return render(request, "appointments/appointment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, pk: int):
    """GET: the confirmation page (the no-JS step). POST: cancel, then back to the appointment."""
    appointment = visible_appointment(request, pk)
    if request.method == "GET":
        rights = appointment_rights(appointment, request.user, now=timezone.now())
        context = {"appointment": appointment, "rights": rights}
        return render(request, "appointments/appointment_cancel.html", context)
    try:
        services.appointment_cancel(appointment=appointment, by_user=request.user)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The appointment is cancelled; the time is free again.")
    return redirect("appointment_detail", pk=appointment.pk)
