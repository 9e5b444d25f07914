"""The booking pages: the calendars open for booking, a calendar's public page (month, day, book),
rescheduling, and the add-to-calendar download. One view per page; an htmx request to the same URL
gets the inline partial named after the DOM id it replaces."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event

from appointments.access import appointment_rights, visible_appointment
from appointments.booking import selectors as booking_selectors
from appointments.booking.forms import BookSlotForm, RescheduleForm
from appointments.booking.page import BookingPage, choose_and_book, choose_and_reschedule
from appointments.errors import BookingError
from appointments.guests.forms import BookerForm
from appointments.guests.limits import guest_booking_limited
from appointments.guests.selectors import asked_questions
from appointments.guests.services import manage_path
from appointments.models import Calendar
from calendars.events import appointment_ics as appointment_ics_file

PAGE_PARTIALS = {"month-calendar", "booking-panel"}
BOOKING_TEMPLATE = "appointments/booking.html"
MAX_LISTED = 50  # calendars on one page of /book/; the search narrows them down


def partial_or_page(request, template: str, context: dict) -> HttpResponse:
    target = request.htmx.target if request.htmx else None
    if target in PAGE_PARTIALS:
        return render(request, f"{template}#{target}", context)
    return render(request, template, context)


@require_GET
def book_index(request):
    search = request.GET.get("q", "").strip()[:100]
    calendars = booking_selectors.bookable_calendars(search=search)[:MAX_LISTED]
    listed = booking_selectors.with_next_free_time(calendars, now=timezone.now())
    context = {"calendars": listed, "search": search}
    if request.htmx and request.htmx.target == "calendar-results":
        return render(request, "appointments/booking_index.html#calendar-results", context)
    return render(request, "appointments/booking_index.html", context)


def bookable_calendar(slug: str) -> Calendar:
    """The event type at `slug` if it takes bookings; else a 404."""
    return get_object_or_404(
        Calendar.objects.select_related("provider", "team"),
        slug=slug,
        is_active=True,
        archived_at=None,
    )


@require_http_methods(["GET", "POST"])
def book_calendar(request, slug: str):
    calendar = bookable_calendar(slug)
    page = BookingPage(request, calendar, url=reverse("book_calendar", args=[slug]))
    if request.method == "GET":
        return partial_or_page(request, BOOKING_TEMPLATE, page.context())
    appointment, refusal = book_posted(request, page)
    if refusal is not None:
        return refusal
    if not request.htmx:
        messages.success(request, booked_message(appointment))
        if appointment.is_guest:
            return redirect(manage_path(appointment, appointment.manage_token))
        return redirect("appointment_detail", pk=appointment.pk)
    context = page.context(booked=appointment)
    response = render(request, f"{BOOKING_TEMPLATE}#booking-response", context)
    return changed(response)


def book_posted(request, page: BookingPage, template: str = BOOKING_TEMPLATE):
    """Book the time the POSTed forms name on `page`'s calendar, for the signed-in user or the
    guest they describe: (the appointment, None), or (None, the refusal's response)."""
    form = BookSlotForm(request.POST)
    booker_form = BookerForm(
        request.POST, questions=asked_questions(page.calendar), user=request.user
    )
    limited = None if request.user.is_authenticated else guest_booking_limited(request)
    if limited is not None:
        return None, refused(request, page, form, limited, template, booker_form=booker_form)
    try:
        appointment = choose_and_book(
            form,
            booker_form,
            user=request.user,
            calendar=page.calendar,
            now=page.now,
            zone=page.zone.key,
        )
    except BookingError as refusal:
        return None, refused(request, page, form, refusal, template, booker_form=booker_form)
    return appointment, None


def booked_message(appointment) -> str:
    if appointment.is_requested:
        return "Your booking is requested, waiting for the host's answer; the time is held."
    return "Your appointment is booked."


def changed(response: HttpResponse) -> HttpResponse:
    """Tell the page's listeners (nav badge, dashboard parts) that bookings and notifications changed."""
    response = trigger_client_event(response, "notifications-changed")
    return trigger_client_event(response, "appointments-changed")


def refused(
    request, page: BookingPage, form, refusal: BookingError, template: str, booker_form=None
):
    """The refusal shown where the booker is: the panel (htmx) or the whole page; 200 so htmx swaps it."""
    context = page.context(form=form, booker_form=booker_form, refusal=refusal)
    if request.htmx:
        return render(request, f"{template}#booking-panel", context)
    status = {"taken": 409, "rate_limited": 429}.get(refusal.code, 200)
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_reschedule(request, pk: int):
    appointment = visible_appointment(request, pk)
    url = reverse("appointment_reschedule", args=[pk])
    page = BookingPage(request, appointment.calendar, url=url, moving=appointment)
    template = "appointments/reschedule.html"
    if request.method == "GET":
        return partial_or_page(request, template, page.context())
    form = RescheduleForm(request.POST)
    try:
        moved = choose_and_reschedule(
            form, appointment=appointment, user=request.user, now=page.now
        )
    except BookingError as refusal:
        return refused(request, page, form, refusal, template)
    if not request.htmx:
        messages.success(request, "Your appointment has been moved.")
        return redirect("appointment_detail", pk=moved.pk)
    response = render(request, f"{template}#booking-response", page.context(booked=moved))
    return changed(response)


@login_required
@require_GET
def appointment_ics(request, pk: int):
    appointment = visible_appointment(request, pk)
    rights = appointment_rights(appointment, request.user, now=timezone.now())
    if not rights.can_add_to_calendar:
        raise Http404("A cancelled or requested appointment has nothing to add to a calendar.")
    response = HttpResponse(
        appointment_ics_file(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response
