"""Who may see an appointment and what they may do with it: one place for the pages, the views
and the services, so that a page never offers what its view or the service then refuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.verification import verified_email
from appointments.models import Appointment, AppointmentHost, Guest
from appointments.models.event_types import duration_text


@dataclass(frozen=True)
class Rights:
    is_booker: bool
    is_host: bool
    can_cancel: bool
    can_reschedule: bool
    why_not: str  # for people, when the appointment can no longer be changed
    is_confirmed: (
        bool  # only a confirmed booking has a calendar file (not a request, not cancelled)
    )

    @property
    def can_view(self) -> bool:
        return self.is_booker or self.is_host

    @property
    def can_add_to_calendar(self) -> bool:
        return self.can_view and self.is_confirmed


def appointment_rights(appointment: Appointment, user, *, now: datetime) -> Rights:
    """What `user` may do with `appointment` at `now`: its booker and its hosts may cancel or
    move it while it is active and has not started."""
    # The manage link's holder (a Guest naming this appointment) is its booker, account or not.
    # So is an account whose confirmed address made it as a guest.
    is_booker = (
        (user.is_authenticated and appointment.user_id == user.pk)
        or (isinstance(user, Guest) and user.appointment_pk == appointment.pk)
        or (appointment.user_id is None and _claims(user, appointment.contact_email))
    )
    is_host = user.is_authenticated and appointment.is_hosted_by(user)
    why_not = ""
    if appointment.status == Appointment.Status.DECLINED:
        why_not = "This booking request was declined."
    elif not appointment.is_active:
        why_not = "This appointment is cancelled."
    elif appointment.start_time <= now:
        why_not = "This appointment has already started; it can no longer be changed."
    elif (
        is_booker
        and not is_host
        and appointment.start_time - now < appointment.calendar.change_notice
    ):
        why_not = late_change_text(appointment)
    may_change = (is_booker or is_host) and not why_not
    # A request cannot be moved (see appointment_reschedule), only cancelled.
    return Rights(
        is_booker,
        is_host,
        may_change,
        may_change and not appointment.is_requested,
        why_not,
        appointment.status == Appointment.Status.CONFIRMED,
    )


def late_change_text(appointment: Appointment) -> str:
    """Inside the cancellation policy's notice: whom the booker contacts instead."""
    organizer = appointment.organizer
    name = organizer.get_full_name() or organizer.get_username()
    contact = f"{name} ({organizer.email})" if organizer.email else name
    notice = duration_text(appointment.calendar.change_notice_minutes)
    return (
        f"This appointment starts within {notice}: it can no longer be cancelled or moved online. "
        f"Please contact {contact} instead."
    )


def _claims(user, contact_email: str) -> bool:
    if isinstance(user, Guest) or not user.is_authenticated or not contact_email:
        return False
    return verified_email(user) == contact_email.lower()


def involving(user) -> Q:
    """Appointments the user booked or hosts (as a filter, so callers can add to it), and the
    guest bookings made with their confirmed e-mail address."""
    hosted = AppointmentHost.objects.filter(appointment=OuterRef("pk"), user=user)
    found = Q(user=user) | Q(Exists(hosted))
    email = verified_email(user)
    return found | Q(user=None, contact_email=email) if email else found


def visible_appointments(user) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(involving(user))
        .select_related("calendar", "calendar__provider", "user", "time_slot")
        .prefetch_related("host_rows__user")
    )


def visible_appointment(request, pk: int) -> Appointment:
    """The booker's or a host's appointment; anyone else gets a 404."""
    return get_object_or_404(visible_appointments(request.user), pk=pk)
