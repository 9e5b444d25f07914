"""The outbox: e-mails are rows first, SMTP second.

An e-mail is written in the transaction of the event that causes it, then delivered by the worker:
it claims one message at a time with a conditional UPDATE (queued and due -> sending), hands it to
SMTP over a connection reused for the whole batch, and marks it sent as soon as the server accepts
it. A refused or failed attempt goes back to the queue with exponential backoff; after the last
attempt the message is marked failed, with the error, in the admin's outbox.

Delivery is at least once, never silently lost. The one window for a duplicate: a worker killed
after the SMTP server accepted a message and before the UPDATE that marks it sent (microseconds).
Its "sending" claim then goes stale and, after NOTIFY_CLAIM_TIMEOUT_SECONDS, another worker sends
that one message again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.utils import timezone

from notifications.emails import RenderedEmail, site_domain
from notifications.models import OutboundEmail

logger = logging.getLogger(__name__)
State = OutboundEmail.State
MAX_BACKOFF = timedelta(hours=6)
# Errors about one message; the connection is still good for the next one.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0

    def __iadd__(self, other: DeliveryReport) -> DeliveryReport:
        self.sent += other.sent
        self.failed += other.failed
        return self


def outbox_build(
    rendered: RenderedEmail,
    *,
    kind: str,
    appointment=None,
    reminder=None,
    ics: str = "",
    ics_method: str = "",
    now: datetime,
) -> OutboundEmail:
    """An unsaved outbox row (callers save one or bulk-create many)."""
    return OutboundEmail(
        recipient=rendered.recipient,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        ics=ics,
        ics_method=ics_method,
        message_id=make_msgid("slotwise", domain=site_domain()),
        kind=kind,
        appointment=appointment,
        reminder=reminder,
        next_attempt_at=now,
    )


def ics_part(text: str, method: str) -> MIMEText:
    # Built by hand: Django's attach() would drop the `method` parameter calendar clients need.
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def email_message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        connection=connection,
        headers={"Message-ID": email.message_id, "X-Slotwise-Kind": email.kind},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.ics:
        message.attach(ics_part(email.ics, email.ics_method or "PUBLISH"))
    return message


def deliverable(now: datetime) -> Q:
    """Queued and due, or claimed by a worker that has not finished within the claim timeout."""
    stale = now - timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT_SECONDS)
    return Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_at__lt=stale
    )


def outbox_claim_next(*, ids: list[int] | None = None) -> OutboundEmail | None:
    """Claim one deliverable message, or None. The UPDATE re-checks the condition, so of two
    workers reaching for one row exactly one gets it."""
    now = timezone.now()
    candidates = OutboundEmail.objects.filter(deliverable(now))
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    for pk in candidates.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:20]:
        claimed = OutboundEmail.objects.filter(deliverable(now), pk=pk).update(
            state=State.SENDING, claimed_at=now
        )
        if claimed:
            return OutboundEmail.objects.get(pk=pk)
    return None


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... times the base (a minute by default), at most six hours."""
    delay = timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return min(delay, MAX_BACKOFF)


def outbox_record_failure(email: OutboundEmail, error: BaseException) -> None:
    now = timezone.now()
    attempts = email.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    changes = {"attempts": attempts, "last_error": text, "claimed_at": None}
    if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        changes["state"] = State.FAILED
        logger.error("E-mail %s to %s failed for good: %s", email.pk, email.recipient, text)
    else:
        changes.update(state=State.QUEUED, next_attempt_at=now + backoff(attempts))
        logger.warning(
            "E-mail %s to %s: attempt %s failed: %s", email.pk, email.recipient, attempts, text
        )
    OutboundEmail.objects.filter(pk=email.pk, state=State.SENDING).update(**changes)


def outbox_send_one(email: OutboundEmail, connection) -> BaseException | None:
    """Send one claimed message; return the error if it was not accepted."""
    try:
        # Opened here, not by send(): send() closes a connection it opened itself, and one
        # connection for the whole batch is what makes delivery fast.
        connection.open()
        email_message(email, connection).send()
    except Exception as error:  # any failure leaves the message queued for a retry, never lost
        outbox_record_failure(email, error)
        return error
    OutboundEmail.objects.filter(pk=email.pk, state=State.SENDING).update(
        state=State.SENT, sent_at=timezone.now(), claimed_at=None, last_error=""
    )
    return None


def outbox_deliver(*, ids: list[int] | None = None, limit: int | None = None) -> DeliveryReport:
    """Deliver deliverable messages (only `ids`, if given) over one SMTP connection."""
    report = DeliveryReport()
    connection = get_connection(fail_silently=False)
    try:
        while limit is None or report.sent + report.failed < limit:
            email = outbox_claim_next(ids=ids)
            if email is None:
                break
            error = outbox_send_one(email, connection)
            if error is None:
                report.sent += 1
                continue
            report.failed += 1
            connection.close()
            if not isinstance(error, MESSAGE_ERRORS):
                break  # the server is down or the connection broke: the next tick tries again
    finally:
        connection.close()
    return report


def outbox_retry_now(emails, *, now: datetime | None = None) -> list[int]:
    """Admin "retry now": queued or failed messages become due at once (one more attempt)."""
    now = now or timezone.now()
    ids = list(emails.filter(state__in=[State.QUEUED, State.FAILED]).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=ids).update(state=State.QUEUED, next_attempt_at=now)
    return ids
