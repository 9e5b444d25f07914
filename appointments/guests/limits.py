"""Rate limits on booking without an account (django-ratelimit, counted in the shared cache):
per client address and per e-mail address. A limited request books nothing and says why."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from appointments.errors import BookingError


def guest_booking_limited(request, email: str | None = None) -> BookingError | None:
    """Count this guest booking attempt; the refusal when a limit is reached, else None.
    `email` is the guest's address (default: the posted form's `email`)."""
    address = (request.POST.get("email", "") if email is None else email).strip().lower()[:254]

    def _email_key(group: str, request) -> str:
        return address

    by_address = is_ratelimited(
        request,
        group="guest-booking-address",
        key=settings.RATELIMIT_KEY,
        rate=settings.RATE_GUEST_BOOKING_ADDRESS,
        method="POST",
        increment=True,
    )
    by_email = bool(address) and is_ratelimited(
        request,
        group="guest-booking-email",
        key=_email_key,
        rate=settings.RATE_GUEST_BOOKING_EMAIL,
        method="POST",
        increment=True,
    )
    if not (by_address or by_email):
        return None
    return BookingError(
        "rate_limited",
        "Too many booking attempts in a short time, so this one was not taken: nothing was "
        "booked. Please wait an hour and try again, or contact the provider.",
    )
