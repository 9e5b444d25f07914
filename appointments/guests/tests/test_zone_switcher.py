"""The booking page's zone switcher: a plain GET form (`?tz=`) that shows the times in the
picked zone, keeps the pick in a cookie over the browser's zone, and books guests in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.middleware import BROWSER_ZONE_COOKIE, CHOSEN_ZONE_COOKIE
from appointments.guests.tests.test_guest_booking import guest_data
from appointments.models import Appointment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_picking_a_zone_shows_the_times_in_it_and_the_pick_lasts(client, questions):
    url = reverse("book_calendar", args=[questions[0].calendar.slug])
    client.cookies[BROWSER_ZONE_COOKIE] = "Europe/London"

    picked = client.get(url, {"day": "2026-11-25", "tz": "America/New_York"})

    assert picked.status_code == 200
    assert '<option value="America/New_York" selected>' in picked.text
    assert "04:00" in picked.text  # 09:00 London is 04:00 in New York
    assert picked.cookies[CHOSEN_ZONE_COOKIE].value == "America/New_York"
    later = client.get(url, {"day": "2026-11-25"})  # the browser's cookie is still London
    assert '<option value="America/New_York" selected>' in later.text


def test_a_zone_that_is_not_one_changes_nothing(client, questions):
    url = reverse("book_calendar", args=[questions[0].calendar.slug])

    response = client.get(url, {"day": "2026-11-25", "tz": "Mars/Olympus"})

    assert response.status_code == 200
    assert CHOSEN_ZONE_COOKIE not in response.cookies
    assert '<option value="UTC" selected>' in response.text


def test_a_guest_books_in_the_zone_they_picked(client, questions):
    url = reverse("book_calendar", args=[questions[0].calendar.slug])
    client.get(url, {"tz": "Asia/Tokyo"})

    client.post(url, guest_data(questions))

    assert Appointment.objects.get().contact_time_zone == "Asia/Tokyo"
