from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from appointments import selectors, services
from appointments.errors import BookingError
from appointments.forms import AppointmentForm
from appointments.models import Appointment


def visible_appointment(request, pk: int) -> Appointment:
    """The booker's or the provider's appointment; anyone else gets a 404."""
    queryset = Appointment.objects.select_related(
        "calendar", "calendar__provider", "user", "time_slot"
    )
    return get_object_or_404(
        queryset, Q(user=request.user) | Q(calendar__provider=request.user), pk=pk
    )


@login_required
def dashboard(request):
    now = timezone.now()
    mine = selectors.appointments_for_user(request.user)
    context = {
        "upcoming": mine.active().filter(start_time__gte=now)[:5],
        "notifications": request.user.notifications.all()[:5],
    }
    return render(request, "appointments/dashboard.html", context)


@login_required
def appointment_list(request):
    appointments = selectors.appointments_for_user(request.user).order_by("-start_time")
    return render(request, "appointments/appointment_list.html", {"appointments": appointments})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request):
    now = timezone.now()
    form = AppointmentForm(request.POST or None, user=request.user, now=now)
    error = None
    if request.method == "POST" and form.is_valid():
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
            messages.success(request, "Your appointment is booked.")
            return redirect("appointment_detail", pk=appointment.pk)
        form = AppointmentForm(request.POST, user=request.user, now=now)
        form.is_valid()
    status = 409 if error is not None and error.code == "taken" else 200
    context = {"form": form, "error": error}
    return render(request, "appointments/appointment_form.html", context, status=status)


@login_required
def appointment_detail(request, pk: int):
    appointment = visible_appointment(request, pk)
    return render(request, "appointments/appointment_detail.html", {"appointment": appointment})


@login_required
@require_POST
def appointment_cancel(request, pk: int):
    appointment = visible_appointment(request, pk)
    try:
        services.appointment_cancel(appointment=appointment, by_user=request.user)
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The appointment is cancelled; the time is free again.")
    return redirect("appointment_detail", pk=appointment.pk)
