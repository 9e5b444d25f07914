"""Account writes that touch other people's history: deleting an account anonymises it."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appointments.booking import services as booking_services
from appointments.errors import BookingError
from appointments.guests.privacy import booking_anonymise
from appointments.models import (
    Appointment,
    Calendar,
    Host,
    Membership,
    Schedule,
    TeamInvitation,
)

DELETED_FIRST_NAME = "Deleted"
DELETED_LAST_NAME = "account"


def deleted_username(user) -> str:
    return f"deleted-{user.pk}"


def is_deleted(user) -> bool:
    return user.get_username() == deleted_username(user)


def account_delete(*, user, now: datetime | None = None) -> list[Appointment]:
    """Delete a person's account without deleting anyone's history.

    Their appointments to come are cancelled through the booking rules (everyone else involved
    is told, calendars written back); their event types are turned off; the bookings they
    made are anonymised like an erased guest's (contact details, answers, notes, links); their
    personal data (name, e-mail, phone, calendars they connected, their feed address,
    memberships) is removed; the user row stays, anonymised and unable to sign in, so that the hosts' and
    clients' past appointments keep their times. Returns the appointments cancelled."""
    now = now or timezone.now()
    cancelled = []
    upcoming = (
        Appointment.objects.active()
        .involving(user)
        .filter(end_time__gt=now)
        .select_related("calendar")
        .order_by("start_time")
    )
    for appointment in upcoming:
        try:
            cancelled.append(
                booking_services.appointment_cancel(appointment=appointment, by_user=user, now=now)
            )
        except BookingError:
            continue  # started already: it stays in history as it is
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        # The bookings they made keep their times in the hosts' history, without their details.
        for appointment in Appointment.objects.filter(user=user):
            booking_anonymise(appointment)
        Calendar.objects.filter(provider=user, team=None, archived_at=None).update(
            is_active=False, archived_at=now
        )
        Host.objects.filter(user=user, calendar__team__isnull=False).delete()
        Schedule.objects.filter(owner=user, event_types=None).delete()
        Membership.objects.filter(user=user).delete()
        TeamInvitation.objects.filter(user=user).delete()
        user.busy_sources.all().delete()
        user.busy_blocks.all().delete()
        user.notifications.all().delete()
        if hasattr(user, "feed_token"):
            user.feed_token.delete()
        user.username = deleted_username(user)
        user.first_name, user.last_name = DELETED_FIRST_NAME, DELETED_LAST_NAME
        user.email = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        profile = getattr(user, "profile", None)
        if profile is not None:
            profile.phone_number = ""
            profile.email_reminders = False
            profile.save(update_fields=["phone_number", "email_reminders"])
    return cancelled
