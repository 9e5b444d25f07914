"""Reads for bookers without an account: the booking a manage link names, an event type's
questions."""

from __future__ import annotations

from django.db.models import QuerySet

from appointments.guests.services import token_hash
from appointments.models import Appointment, BookingQuestion, Calendar


def appointment_by_link(uid, token: str) -> Appointment | None:
    """The appointment whose id and (valid) manage link the URL names, or None: an unknown or
    revoked token, or one of another booking."""
    if not token or len(token) > 100:
        return None
    return (
        Appointment.objects.filter(
            uid=uid,
            manage_links__token_hash=token_hash(token),
            manage_links__revoked_at=None,
        )
        .select_related("calendar", "calendar__provider", "user", "time_slot")
        .prefetch_related("host_rows__user", "answers")
        .first()
    )


def asked_questions(calendar: Calendar) -> QuerySet[BookingQuestion]:
    return calendar.questions.filter(removed_at=None).order_by("position", "pk")
