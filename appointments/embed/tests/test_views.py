"""The embeddable booking page: the layout without the site, the headers that let only it be
framed, the guest booking with the signed form token instead of the CSRF cookie."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from appointments.booking import services
from appointments.embed.tests.conftest import WED_9
from appointments.embed.tokens import form_token
from appointments.models import Appointment
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "booking-panel"}


def embed_url(calendar) -> str:
    return reverse("embed_calendar", args=[calendar.slug])


def guest_data(calendar, **extra) -> dict:
    data = {
        "slot": f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}",
        "day": "2026-11-25",
        "name": "Grace Guest",
        "email": "grace@example.org",
        "description": "Knee",
        "website": "",
        "tz": "Europe/Paris",
        "embed_token": form_token(calendar),
    }
    return {**data, **extra}


@pytest.fixture
def strict_client() -> Client:
    """A browser in a cross-site frame: CSRF is checked, and it holds no cookie of ours."""
    return Client(enforce_csrf_checks=True)


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if "frame-ancestors" in part)


def test_the_embed_page_has_the_booking_page_without_the_site_navigation(client, open_calendar):
    response = client.get(embed_url(open_calendar) + "?day=2026-11-25")

    assert response.status_code == 200
    assert open_calendar.name in response.text
    assert 'class="bk-slot"' in response.text
    assert "site-header" not in response.text
    assert "site-footer" not in response.text
    assert 'aria-label="Main"' not in response.text
    assert "All calendars" not in response.text
    assert "Log in" not in response.text  # the frame always books as a guest
    assert "embed-frame.js" in response.text


def test_every_form_and_htmx_request_of_the_embed_stays_on_embed_routes(client, open_calendar):
    response = client.get(embed_url(open_calendar) + "?day=2026-11-25")

    book_path = reverse("book_calendar", args=[open_calendar.slug])
    assert book_path not in response.text
    targets = re.findall(r'(?:action|hx-get|hx-post)="([^"?]*)', response.text)
    assert targets
    assert set(targets) == {embed_url(open_calendar)}


def test_the_day_switch_partial_carries_the_embed_token_and_links(client, open_calendar):
    response = client.get(embed_url(open_calendar) + "?day=2026-11-25", **HTMX)

    assert response.text.startswith('<div id="booking-panel"')
    assert 'name="embed_token"' in response.text
    assert 'name="csrfmiddlewaretoken"' not in response.text
    assert f'hx-post="{embed_url(open_calendar)}"' in response.text


def test_only_embed_responses_may_be_framed(client, open_calendar):
    embed = client.get(embed_url(open_calendar))
    booking = client.get(reverse("book_calendar", args=[open_calendar.slug]))

    assert frame_ancestors(embed) == "frame-ancestors *"
    assert "X-Frame-Options" not in embed
    assert frame_ancestors(booking) == "frame-ancestors 'none'"
    assert booking["X-Frame-Options"] == "DENY"


def test_a_booking_response_of_the_embed_may_be_framed_too(strict_client, open_calendar):
    response = strict_client.post(embed_url(open_calendar), guest_data(open_calendar), **HTMX)

    assert frame_ancestors(response) == "frame-ancestors *"
    assert "X-Frame-Options" not in response


def test_the_sites_that_may_frame_it_come_from_the_setting(client, open_calendar, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://example.org", "https://*.example.org"]

    response = client.get(embed_url(open_calendar))

    assert frame_ancestors(response) == "frame-ancestors https://example.org https://*.example.org"


@pytest.mark.parametrize("state", ["unknown", "inactive", "archived"])
def test_an_event_type_not_taking_bookings_is_a_404(client, open_calendar, state, frozen_now):
    slug = open_calendar.slug
    if state == "unknown":
        slug = "no-such-event-type"
    elif state == "inactive":
        open_calendar.is_active = False
        open_calendar.save()
    else:
        open_calendar.archived_at = frozen_now
        open_calendar.save()

    page = client.get(reverse("embed_calendar", args=[slug]))
    booking = client.post(reverse("embed_calendar", args=[slug]), guest_data(open_calendar))

    assert (page.status_code, booking.status_code) == (404, 404)
    assert "This booking page is not taking bookings" in page.text
    assert frame_ancestors(page) == "frame-ancestors *"  # said inside the frame
    assert Appointment.objects.count() == 0


def test_a_guest_books_in_the_frame_without_any_cookie(strict_client, open_calendar):
    response = strict_client.post(embed_url(open_calendar), guest_data(open_calendar))

    appointment = Appointment.objects.get()
    assert (appointment.user, appointment.contact_email) == (None, "grace@example.org")
    assert appointment.start_time == WED_9
    assert appointment.contact_time_zone == "Europe/Paris"  # the zone the frame showed
    # Without htmx too the confirmation stays in the frame: the manage page cannot be framed.
    assert response.status_code == 200
    assert "You're booked" in response.text
    assert "site-header" not in response.text


def test_the_confirmation_carries_the_public_details_for_the_parent_page(
    strict_client, open_calendar
):
    response = strict_client.post(embed_url(open_calendar), guest_data(open_calendar), **HTMX)

    found = re.search(
        r'<script id="slotwise-booked" type="application/json">(.*?)</script>', response.text
    )
    details = json.loads(found.group(1))
    assert details == {
        "event_type": open_calendar.name,
        "event_type_slug": open_calendar.slug,
        "status": "confirmed",
        "start": "2026-11-25T09:00:00+00:00",
        "end": "2026-11-25T09:30:00+00:00",
        "time_zone": "Europe/Paris",
    }
    appointment = Appointment.objects.get()
    manage_link = re.search(r'href="(/booking/[^"]+)" target="_blank"', response.text)
    assert manage_link  # the private link opens outside the frame, and is not in the message
    assert str(appointment.uid) not in found.group(1)
    assert "grace@example.org" not in found.group(1)


@pytest.mark.parametrize(
    "token",
    ["", "forged", "other-calendar"],
    ids=["missing", "forged", "of-another-event-type"],
)
def test_a_booking_without_a_fitting_form_token_books_nothing(
    strict_client, open_calendar, make_calendar, provider, token
):
    if token == "other-calendar":
        token = form_token(make_calendar(provider, name="Other", slug="other"))

    response = strict_client.post(
        embed_url(open_calendar), guest_data(open_calendar, embed_token=token), **HTMX
    )

    assert response.status_code == 200
    assert "This booking form is too old to be sent, so nothing was booked." in response.text
    assert Appointment.objects.count() == 0


def test_an_expired_form_token_books_nothing_and_a_fresh_form_is_shown(
    strict_client, open_calendar, settings, frozen_now
):
    data = guest_data(open_calendar)
    later = frozen_now + timedelta(seconds=settings.EMBED_FORM_MAX_AGE + 1)
    with time_machine.travel(later, tick=False):
        response = strict_client.post(embed_url(open_calendar), data, **HTMX)
        fresh = form_token(open_calendar)

    assert "too old to be sent" in response.text
    assert f'value="{fresh}"' in response.text
    assert Appointment.objects.count() == 0


def test_a_time_just_taken_offers_alternatives_that_book_in_the_frame(
    strict_client, open_calendar, other_user
):
    services.appointment_book(user=other_user, calendar=open_calendar, start=WED_9, now=NOW)

    response = strict_client.post(embed_url(open_calendar), guest_data(open_calendar), **HTMX)

    assert 'data-code="taken"' in response.text
    alternatives = re.findall(r'<form method="post" action="([^"]+)" hx-post', response.text)
    assert alternatives == [embed_url(open_calendar)] * 3
    forms = response.text.count('<form method="post"')  # the alternatives and the day's form
    assert response.text.count('name="embed_token"') == forms == 4
    assert 'name="csrfmiddlewaretoken"' not in response.text
    assert Appointment.objects.count() == 1


def test_a_booking_with_bad_details_books_nothing_and_says_so(strict_client, open_calendar):
    data = guest_data(open_calendar, email="not an address")

    response = strict_client.post(embed_url(open_calendar), data, **HTMX)

    assert response.status_code == 200
    assert "Please correct the marked fields and try again." in response.text
    assert Appointment.objects.count() == 0


def test_a_signed_in_visitor_books_as_a_guest_in_the_frame(client, open_calendar, client_user):
    client.force_login(client_user)

    page = client.get(embed_url(open_calendar) + "?day=2026-11-25")
    client.post(embed_url(open_calendar), guest_data(open_calendar), **HTMX)

    assert 'name="email"' in page.text and "Booking as you" not in page.text
    appointment = Appointment.objects.get()
    assert appointment.user is None


def test_the_site_booking_page_keeps_django_csrf(client, open_calendar):
    response = client.get(reverse("book_calendar", args=[open_calendar.slug]) + "?day=2026-11-25")

    assert 'name="csrfmiddlewaretoken"' in response.text
    assert 'name="embed_token"' not in response.text
