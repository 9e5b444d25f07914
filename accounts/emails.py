"""Account e-mails through the outbox (notifications.OutboundEmail), like every other e-mail:
written to the database, sent and retried by the worker, listed in the admin.

A password reset request answers the same, with the same work, whatever the address: the view
only queues `password_reset_send(email)`; the worker looks the address up. So neither the
answer nor its timing tells whether an account uses that address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from notifications import outbox
from notifications.emails import RenderedEmail
from notifications.models import OutboundEmail
from notifications.services import delivery_enqueue

RESET_SUBJECT = "accounts/email/password_reset_subject.txt"
RESET_BODY = "accounts/email/password_reset.txt"


def queue_email(*, recipient: str, subject: str, body: str, kind: str) -> int:
    """One outbox row; the worker is asked to deliver it once the row is committed."""
    rendered = RenderedEmail(recipient, " ".join(subject.split()), body, "")
    email = outbox.outbox_build(rendered, kind=kind, now=timezone.now())
    email.save()
    transaction.on_commit(lambda: delivery_enqueue([email.pk]))
    return email.pk


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form whose e-mail goes into the outbox instead of straight to SMTP."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        queue_email(
            recipient=to_email,
            subject=render_to_string(subject_template_name, context),
            body=render_to_string(email_template_name, context),
            kind=OutboundEmail.Kind.PASSWORD_RESET,
        )


@task()
def password_reset_send(email: str) -> int:
    """In the worker: a reset link for each active account with this address (none if none)."""
    form = OutboxPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    with transaction.atomic():
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name=RESET_SUBJECT,
            email_template_name=RESET_BODY,
        )
    return len(list(form.get_users(email)))


def registration_notice(*, new_user, existing_users) -> None:
    """Registration never says an address is taken (that would tell anyone who has an account
    here). Instead the people who already use the address hear of the new account, and of the
    accounts they have, so a forgotten account or a stranger's sign-up does not go unnoticed."""
    for user in existing_users:
        body = render_to_string(
            "accounts/email/address_reused.txt",
            {"user": user, "new_user": new_user, "site_url": settings.SITE_URL},
        )
        queue_email(
            recipient=user.email,
            subject="A new Slotwise account uses your e-mail address",
            body=body,
            kind=OutboundEmail.Kind.ACCOUNT,
        )


def users_with_email(email: str, *, exclude_pk: int | None = None):
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    return users.exclude(pk=exclude_pk) if exclude_pk else users
