"""Privacy of bookers: a host exports a booking's data, erases a past booker's personal data
(the time stays for the history). Deleting an account (accounts.services) anonymises the
bookings the person made the same way."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from appointments.errors import BookingError
from appointments.models import Appointment, Occupation

ERASED_NAME = "Erased booker"


def appointment_export(appointment: Appointment) -> dict:
    """Everything the booking holds about its booker, as plain values (a JSON download)."""
    return {
        "appointment": {
            "uid": str(appointment.uid),
            "event_type": appointment.calendar.name,
            "start": appointment.start_time.isoformat(),
            "end": appointment.end_time.isoformat(),
            "status": appointment.status,
            "booked_at": appointment.created_at.isoformat(),
            "cancelled_at": appointment.cancelled_at.isoformat()
            if appointment.cancelled_at
            else None,
            "hosts": [
                host.get_full_name() or host.get_username() for host in appointment.host_users
            ],
        },
        "booker": {
            "name": appointment.contact_name,
            "email": appointment.contact_email,
            "phone": appointment.contact_phone,
            "time_zone": appointment.contact_time_zone,
            "has_account": appointment.user_id is not None,
        },
        "note": appointment.description,
        "cancel_reason": appointment.cancel_reason,
        "answers": [{"question": a.label, "answer": a.value} for a in appointment.answers.all()],
    }


def booking_anonymise(appointment: Appointment) -> None:
    """Name and e-mail replaced, everything else the booker said removed; times and hosts kept."""
    appointment.user = None
    appointment.contact_name = ERASED_NAME
    appointment.contact_email = ""
    appointment.contact_phone = ""
    appointment.contact_time_zone = ""
    appointment.description = ""
    appointment.cancel_reason = ""
    appointment.save()
    appointment.answers.all().delete()
    appointment.manage_links.all().delete()
    # The booker's own occupation row; hosts keep theirs (the time stays theirs in history).
    Occupation.objects.filter(appointment=appointment, is_host=False).delete()
    # The e-mails kept in the outbox carry the booker's name and address; those still on
    # their way (a cancellation just made, say) go out first.
    appointment.outbound_emails.exclude(sent_at=None).delete()


def booker_erase(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """A host erases the personal data of a past (or cancelled) booking's booker."""
    now = now or timezone.now()
    if appointment.is_active and appointment.end_time > now:
        raise BookingError(
            "not_past",
            "Only a past or cancelled booking can be erased; cancel it first if it must go.",
        )
    with transaction.atomic():
        booking_anonymise(appointment)
    return appointment
