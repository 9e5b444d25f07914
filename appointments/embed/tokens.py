"""The embed booking form's token: the stand-in for Django's CSRF cookie inside a cross-site frame.

A frame on another site gets no SameSite=Lax cookie, neither the CSRF cookie nor the session, so
Django's CSRF check would refuse every booking made in it (403). The embed never acts for a
signed-in person (its views treat every visitor as a guest), so there is no ambient authority a
forged request could borrow; what the token keeps is the rest of the CSRF check's promise: the
POST comes from a booking form this server rendered, for this event type, not long ago."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "slotwise.embed.booking-form"


def form_token(calendar) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(calendar.pk))


def token_fits(token: str, calendar) -> bool:
    """Whether `token` was signed here for `calendar` within EMBED_FORM_MAX_AGE seconds."""
    try:
        signed_for = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.EMBED_FORM_MAX_AGE
        )
    except signing.BadSignature:  # also SignatureExpired
        return False
    return signed_for == str(calendar.pk)
