"""A host answers a booking request: the accept and decline pages (linked from the host's
e-mail and from the appointment page). GET asks, POST answers; only the appointment's hosts get
here, anyone else (its booker included) gets a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from appointments.access import visible_appointments
from appointments.booking.services import REASON_MAX
from appointments.confirmation import services
from appointments.errors import BookingError


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional, the booker sees it)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def hosted_appointment(request, pk: int):
    return get_object_or_404(
        visible_appointments(request.user).filter(host_rows__user=request.user), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_accept(request, pk: int):
    appointment = hosted_appointment(request, pk)
    if request.method == "GET":
        return _answer_page(request, appointment, "accept")
    try:
        services.appointment_accept(appointment=appointment, by_user=request.user)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Accepted: the booking is confirmed and the booker is told.")
    return redirect("appointment_detail", pk=appointment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_decline(request, pk: int):
    appointment = hosted_appointment(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return _answer_page(request, appointment, "decline", form=form)
    try:
        services.appointment_decline(
            appointment=appointment, by_user=request.user, reason=form.cleaned_data["reason"]
        )
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Declined: the time is free again and the booker is told.")
    return redirect("appointment_detail", pk=appointment.pk)


def _answer_page(request, appointment, answer: str, form=None):
    expired = (
        appointment.request_expires_at is not None
        and appointment.request_expires_at <= timezone.now()
    )
    context = {
        "appointment": appointment,
        "answer": answer,
        "form": form or DeclineForm(),
        "expired": expired,
    }
    return render(request, "appointments/confirmation/answer.html", context)
