"""The pages of a booking's private manage link: view, move, cancel (with a reason for the
hosts), download the calendar file. Anyone holding the link is its booker; an unknown, revoked
or mismatched token is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.access import appointment_rights
from appointments.booking import services
from appointments.booking.forms import RescheduleForm
from appointments.booking.page import BookingPage, choose_and_reschedule
from appointments.booking.views import changed, partial_or_page, refused
from appointments.errors import BookingError
from appointments.guests.forms import CancelForm
from appointments.guests.selectors import appointment_by_link
from appointments.guests.services import manage_path
from calendars.events import appointment_ics as appointment_ics_file


def _linked(uid, token: str):
    appointment = appointment_by_link(uid, token)
    if appointment is None:
        raise Http404("No booking has this link.")
    return appointment


@require_GET
def booking_manage(request, uid, token: str):
    appointment = _linked(uid, token)
    holder = appointment.link_holder()
    context = {
        "appointment": appointment,
        "rights": appointment_rights(appointment, holder, now=timezone.now()),
        "manage_url": manage_path(appointment, token),
        "token": token,
        "cancel_form": CancelForm(),
    }
    return render(request, "appointments/guests/manage.html", context)


@require_POST
def booking_manage_cancel(request, uid, token: str):
    appointment = _linked(uid, token)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", ["Check the reason."])))
        return redirect(manage_path(appointment, token))
    try:
        services.appointment_cancel(
            appointment=appointment,
            by_user=appointment.link_holder(),
            reason=form.cleaned_data["reason"],
        )
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The appointment is cancelled; the time is free again.")
    return redirect(manage_path(appointment, token))


@require_http_methods(["GET", "POST"])
def booking_manage_reschedule(request, uid, token: str):
    appointment = _linked(uid, token)
    holder = appointment.link_holder()
    back = manage_path(appointment, token)
    url = f"{back}reschedule/"
    page = BookingPage(
        request, appointment.calendar, url=url, moving=appointment, actor=holder, back_url=back
    )
    template = "appointments/reschedule.html"
    if request.method == "GET":
        return partial_or_page(request, template, page.context())
    form = RescheduleForm(request.POST)
    try:
        moved = choose_and_reschedule(form, appointment=appointment, user=holder, now=page.now)
    except BookingError as refusal:
        return refused(request, page, form, refusal, template)
    if not request.htmx:
        messages.success(request, "Your appointment has been moved.")
        return redirect(back)
    response = render(request, f"{template}#booking-response", page.context(booked=moved))
    return changed(response)


@require_GET
def booking_manage_ics(request, uid, token: str):
    appointment = _linked(uid, token)
    if not appointment.is_confirmed:  # a request gets its calendar file once accepted
        raise Http404("A cancelled appointment has nothing to add to a calendar.")
    response = HttpResponse(
        appointment_ics_file(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response
