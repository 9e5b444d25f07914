"""Proving an e-mail address: a signed link (no table, valid for three days) sent to the
account's address; opening it while signed in as that account, and confirming, marks the
address verified. A verified address is how guest bookings made with it show in the account's
list (`appointments.access`); an address that is changed afterwards is no longer verified.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from notifications.models import OutboundEmail

SALT = "accounts.email-verification"
MAX_AGE_DAYS = 3


class LinkError(Exception):
    """A verification link that cannot be used, with a sentence saying why; `not_found` when
    it is not a link of this account at all (the page is then a 404)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


def verified_email(user) -> str:
    """The account's address when it is verified (lower case), else ""."""
    profile = getattr(user, "profile", None)
    if profile is None or not profile.verified_email or not user.email:
        return ""
    verified = profile.verified_email.lower()
    return verified if verified == user.email.strip().lower() else ""


def verification_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email.strip().lower()}, salt=SALT)


def verification_send(user) -> bool:
    """Queue a link to the account's address; False when it has none or it is verified."""
    if not user.email or verified_email(user):
        return False
    url = settings.SITE_URL.rstrip("/") + reverse("email_verify", args=[verification_token(user)])
    body = render_to_string(
        "accounts/email/verify_email.txt",
        {"user": user, "url": url, "days": MAX_AGE_DAYS, "site_url": settings.SITE_URL},
    )
    emails.queue_email(
        recipient=user.email,
        subject="Confirm your e-mail address for Slotwise",
        body=body,
        kind=OutboundEmail.Kind.ACCOUNT,
    )
    return True


def token_email(token: str, user) -> str:
    """The address the link proves, for `user`; LinkError if the link is not theirs or is no
    longer good (expired, or the account's address has changed since it was sent)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise LinkError(
            "This link has expired. Send yourself a new one from your profile."
        ) from None
    except signing.BadSignature:
        raise LinkError("This link is not valid.", not_found=True) from None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        raise LinkError("This link is not valid.", not_found=True)
    if data.get("email") != user.email.strip().lower():
        raise LinkError(
            "This link was sent to an address your account no longer uses. Send yourself a new "
            "one from your profile."
        )
    return data["email"]


def email_verify(*, user, token: str, now: datetime | None = None) -> str:
    """Mark the account's address verified with the link's token; returns the address."""
    email = token_email(token, user)
    with transaction.atomic():
        profile = user.profile
        profile.verified_email, profile.email_verified_at = email, now or timezone.now()
        profile.save(update_fields=["verified_email", "email_verified_at"])
    return email
