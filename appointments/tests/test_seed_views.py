"""The brief's fragment URL names still answer: appointment_summary and get_time_slots."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_summary_fragment_is_served_to_htmx(client, client_user, slot):
    from appointments.booking import services
    from conftest import NOW

    services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    client.force_login(client_user)

    fragment = client.get(reverse("appointment_summary"), HTTP_HX_REQUEST="true")
    plain = client.get(reverse("appointment_summary"))

    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert (
        '<span class="stat-value">1</span><span class="stat-label">Upcoming</span>' in fragment.text
    )
    assert plain.status_code == 302 and plain["Location"] == reverse("dashboard")


def test_time_slots_lead_to_the_calendars_day(client, calendar):
    response = client.get(
        reverse("get_time_slots"), {"calendar": calendar.slug, "day": "2026-11-25"}
    )

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("book_calendar", args=[calendar.slug]) + "?day=2026-11-25"
    )
    assert client.get(reverse("get_time_slots"), {"calendar": "nope"}).status_code == 404
    assert client.get(reverse("get_time_slots"))["Location"] == reverse("book_index")
