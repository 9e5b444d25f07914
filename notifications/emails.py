"""What an e-mail about an appointment says: rendered once, for one recipient, in their zone.

The rendered message is stored in the outbox (see outbox.py) inside the transaction of the event,
so what is sent is exactly what was true when the event happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from appointments.guests.services import manage_link_issue, manage_url
from appointments.models import Appointment
from calendars.events import appointment_url


@dataclass(frozen=True)
class RenderedEmail:
    recipient: str
    subject: str
    body_text: str
    body_html: str


def recipient_zone_name(user, appointment: Appointment) -> str:
    """The recipient's own zone if their profile names one, else the event type's zone."""
    profile = getattr(user, "profile", None)
    return (profile.time_zone if profile else "") or appointment.calendar.zone.key


def local_time_text(instant: datetime, zone_name: str) -> str:
    local = timezone.localtime(instant, ZoneInfo(zone_name))
    return f"{local:%A %d %B %Y, %H:%M} ({zone_name}, UTC{local:%z})"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def email_context(appointment: Appointment, recipient, **extra) -> dict:
    zone_name = recipient_zone_name(recipient, appointment)
    calendar = appointment.calendar
    is_provider = appointment.is_hosted_by(recipient)
    local_start = timezone.localtime(appointment.start_time, ZoneInfo(zone_name))
    other = appointment.booker if is_provider else appointment.organizer
    context = {
        "appointment": appointment,
        "calendar": calendar,
        "recipient_name": display_name(recipient),
        "is_provider": is_provider,
        "other_name": display_name(other),
        "other_email": other.email,
        "zone_name": zone_name,
        "when": local_time_text(appointment.start_time, zone_name),
        "when_short": f"{local_start:%a %d %b, %H:%M} ({zone_name})",
        "ends": f"{timezone.localtime(appointment.end_time, ZoneInfo(zone_name)):%H:%M}",
        "url": appointment_url(appointment),
        "has_account": recipient.pk is not None,
        "site_url": settings.SITE_URL,
        # Hosts only: the answers to the event type's questions, the booker's phone and reason.
        "answers": list(appointment.answers.all()) if is_provider else [],
        "contact_phone": appointment.contact_phone if is_provider else "",
        "cancel_reason": appointment.cancel_reason if is_provider else "",
    }
    if appointment.is_requested and appointment.request_expires_at is not None:
        context["answer_by"] = local_time_text(appointment.request_expires_at, zone_name)
    if not is_provider:
        context["manage_url"] = booker_manage_url(appointment)
        context["change_policy"] = calendar.change_policy
    if (previous_start := extra.pop("previous_start", None)) is not None:
        context["previous_when"] = local_time_text(previous_start, zone_name)
    if (by_user := extra.pop("by_user", None)) is not None:
        context["by_name"] = "you" if by_user.pk == recipient.pk else display_name(by_user)
    return {**context, **extra}


def booker_manage_url(appointment: Appointment) -> str:
    """The private manage link of the booker's e-mail: the booking's first one while the
    booking transaction runs (the confirmation page shows the same), else a new one."""
    token = getattr(appointment, "manage_token", None) or manage_link_issue(appointment)
    return manage_url(appointment, token)


def render_email(kind: str, context: dict, *, recipient: str) -> RenderedEmail:
    base = f"notifications/email/{kind}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    return RenderedEmail(
        recipient=recipient,
        subject=subject[:255],
        body_text=render_to_string(f"{base}.txt", context).strip() + "\n",
        body_html=render_to_string(f"{base}.html", context),
    )
