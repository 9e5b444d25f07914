"""The dashboard, the appointment list and detail, cancelling with a confirmation, error pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from appointments.booking import services
from appointments.models import Appointment
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def booked(client_user, slot):
    return services.appointment_book(user=client_user, time_slot=slot, now=NOW)


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    client.cookies["tz"] = "Europe/London"
    return client


def test_the_dashboard_renders_every_part_without_javascript(logged_in, booked):
    text = logged_in.get(reverse("dashboard")).text

    assert '<span class="stat-value">1</span><span class="stat-label">Upcoming</span>' in text
    assert "Wed 25 Nov 2026, 09:00–09:30 GMT" in text
    assert "Booked: Consultations" in text
    for part in ("summary", "upcoming-appointments", "latest-notifications"):
        assert f'id="{part}"' in text
        assert f'hx-get="/?part={part}"' in text


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("summary", "This week"),
        ("upcoming-appointments", "09:00–09:30 GMT"),
        ("latest-notifications", "Booked: Consultations"),
    ],
)
def test_each_dashboard_part_is_served_alone_to_htmx(logged_in, booked, part, expected):
    response = logged_in.get(reverse("dashboard"), {"part": part}, HTTP_HX_REQUEST="true")

    assert expected in response.text
    assert "<html" not in response.text


def test_the_summary_counts_this_week_and_cancelled(logged_in, booked, client_user, make_slot):
    later = services.appointment_book(
        user=client_user, time_slot=make_slot(NOW + timedelta(days=10)), now=NOW
    )
    services.appointment_cancel(appointment=later, by_user=client_user, now=NOW)

    response = logged_in.get(reverse("dashboard"), {"part": "summary"}, HTTP_HX_REQUEST="true")

    values = [int(v) for v in response.text.split('stat-value">')[1:] for v in [v.split("<")[0]]]
    assert values == [1, 1, 1]  # upcoming, this week, cancelled


def test_the_provider_sees_bookings_on_their_calendar(client, provider, booked):
    client.force_login(provider)

    text = client.get(reverse("dashboard")).text

    assert reverse("appointment_detail", args=[booked.pk]) in text
    assert "client booked Consultations" in text


def test_the_list_has_upcoming_and_past_tabs(logged_in, booked, client_user, calendar):
    past = Appointment.objects.create(
        user=client_user,
        calendar=calendar,
        start_time=NOW - timedelta(days=3),
        end_time=NOW - timedelta(days=3) + timedelta(minutes=30),
    )
    detail = reverse("appointment_detail", args=[past.pk])

    upcoming = logged_in.get(reverse("appointment_list")).text
    history = logged_in.get(reverse("appointment_list"), {"tab": "past"}).text

    assert reverse("appointment_detail", args=[booked.pk]) in upcoming
    assert detail not in upcoming
    assert detail in history
    assert (
        '?tab=past" hx-target="#appointment-list" hx-swap="outerHTML" hx-push-url="true" aria-current="page"'
        in history
    )


def test_the_list_is_paginated(logged_in, client_user, make_slot):
    for day in range(12):
        services.appointment_book(
            user=client_user, time_slot=make_slot(NOW + timedelta(days=day + 1)), now=NOW
        )

    first = logged_in.get(reverse("appointment_list")).text
    second = logged_in.get(reverse("appointment_list"), {"page": 2}, HTTP_HX_REQUEST="true").text

    assert first.count('class="item"') == 10
    assert "Page 1 of 2" in first
    assert second.count('class="item"') == 2
    assert second.lstrip().startswith('<section id="appointment-list"')


def test_a_history_restore_gets_the_whole_page(logged_in):
    response = logged_in.get(
        reverse("appointment_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.text


def test_cancel_asks_first_then_cancels_on_post(logged_in, booked):
    url = reverse("appointment_cancel", args=[booked.pk])

    confirm = logged_in.get(url)
    booked.refresh_from_db()
    assert "Cancel this appointment?" in confirm.text
    assert booked.is_active

    done = logged_in.post(url, follow=True)
    booked.refresh_from_db()
    assert not booked.is_active
    assert "The appointment is cancelled" in done.text


def test_cancelling_twice_says_so_and_changes_nothing(logged_in, booked, client_user):
    services.appointment_cancel(appointment=booked, by_user=client_user, now=NOW)

    response = logged_in.post(reverse("appointment_cancel", args=[booked.pk]), follow=True)

    assert "This appointment is cancelled." in response.text
    assert response.text.count("toast-error") == 1


def test_the_detail_page_offers_the_cancel_dialog(logged_in, booked):
    text = logged_in.get(reverse("appointment_detail", args=[booked.pk])).text

    assert 'x-data="confirmDialog"' in text
    assert f'href="{reverse("appointment_cancel", args=[booked.pk])}" x-on:click="ask"' in text


def test_a_missing_page_is_the_styled_404(logged_in):
    response = logged_in.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.text
    assert 'class="site-header"' in response.text


def test_the_500_page_renders_without_any_context():
    html = get_template("500.html").render()

    assert "Something went wrong on our side" in html


def test_a_form_without_its_csrf_token_gets_the_friendly_page(client_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(client_user)

    response = browser.post(reverse("logout"), HTTP_REFERER="http://testserver/appointments/")

    assert response.status_code == 403
    assert "That form had expired" in response.text
    assert 'href="http://testserver/appointments/"' in response.text


def test_the_500_handler_serves_the_styled_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_403_handler_serves_the_styled_page(rf, client_user):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = client_user

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "You can't do that here" in response.content.decode()


def test_only_people_with_a_calendar_are_providers(rf, provider, client_user, calendar):
    from django.contrib.auth.models import AnonymousUser

    from appointments.context_processors import provider_links

    def is_provider(user) -> bool:
        request = rf.get("/")
        request.user = user
        return bool(provider_links(request)["is_provider"])

    assert is_provider(provider)
    assert not is_provider(client_user)
    assert not is_provider(AnonymousUser())
