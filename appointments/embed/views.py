"""The booking page made to sit in an iframe on another site (issue 11, item 5).

The same page, forms and partials as /book/<slug>/ (appointments.booking), in a layout without
the site's navigation, with its own address so that every htmx request and form inside the
frame stays on it. Only these responses may be framed: they carry the CSP `frame-ancestors`
of EMBED_FRAME_ANCESTORS and no X-Frame-Options; the rest of the site keeps 'none' and DENY."""

from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.validators import time_zone_names
from appointments.booking.forms import BookSlotForm
from appointments.booking.page import BookingPage
from appointments.booking.views import (
    BOOKING_TEMPLATE,
    book_posted,
    bookable_calendar,
    changed,
    partial_or_page,
    refused,
)
from appointments.embed.messages import booked_details
from appointments.embed.tokens import form_token, token_fits
from appointments.errors import BookingError

LAYOUT = "appointments/embed/base.html"
NOT_FOUND_TEMPLATE = "appointments/embed/not_found.html"


def framable(view):
    """Let other sites frame the view's responses: CSP frame-ancestors from the setting (read
    on every request, so a changed setting needs no re-import) and no X-Frame-Options."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        allowed = {"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)}
        return csp_replace(allowed)(view)(request, *args, **kwargs)

    return xframe_options_exempt(wrapped)


def as_guest(request) -> None:
    """Treat the visitor as a guest, in the zone the frame's forms carry.

    In a cross-site frame the browser sends no SameSite=Lax cookie (session, CSRF, zone); on a
    site of the same origin it would, and then the signed-in person's session must not be used
    by a POST that no CSRF cookie protects. So the embed never acts for a session: a booker with
    an account books as a guest here (their own bookings list finds it by the confirmed e-mail)."""
    request.user = AnonymousUser()
    zone = request.POST.get("tz", "") if request.method == "POST" else ""
    if zone in time_zone_names():
        request.viewer_zone = zone
        timezone.activate(ZoneInfo(zone))  # TimezoneMiddleware deactivates it after the view


EXPIRED = BookingError(
    "expired",
    "This booking form is too old to be sent, so nothing was booked. The free times are "
    "refreshed: choose a time again.",
)


@framable
@csrf_exempt  # the form's signed token replaces the cookie (appointments.embed.tokens)
@require_http_methods(["GET", "POST"])
def embed_calendar(request, slug: str):
    as_guest(request)
    try:
        calendar = bookable_calendar(slug)
    except Http404:
        # Said inside the frame: the site's own 404 page may not be framed (the browser would
        # show the host page an error of its own instead).
        return render(request, NOT_FOUND_TEMPLATE, {"layout": LAYOUT}, status=404)
    url = reverse("embed_calendar", args=[slug])
    extra = {"layout": LAYOUT, "embed": True, "embed_token": form_token(calendar)}
    page = BookingPage(request, calendar, url=url, extra=extra)
    if request.method == "GET":
        return partial_or_page(request, BOOKING_TEMPLATE, page.context())
    if not token_fits(request.POST.get("embed_token", ""), calendar):
        return refused(request, page, BookSlotForm(request.POST), EXPIRED, BOOKING_TEMPLATE)
    appointment, refusal = book_posted(request, page)
    if refusal is not None:
        return refusal
    # Also without htmx the confirmation is shown here, not redirected to the guest's manage
    # page: that page is not framable, and the frame must stay on embed routes.
    context = {**page.context(booked=appointment), "booked_details": booked_details(appointment)}
    template = f"{BOOKING_TEMPLATE}#booking-response" if request.htmx else BOOKING_TEMPLATE
    return changed(render(request, template, context))
