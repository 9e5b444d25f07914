"""The privacy pages: a host's export and erasure of a booking's personal data, a person's
deletion of their own account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from appointments.access import appointment_rights, visible_appointment
from appointments.errors import BookingError
from appointments.guests import privacy


def hosted_appointment(request, pk: int):
    """One of the appointments the user hosts; the booker and anyone else get a 404."""
    appointment = visible_appointment(request, pk)
    if not appointment_rights(appointment, request.user, now=timezone.now()).is_host:
        raise Http404("Only the hosts of an appointment handle its booker's data.")
    return appointment


@login_required
@require_GET
def appointment_export(request, pk: int):
    appointment = hosted_appointment(request, pk)
    body = json.dumps(privacy.appointment_export(appointment), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{appointment.pk}.json"'
    return response


@login_required
@require_POST
def appointment_erase(request, pk: int):
    appointment = hosted_appointment(request, pk)
    try:
        privacy.booker_erase(appointment=appointment)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The booker's personal data is erased; the time stays.")
    return redirect("appointment_detail", pk=appointment.pk)
