"""The booking pages: /book/, a calendar's public page (month, day, book inline), reschedule and
the .ics download. Both branches of each htmx view; owner / other / anonymous."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.booking.page import BookingPage
from appointments.models import Appointment, DateOverride, TimeOff, WorkingHours
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
HTMX = {"HTTP_HX_REQUEST": "true"}
# Wednesday 25 November 2026, 09:00 London (= UTC in November): a computed slot of `open_calendar`.
WED_9 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def htmx(target: str) -> dict:
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture
def open_calendar(calendar):
    """Monday to Friday 09:00-12:00 London, 30-minute appointments."""
    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=calendar.schedule, weekday=day, start_time=time(9), end_time=time(12))
        for day in range(5)
    )
    return calendar


def page_url(calendar) -> str:
    return reverse("book_calendar", args=[calendar.slug])


def book(client, calendar, value: str, description: str = "Knee", **extra):
    data = {"slot": value, "description": description, "day": "2026-11-25"}
    return client.post(page_url(calendar), data, **extra)


# /book/


def test_the_calendar_list_shows_active_calendars_and_hides_inactive_ones(
    client, open_calendar, provider, make_calendar
):
    open_calendar.minimum_notice_minutes = 60
    open_calendar.save()
    make_calendar(provider, name="Closed shop", slug="closed", is_active=False)

    response = client.get(reverse("book_index"))

    assert response.status_code == 200
    assert "Consultations" in response.text
    assert "Closed shop" not in response.text
    assert "<html" in response.text
    # Now is Tuesday 24 November, 09:00 (London = UTC in November); an hour's notice: 10:00.
    assert "Next free: Tue 24 Nov 2026, 10:00 UTC" in response.text


def test_the_calendar_search_filters_and_answers_htmx_with_the_results_alone(
    client, open_calendar, provider, make_calendar
):
    make_calendar(provider, name="Physiotherapy", slug="physio")

    response = client.get(reverse("book_index"), {"q": "physio"}, **htmx("calendar-results"))

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="calendar-results"' in response.text
    assert "Physiotherapy" in response.text
    assert "1 calendar matches “physio”" in response.text
    assert "Fully booked for the next two weeks" in response.text
    assert "Consultations" not in response.text


# The public page


def test_an_anonymous_visitor_sees_the_month_and_the_free_times(client, open_calendar):
    response = client.get(page_url(open_calendar), {"day": "2026-11-25"})

    assert response.status_code == 200
    # 09:00-12:00 in 30-minute slots: six a day; the button's name is the full date.
    assert 'aria-label="Wednesday 25 November 2026, 6 free times"' in response.text
    assert 'aria-label="Saturday 28 November 2026, no free times"' in response.text
    assert 'aria-current="date"' in response.text
    assert f'value="start:{WED_9:%Y-%m-%dT%H:%M:%SZ}"' in response.text
    # No account needed: the guest form (appointments/guests/tests) is the default.
    assert 'name="email"' in response.text
    assert "No account needed" in response.text


def test_times_are_shown_in_the_viewers_zone_with_the_zone_named(
    client, client_user, open_calendar
):
    client_user.profile.time_zone = "Asia/Tokyo"
    client_user.profile.save()
    client.force_login(client_user)

    response = client.get(page_url(open_calendar), {"day": "2026-11-25"})

    # 09:00 London is 18:00 in Tokyo.
    assert "18:00 – 18:30" in response.text
    assert "Times in Asia/Tokyo (JST)" in response.text


def test_month_navigation_works_as_links_and_as_an_htmx_partial(client, open_calendar):
    full = client.get(page_url(open_calendar), {"month": "2026-12"})
    partial = client.get(page_url(open_calendar), {"month": "2026-12"}, **htmx("month-calendar"))

    assert "December 2026" in full.text
    assert f'href="{page_url(open_calendar)}?month=2026-11"' in full.text
    assert "<html" in full.text
    assert partial.text.lstrip().startswith('<div id="month-calendar"')
    assert "December 2026" in partial.text
    assert "<html" not in partial.text


def test_choosing_a_day_renders_the_page_or_only_the_panel_for_htmx(client, open_calendar):
    full = client.get(page_url(open_calendar), {"day": "2026-11-26"})
    partial = client.get(page_url(open_calendar), {"day": "2026-11-26"}, **htmx("booking-panel"))

    assert "Thursday 26 November 2026" in full.text
    assert "<html" in full.text
    assert partial.text.lstrip().startswith('<div id="booking-panel"')
    assert "Thursday 26 November 2026" in partial.text
    assert "month-calendar" not in partial.text


def test_an_inactive_or_unknown_calendar_is_not_found(client, open_calendar):
    open_calendar.is_active = False
    open_calendar.save()

    assert client.get(page_url(open_calendar)).status_code == 404
    assert client.get(reverse("book_calendar", args=["nobody"])).status_code == 404


# Booking


def test_an_anonymous_booking_without_contact_details_changes_nothing(client, open_calendar):
    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}")
    response_htmx = book(client, open_calendar, "slot:1", **HTMX)

    assert response.status_code == 200
    assert "Please correct the marked fields" in response.text
    assert response_htmx.status_code == 200
    assert not Appointment.objects.exists()


def test_booking_a_computed_time_without_javascript_redirects_to_the_appointment(
    client, client_user, open_calendar
):
    client.force_login(client_user)

    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}")

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointment_detail", args=[appointment.pk])
    assert (appointment.start_time, appointment.description) == (WED_9, "Knee")


def test_booking_inline_confirms_refreshes_the_upcoming_list_and_rings_the_badge(
    client, client_user, open_calendar
):
    client.force_login(client_user)

    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}", **HTMX)

    appointment = Appointment.objects.get()
    assert response.status_code == 200
    assert "notifications-changed" in response["HX-Trigger"]
    assert response.text.lstrip().startswith('<div id="booking-panel"')
    assert "You're booked" in response.text
    assert reverse("appointment_ics", args=[appointment.pk]) in response.text
    assert "appointments-changed" in response["HX-Trigger"]
    upcoming = response.text[response.text.index('<section id="upcoming-appointments"') :]
    assert upcoming.split(">", 1)[0].endswith('hx-swap-oob="true"')
    assert "Consultations" in upcoming.split("</section>", 1)[0]
    assert "<html" not in response.text


def test_a_published_slot_is_booked_by_its_id(client, client_user, open_calendar, make_slot):
    published = make_slot(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    client.force_login(client_user)

    page = client.get(page_url(open_calendar), {"day": "2026-11-25"})
    response = book(client, open_calendar, f"slot:{published.pk}")

    assert f'value="slot:{published.pk}"' in page.text
    assert response.status_code == 302
    assert Appointment.objects.get().time_slot == published


def test_a_time_taken_meanwhile_shows_the_panel_with_three_alternatives(
    client, client_user, other_user, open_calendar
):
    services.appointment_book(user=other_user, calendar=open_calendar, start=WED_9, now=NOW)
    client.force_login(client_user)

    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}", **HTMX)

    assert response.status_code == 200
    assert 'data-code="taken"' in response.text
    assert "just taken" in response.text
    assert response.text.count('class="bk-alt"') == 3
    assert 'name="description" value="Knee"' in response.text
    assert Appointment.objects.filter(user=client_user).count() == 0


def test_a_time_taken_meanwhile_without_javascript_is_a_409_page_with_alternatives(
    client, client_user, other_user, open_calendar
):
    services.appointment_book(user=other_user, calendar=open_calendar, start=WED_9, now=NOW)
    client.force_login(client_user)

    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}")

    assert response.status_code == 409
    assert "<html" in response.text
    assert response.text.count('class="bk-alt"') == 3


def test_a_booking_without_a_time_shows_the_error_tied_to_the_field(
    client, client_user, open_calendar
):
    client.force_login(client_user)

    response = book(client, open_calendar, "", **HTMX)

    assert 'aria-describedby="slot-error"' in response.text
    assert "Choose a time first." in response.text
    assert not Appointment.objects.exists()


def test_a_hand_crafted_time_value_is_refused_with_a_message(client, client_user, open_calendar):
    client.force_login(client_user)

    response = book(client, open_calendar, "start:tomorrow", **HTMX)

    assert "not one we offered" in response.text
    assert not Appointment.objects.exists()


def test_a_slot_of_another_calendar_cannot_be_booked_here(
    client, client_user, open_calendar, provider, make_slot, make_calendar
):
    elsewhere = make_calendar(provider, name="Elsewhere", slug="elsewhere")
    foreign = make_slot(WED_9 + timedelta(hours=5), on=elsewhere)
    client.force_login(client_user)

    response = book(client, open_calendar, f"slot:{foreign.pk}", **HTMX)

    assert 'data-code="unknown_slot"' in response.text
    assert not Appointment.objects.exists()


def test_a_time_outside_working_hours_is_refused_naming_the_rule(
    client, client_user, open_calendar
):
    client.force_login(client_user)
    evening = WED_9.replace(hour=19)

    response = book(client, open_calendar, f"start:{evening:%Y-%m-%dT%H:%M:%SZ}", **HTMX)

    assert 'role="alert"' in response.text
    assert not Appointment.objects.exists()


def test_a_too_long_description_is_an_error_tied_to_the_description(
    client, client_user, open_calendar
):
    client.force_login(client_user)

    response = book(
        client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}", description="x" * 2001, **HTMX
    )

    assert 'aria-describedby="description-count description-error"' in response.text
    assert not Appointment.objects.exists()


def test_the_provider_sees_their_page_but_cannot_book_it(client, provider, open_calendar):
    client.force_login(provider)

    page = client.get(page_url(open_calendar), {"day": "2026-11-25"})
    response = book(client, open_calendar, f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}", **HTMX)

    assert "This is your own calendar" in page.text
    assert "Book this time" not in page.text
    assert 'data-code="own_calendar"' in response.text
    assert not Appointment.objects.exists()


# Reschedule


@pytest.fixture
def booked(client_user, open_calendar):
    return services.appointment_book(user=client_user, calendar=open_calendar, start=WED_9, now=NOW)


def reschedule_url(appointment) -> str:
    return reverse("appointment_reschedule", args=[appointment.pk])


def test_the_booker_and_the_host_open_the_reschedule_page_others_get_404_anonymous_logs_in(
    client, client_user, other_user, provider, booked
):
    anonymous = client.get(reschedule_url(booked))
    client.force_login(other_user)
    other = client.get(reschedule_url(booked))
    client.force_login(provider)
    provider_response = client.get(reschedule_url(booked))
    client.force_login(client_user)
    owner = client.get(reschedule_url(booked), {"day": "2026-11-26"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert other.status_code == 404
    # The host may move it too: the appointment page offers it, so the page must open.
    assert provider_response.status_code == 200
    assert owner.status_code == 200
    assert "Move your appointment" in owner.text
    assert "Move to this time" in owner.text
    assert (
        'aria-label="Wednesday 25 November 2026, your current appointment, 5 free times"'
        in owner.text
    )


def test_the_reschedule_day_panel_is_served_alone_to_htmx(client, client_user, booked):
    client.force_login(client_user)

    response = client.get(reschedule_url(booked), {"day": "2026-11-26"}, **htmx("booking-panel"))

    assert response.text.lstrip().startswith('<div id="booking-panel"')
    assert "<html" not in response.text


def test_rescheduling_moves_the_same_appointment_and_bumps_its_sequence(
    client, client_user, booked
):
    client.force_login(client_user)
    new_start = WED_9 + timedelta(days=1, hours=1)

    response = client.post(
        reschedule_url(booked),
        {"slot": f"start:{new_start:%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-26"},
    )

    booked.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointment_detail", args=[booked.pk])
    assert (booked.start_time, booked.sequence) == (new_start, 1)


def test_rescheduling_inline_confirms_in_the_panel(client, client_user, booked):
    client.force_login(client_user)
    new_start = WED_9 + timedelta(days=1)

    response = client.post(
        reschedule_url(booked),
        {"slot": f"start:{new_start:%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-26"},
        **HTMX,
    )

    assert "Your appointment has moved" in response.text
    assert "notifications-changed" in response["HX-Trigger"]
    booked.refresh_from_db()
    assert booked.start_time == new_start


def test_a_refused_reschedule_keeps_the_old_time_and_offers_alternatives(
    client, client_user, other_user, open_calendar, booked
):
    taken = WED_9 + timedelta(days=1)
    services.appointment_book(user=other_user, calendar=open_calendar, start=taken, now=NOW)
    client.force_login(client_user)

    response = client.post(
        reschedule_url(booked),
        {"slot": f"start:{taken:%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-26"},
        **HTMX,
    )

    booked.refresh_from_db()
    assert 'data-code="taken"' in response.text
    assert response.text.count('class="bk-alt"') == 3
    assert (booked.start_time, booked.sequence) == (WED_9, 0)


# .ics


def test_the_booker_and_the_provider_download_the_ics_others_get_404(
    client, client_user, other_user, provider, booked
):
    url = reverse("appointment_ics", args=[booked.pk])
    anonymous = client.get(url)
    client.force_login(other_user)
    other = client.get(url)
    client.force_login(provider)
    provider_response = client.get(url)
    client.force_login(client_user)
    owner = client.get(url)

    assert anonymous.status_code == 302
    assert other.status_code == 404
    assert provider_response.status_code == 200
    assert owner.status_code == 200
    assert owner["Content-Type"] == "text/calendar; charset=utf-8"
    assert owner["Content-Disposition"] == f'attachment; filename="appointment-{booked.pk}.ics"'
    body = owner.content.decode()
    assert "METHOD:PUBLISH" in body
    assert f"UID:{booked.ical_uid}" in body
    assert "SEQUENCE:0" in body
    assert "DTSTART:20261125T090000Z" in body


def test_a_cancelled_appointment_cannot_be_moved_and_the_page_says_so(client, client_user, booked):
    services.appointment_cancel(appointment=booked, by_user=client_user, now=NOW)
    client.force_login(client_user)

    page = client.get(reschedule_url(booked))
    response = client.post(
        reschedule_url(booked),
        {"slot": f"start:{WED_9 + timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-25"},
        **HTMX,
    )

    booked.refresh_from_db()
    assert "This appointment is cancelled, so there is nothing to move." in page.text
    assert "Move to this time" not in page.text
    assert 'data-code="already_cancelled"' in response.text
    assert booked.start_time == WED_9


def test_a_day_without_free_times_points_to_the_next_free_day(client, open_calendar):
    response = client.get(page_url(open_calendar), {"day": "2026-11-28"})

    assert "No free times on this day." in response.text
    assert "The next free time is on <strong>Monday 30 November</strong>" in response.text
    assert f'href="{page_url(open_calendar)}?day=2026-11-30"' in response.text


def test_a_month_without_free_times_points_to_the_next_month_with_some(client, calendar):
    # Only Mondays are worked, and Monday 30 November is time off: nothing free this month.
    WorkingHours.objects.create(
        schedule=calendar.schedule, weekday=0, start_time=time(9), end_time=time(10)
    )
    TimeOff.objects.create(
        schedule=calendar.schedule,
        start_time=datetime(2026, 11, 25, tzinfo=UTC),
        end_time=datetime(2026, 12, 1, tzinfo=UTC),
    )

    response = client.get(page_url(calendar))

    assert "No free times left this month." in response.text
    assert "Monday 7 December" in response.text


@pytest.mark.parametrize(
    "params",
    [{"day": "9999-12-31"}, {"month": "9999-12"}, {"day": "0001-01-01"}, {"month": "2026-13"}],
)
def test_far_away_or_malformed_dates_fall_back_to_this_month(client, open_calendar, params):
    response = client.get(page_url(open_calendar), params)

    assert response.status_code == 200
    assert "November 2026" in response.text


def test_the_next_free_day_is_searched_a_week_at_a_time_not_over_the_whole_horizon(
    client, open_calendar, monkeypatch
):
    open_calendar.horizon_days = 730
    open_calendar.step_minutes = 5
    open_calendar.save()
    searched = []
    free = BookingPage._free

    def spy(page, first_day, last_day):
        searched.append((first_day, last_day))
        return free(page, first_day, last_day)

    monkeypatch.setattr(BookingPage, "_free", spy)

    response = client.get(page_url(open_calendar), {"day": "2026-11-28"})

    assert "The next free time is on <strong>Monday 30 November</strong>" in response.text
    ahead = [(first, last) for first, last in searched if first > date(2026, 11, 28)]
    assert ahead == [(date(2026, 11, 29), date(2026, 12, 5))]  # one week, not two years


def test_a_free_day_months_away_is_still_found(client, calendar):
    # Only one date, half a year ahead, is worked.
    DateOverride.objects.create(
        schedule=calendar.schedule,
        date=date(2027, 5, 20),
        start_time=time(9),
        end_time=time(10),
    )
    calendar.horizon_days = 365
    calendar.save()

    response = client.get(page_url(calendar), {"day": "2026-11-28"})

    assert "The next free time is on <strong>Thursday 20 May</strong>" in response.text


def queries_of_the_provider_list(client, make_user, make_calendar, more: int, listed: int) -> int:
    """Add `more` event types of different providers, then count the list page's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hours = {weekday: [(time(9), time(17))] for weekday in range(5)}
    for n in range(more):
        make_calendar(make_user(f"provider{listed}-{n}"), slug=f"list{listed}-{n}", hours=hours)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("book_index"))
    assert response.status_code == 200
    assert len(response.context["calendars"]) == listed
    return len(queries)


def test_the_provider_list_runs_as_many_queries_for_eight_event_types_as_for_two(
    client, make_user, make_calendar
):
    two = queries_of_the_provider_list(client, make_user, make_calendar, 2, listed=2)
    eight = queries_of_the_provider_list(client, make_user, make_calendar, 6, listed=8)

    assert eight == two
