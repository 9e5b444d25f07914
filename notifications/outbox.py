"""The outbox: e-mails are rows first, SMTP second.

An e-mail is written in the transaction of the event that causes it, then delivered by the worker:
it claims a few messages at a time with a conditional UPDATE (queued and due -> sending), hands
them one by one to SMTP over a connection reused for the whole batch (up to
NOTIFY_SENDER_THREADS such senders at once), and marks each sent as soon as the server accepts
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
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.application import MIMEApplication
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import SafeMIMEMultipart
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from notifications.emails import RenderedEmail, site_domain
from notifications.models import OutboundEmail

logger = logging.getLogger(__name__)
State = OutboundEmail.State
MAX_BACKOFF = timedelta(hours=6)
# Messages claimed per UPDATE. A worker killed mid-chunk leaves the unsent rest claimed until the
# claim timeout: late, never duplicated.
CLAIM_CHUNK = 20
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


def new_message_id() -> str:
    """A Message-ID from the system's randomness (uuid4), not from the `random` module's state,
    which tests and other code may seed: two messages never share one."""
    return f"<{uuid.uuid4().hex}@{site_domain()}>"


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
        message_id=new_message_id(),
        kind=kind,
        appointment=appointment,
        reminder=reminder,
        next_attempt_at=now,
    )


def ics_part(text: str, method: str) -> MIMEText:
    """The calendar as a body part (RFC 6047 2.4): `text/calendar; method=...`, inline. Built
    by hand: Django's attach_alternative() cannot set the `method` parameter clients need."""
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", method)
    return part


def ics_attachment(text: str) -> MIMEApplication:
    """The same calendar as a file, for clients that only offer attachments (and for people
    who save it): `application/ics`, so no client takes it for a second invitation."""
    part = MIMEApplication(text.encode("utf-8"), "ics", name="invite.ics")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


class OutboxEmailMessage(EmailMultiAlternatives):
    """Django's message, with the calendar inside the alternatives and a UUID boundary.

    iMIP as Gmail, Outlook and Apple Mail read it (RFC 6047, CalConnect's iMIP guidance):
    multipart/mixed [multipart/alternative [text/plain, text/html, text/calendar], the .ics].
    Outlook looks for the invitation among the body's alternatives, not among attachments.

    Without a set boundary, the standard library's generator draws a random one and compiles a
    regular expression per message to check the body does not contain it: a tenth of the
    delivery CPU. A UUID cannot occur in our bodies by accident."""

    calendar: MIMEText | None = None

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if self.calendar is None:
            return msg
        if msg.get_content_type() != "multipart/alternative":
            encoding = self.encoding or settings.DEFAULT_CHARSET
            body, msg = msg, SafeMIMEMultipart(_subtype="alternative", encoding=encoding)
            msg.attach(body)
        msg.attach(self.calendar)
        return msg

    def message(self):
        mime = super().message()
        for part in mime.walk():
            if part.is_multipart():
                part.set_boundary(f"=_slotwise_{uuid.uuid4().hex}")
        return mime


def email_message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = OutboxEmailMessage(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        connection=connection,
        headers={"Message-ID": email.message_id, "X-Slotwise-Kind": email.kind},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.ics:
        message.calendar = ics_part(email.ics, email.ics_method or "PUBLISH")
        message.attach(ics_attachment(email.ics))
    return message


def deliverable(now: datetime) -> Q:
    """Queued and due, or claimed by a worker that has not finished within the claim timeout."""
    stale = now - timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT_SECONDS)
    return Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_at__lt=stale
    )


def claimable_pks(now: datetime, *, ids: list[int] | None, chunk: int) -> list[int]:
    """Abandoned claims first, then due messages; two queries so each uses its index."""
    stale = now - timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT_SECONDS)
    queries = [
        OutboundEmail.objects.filter(state=State.SENDING, claimed_at__lt=stale).order_by(
            "claimed_at"
        ),
        OutboundEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at"
        ),
    ]
    pks: list[int] = []
    for query in queries:
        if ids is not None:
            query = query.filter(pk__in=ids)
        pks += query.values_list("pk", flat=True)[: chunk - len(pks)]
        if len(pks) >= chunk:
            break
    return pks


def outbox_claim(*, ids: list[int] | None = None, chunk: int = CLAIM_CHUNK) -> list[OutboundEmail]:
    """Claim up to `chunk` deliverable messages. The UPDATE re-checks the condition, so of two
    workers reaching for one row exactly one gets it; the claim token tells us which we got."""
    now = timezone.now()
    pks = claimable_pks(now, ids=ids, chunk=chunk)
    if not pks:
        return []
    token = uuid.uuid4().hex
    OutboundEmail.objects.filter(deliverable(now), pk__in=pks).update(
        state=State.SENDING, claimed_at=now, claim_token=token
    )
    return list(OutboundEmail.objects.filter(pk__in=pks, claim_token=token).order_by("pk"))


def outbox_release(emails: list[OutboundEmail]) -> None:
    """Give back claimed messages this worker will not try now (no attempt is counted)."""
    for email in emails:
        OutboundEmail.objects.filter(
            pk=email.pk, state=State.SENDING, claim_token=email.claim_token
        ).update(state=State.QUEUED, claimed_at=None)


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
    OutboundEmail.objects.filter(
        pk=email.pk, state=State.SENDING, claim_token=email.claim_token
    ).update(**changes)


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
    # Marked sent the moment the server accepted it: this is the whole at-least-once window.
    outbox_mark_sent(email)
    return None


# Hand-written because it runs once per message on the delivery hot path, where building the
# same UPDATE with the ORM costs about a tenth of the message's whole CPU time.
MARK_SENT_SQL = (
    "UPDATE notifications_outboundemail SET state = %s, sent_at = %s, claimed_at = NULL,"
    " last_error = '' WHERE id = %s AND state = %s AND claim_token = %s"
)


def outbox_mark_sent(email: OutboundEmail) -> None:
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [State.SENT.value, sent_at, email.pk, State.SENDING.value, email.claim_token]
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT_SQL, params)


def outbox_deliver(*, ids: list[int] | None = None, limit: int | None = None) -> DeliveryReport:
    """Deliver deliverable messages (only `ids`, if given) over one SMTP connection."""
    report = DeliveryReport()
    connection = get_connection(fail_silently=False)
    try:
        while limit is None or report.sent + report.failed < limit:
            room = (
                CLAIM_CHUNK
                if limit is None
                else min(CLAIM_CHUNK, limit - report.sent - report.failed)
            )
            claimed = outbox_claim(ids=ids, chunk=room)
            if not claimed or not outbox_send_chunk(claimed, connection, report):
                break
    finally:
        connection.close()
    return report


def outbox_send_chunk(claimed: list[OutboundEmail], connection, report: DeliveryReport) -> bool:
    """Send claimed messages in order; False if the server is down or the connection broke."""
    for index, email in enumerate(claimed):
        error = outbox_send_one(email, connection)
        if error is None:
            report.sent += 1
            continue
        report.failed += 1
        connection.close()
        if not isinstance(error, MESSAGE_ERRORS):
            outbox_release(claimed[index + 1 :])  # the next tick tries them again
            return False
    return True


def outbox_drain() -> DeliveryReport:
    """Send everything deliverable, over up to NOTIFY_SENDER_THREADS SMTP connections at once.

    Most of a message's time is spent waiting for the SMTP server's four replies; parallel
    senders overlap those waits (the claims keep them apart). Inside a transaction (tests) the
    other threads' connections could not see our rows, so we send from this thread alone.
    """
    waiting = OutboundEmail.objects.filter(deliverable(timezone.now())).count()
    senders = min(settings.NOTIFY_SENDER_THREADS, -(-waiting // CLAIM_CHUNK))
    if senders <= 1 or connection.in_atomic_block:
        return outbox_deliver()
    reports = [DeliveryReport() for _ in range(senders)]
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_sender, args=(r, errors)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    total = DeliveryReport()
    for report in reports:
        total += report
    return total


def _sender(report: DeliveryReport, errors: list[BaseException]) -> None:
    try:
        report += outbox_deliver()
    except BaseException as error:  # re-raised by the caller: a thread must not swallow it
        errors.append(error)
    finally:
        connections.close_all()  # this thread's own database connections


def outbox_retry_now(emails, *, now: datetime | None = None) -> list[int]:
    """Admin "retry now": queued or failed messages become due at once (one more attempt)."""
    now = now or timezone.now()
    ids = list(emails.filter(state__in=[State.QUEUED, State.FAILED]).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=ids).update(state=State.QUEUED, next_attempt_at=now)
    return ids
