"""Writes for bookers without an account: the private manage links of a booking, the answers
to an event type's questions, and the questions themselves (the provider's editor)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, BookingAnswer, BookingQuestion, Calendar, ManageLink
from calendars.text import calendar_text


@dataclass(frozen=True)
class Answer:
    """A validated answer, as the text hosts read (several choices joined by commas)."""

    question: BookingQuestion
    value: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def manage_link_issue(appointment: Appointment) -> str:
    """A new private link for the appointment; returns its token, of which only the hash is
    kept. Every e-mail to the booker carries its own; all stay valid until revoked."""
    token = secrets.token_urlsafe(32)
    ManageLink.objects.create(appointment=appointment, token_hash=token_hash(token))
    return token


def manage_path(appointment: Appointment, token: str) -> str:
    return reverse("booking_manage", args=[appointment.uid, token])


def manage_url(appointment: Appointment, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + manage_path(appointment, token)


def manage_links_revoke(appointment: Appointment, *, now: datetime | None = None) -> int:
    return appointment.manage_links.filter(revoked_at=None).update(revoked_at=now or timezone.now())


def answers_record(appointment: Appointment, answers: Sequence[Answer]) -> None:
    BookingAnswer.objects.bulk_create(
        BookingAnswer(
            appointment=appointment,
            question=answer.question,
            position=answer.question.position,
            label=answer.question.label,
            value=calendar_text(answer.value),  # answers go into e-mails and calendar files
        )
        for answer in answers
        if answer.value != ""
    )


# The provider's editor: add, move, remove.


def question_add(*, calendar: Calendar, **fields) -> BookingQuestion:
    with transaction.atomic():
        last = calendar.questions.aggregate(last=Max("position"))["last"]
        return BookingQuestion.objects.create(calendar=calendar, position=(last or 0) + 1, **fields)


def question_move(*, question: BookingQuestion, up: bool) -> None:
    """Swap the question with its neighbour above (or below) among the questions still asked."""
    with transaction.atomic():
        asked = list(
            BookingQuestion.objects.select_for_update()
            .filter(calendar_id=question.calendar_id, removed_at=None)
            .order_by("position", "pk")
        )
        index = next(i for i, q in enumerate(asked) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(asked):
            return
        asked[index], asked[other] = asked[other], asked[index]
        for position, each in enumerate(asked, start=1):
            if each.position != position:
                each.position = position
                each.save(update_fields=["position"])


def question_remove(*, question: BookingQuestion, now: datetime | None = None) -> None:
    """No longer asked; the answers already given keep it."""
    question.removed_at = now or timezone.now()
    question.save(update_fields=["removed_at"])


def policy_update(
    *,
    calendar: Calendar,
    change_notice_minutes: int,
    requires_confirmation: bool | None = None,
    confirmation_hours: int | None = None,
) -> None:
    """The event type's booking policy: the notice for changes and host confirmation (requests
    already made keep the answer time they were given)."""
    calendar.change_notice_minutes = change_notice_minutes
    fields = ["change_notice_minutes"]
    if requires_confirmation is not None:
        calendar.requires_confirmation = requires_confirmation
        fields.append("requires_confirmation")
    if confirmation_hours is not None:
        calendar.confirmation_hours = confirmation_hours
        fields.append("confirmation_hours")
    calendar.save(update_fields=fields)
