"""Offering appointments: the guided first event type, the event types page (create, edit,
duplicate, turn off, delete), schedules and the public person page. The owner, another user and
an anonymous visitor, as everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from appointments.availability import selectors as availability
from appointments.booking import services as booking
from appointments.models import Appointment, Calendar, Host, Schedule, WorkingHours
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WED_10 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
GUIDED = {
    "name": "Intro call",
    "length_minutes": "30",
    "time_zone": "Europe/Paris",
    "weekdays": ["0", "1", "2", "3", "4"],
    "start": "09:00",
    "end": "17:00",
}


def event_type_data(calendar: Calendar, **changes) -> dict:
    data = {
        "name": calendar.name,
        "description": calendar.description,
        "schedule": calendar.schedule_id,
        "length_minutes": calendar.length_minutes,
        "step_minutes": "",
        "buffer_before_minutes": calendar.buffer_before_minutes,
        "buffer_after_minutes": calendar.buffer_after_minutes,
        "minimum_notice_minutes": calendar.minimum_notice_minutes,
        "horizon_days": calendar.horizon_days,
        "max_per_day": "",
        "remind_provider": "on",
    }
    return {**data, **changes}


@pytest.fixture
def office_calendar(provider, make_calendar):
    hours = {day: [(time(9), time(17))] for day in range(5)}
    return make_calendar(provider, name="Consultations", slug="consultations", hours=hours)


# --- the guided first event type ---------------------------------------------------------------


def test_the_dashboard_leads_someone_who_offers_nothing_to_the_guided_form(client, client_user):
    client.force_login(client_user)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Offer appointments yourself" in page
    assert reverse("event_type_start") in page


def test_the_dashboard_lists_a_providers_event_types(client, provider, calendar):
    client.force_login(provider)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Your event types" in page and calendar.name in page
    assert reverse("event_type_edit", args=[calendar.pk]) in page


def test_the_guided_form_proposes_office_hours_in_the_viewers_zone(client, client_user):
    client.cookies["tz"] = "Asia/Tokyo"
    client.force_login(client_user)

    form = client.get(reverse("event_type_start")).context["form"]

    assert form["time_zone"].value() == "Asia/Tokyo"
    assert form["weekdays"].value() == [0, 1, 2, 3, 4]
    assert form["start"].value() == time(9) and form["end"].value() == time(17)


def test_the_guided_form_makes_a_default_schedule_and_the_event_type_with_its_link(
    client, client_user
):
    client.force_login(client_user)

    response = client.post(reverse("event_type_start"), GUIDED, follow=True)

    calendar = Calendar.objects.get(provider=client_user)
    schedule = calendar.schedule
    assert (schedule.owner, schedule.is_default, schedule.time_zone) == (
        client_user,
        True,
        "Europe/Paris",
    )
    hours = set(schedule.working_hours.values_list("weekday", "start_time", "end_time"))
    assert hours == {(day, time(9), time(17)) for day in range(5)}
    assert list(Host.objects.filter(calendar=calendar).values_list("user", flat=True)) == [
        client_user.pk
    ]
    assert (calendar.name, calendar.length_minutes, calendar.slug) == (
        "Intro call",
        30,
        "client-intro-call",
    )
    page = response.content.decode()
    assert "is ready: share its booking link" in page
    assert f'value="http://testserver/book/{calendar.slug}/"' in page  # selectable without JS
    assert 'x-data="copyLink"' in page


def test_the_guided_form_uses_the_schedule_a_person_already_has(client, provider, calendar):
    client.force_login(provider)
    default = Schedule.objects.get(owner=provider)

    form = client.get(reverse("event_type_start")).context["form"]
    client.post(reverse("event_type_start"), {"name": "Lesson", "length_minutes": "60"})

    assert "weekdays" not in form.fields
    assert Schedule.objects.filter(owner=provider).count() == 1
    assert Calendar.objects.get(name="Lesson").schedule == default


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "08:00"}, "“Until” must be after “From”."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"length_minutes": "2"}, "greater than or equal to 5"),
        ({"name": ""}, "This field is required."),
        ({"weekdays": ["9"]}, "Select a valid choice."),
    ],
)
def test_the_guided_form_refuses_bad_input_and_changes_nothing(
    client, client_user, change, message
):
    client.force_login(client_user)

    response = client.post(reverse("event_type_start"), {**GUIDED, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Calendar.objects.exists() and not Schedule.objects.exists()


# --- the event types page ------------------------------------------------------------------------


def test_the_list_shows_each_event_type_with_its_link_and_actions(client, provider, calendar):
    client.force_login(provider)

    page = client.get(reverse("event_type_list")).content.decode()

    assert f"http://testserver/book/{calendar.slug}/" in page
    for action in ("event_type_edit", "event_type_duplicate", "event_type_active"):
        assert reverse(action, args=[calendar.pk]) in page


def test_the_list_leaves_out_other_peoples_event_types(client, provider, other_user, calendar):
    client.force_login(other_user)

    page = client.get(reverse("event_type_list")).content.decode()

    assert calendar.name not in page
    assert "You offer nothing to book yet" in page


def test_a_second_event_type_on_the_same_schedule_is_created_from_the_form(
    client, provider, office_calendar
):
    client.force_login(provider)
    data = event_type_data(office_calendar, name="Lesson", length_minutes=60)

    response = client.post(reverse("event_type_create"), data)

    lesson = Calendar.objects.get(name="Lesson")
    assert response["Location"] == reverse("event_type_edit", args=[lesson.pk])
    assert lesson.schedule == office_calendar.schedule
    assert Host.objects.filter(calendar=lesson, user=provider).exists()


def test_a_time_booked_on_one_event_type_is_not_offered_on_another_on_its_schedule(
    client, provider, client_user, office_calendar
):
    booking.appointment_book(user=client_user, calendar=office_calendar, start=WED_10, now=NOW)
    client.force_login(provider)
    data = event_type_data(office_calendar, name="Lesson", length_minutes=60)
    client.post(reverse("event_type_create"), data)
    lesson = Calendar.objects.get(name="Lesson")

    day = WED_10.replace(hour=0)
    starts = {
        slot.start
        for slot in availability.available_slots(
            lesson, window_start=day, window_end=day + timedelta(days=1), now=NOW
        )
    }

    assert WED_10 not in starts and WED_10 - timedelta(minutes=30) not in starts
    assert WED_10 + timedelta(hours=1) in starts  # the rest of the day is offered


def test_the_creation_form_offers_only_the_persons_own_schedules(
    client, provider, other_user, office_calendar, make_calendar
):
    foreign = make_calendar(other_user, name="Theirs", slug="theirs")
    client.force_login(provider)
    data = event_type_data(office_calendar, name="Sneaky", schedule=foreign.schedule_id)

    response = client.post(reverse("event_type_create"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Calendar.objects.filter(name="Sneaky").exists()


def test_editing_changes_the_event_type_but_not_its_address(client, provider, calendar):
    client.force_login(provider)
    data = event_type_data(
        calendar, name="Longer talks", length_minutes=45, buffer_after_minutes=10
    )

    response = client.post(reverse("event_type_edit", args=[calendar.pk]), data)

    calendar.refresh_from_db()
    assert response.status_code == 302
    assert (calendar.name, calendar.length_minutes, calendar.buffer_after_minutes) == (
        "Longer talks",
        45,
        10,
    )
    assert calendar.slug == "consultations"


def test_the_edit_page_links_to_the_event_types_booking_questions(client, provider, calendar):
    client.force_login(provider)

    response = client.get(reverse("event_type_edit", args=[calendar.pk]))

    questions = reverse("event_type_questions", args=[calendar.pk])
    assert response.status_code == 200
    assert f'href="{questions}">Booking questions</a>' in response.text
    assert client.get(questions).status_code == 200


def test_an_invalid_edit_is_shown_and_changes_nothing(client, provider, calendar):
    client.force_login(provider)
    data = event_type_data(calendar, name="Changed", length_minutes=2)

    response = client.post(reverse("event_type_edit", args=[calendar.pk]), data)

    calendar.refresh_from_db()
    assert response.status_code == 200
    assert "greater than or equal to 5" in response.content.decode()
    assert calendar.name == "Consultations"


def test_duplicating_copies_the_settings_at_a_new_address(client, provider, calendar):
    Calendar.objects.filter(pk=calendar.pk).update(buffer_before_minutes=15)
    client.force_login(provider)

    client.post(reverse("event_type_duplicate", args=[calendar.pk]))

    copy = Calendar.objects.get(name="Consultations (copy)")
    assert copy.slug != calendar.slug
    assert (copy.schedule, copy.buffer_before_minutes) == (calendar.schedule, 15)
    assert Host.objects.filter(calendar=copy, user=provider).exists()


def test_turning_off_closes_the_booking_page_and_turning_on_reopens_it(client, provider, calendar):
    client.force_login(provider)
    url = reverse("event_type_active", args=[calendar.pk])

    client.post(url, {"active": "off"})
    closed = client.get(reverse("book_calendar", args=[calendar.slug])).status_code
    client.post(url, {"active": "on"})
    opened = client.get(reverse("book_calendar", args=[calendar.slug])).status_code

    assert (closed, opened) == (404, 200)


def test_turning_on_or_off_needs_to_be_told_which(client, provider, calendar):
    client.force_login(provider)

    response = client.post(reverse("event_type_active", args=[calendar.pk]), follow=True)

    calendar.refresh_from_db()
    assert calendar.is_active
    assert "Say whether to turn the event type on or off." in response.content.decode()


def test_an_event_type_with_bookings_to_come_cannot_be_deleted_and_offers_turn_off(
    client, provider, client_user, calendar, slot
):
    booking.appointment_book(user=client_user, time_slot=slot, now=NOW)
    client.force_login(provider)
    url = reverse("event_type_delete", args=[calendar.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, follow=True).content.decode()

    assert "cannot be deleted" in page and "Turn it off" in page
    assert "cannot be deleted. Turn it off instead" in refused
    assert Calendar.objects.filter(pk=calendar.pk, archived_at=None).exists()


def test_an_event_type_without_bookings_is_deleted(client, provider, calendar):
    client.force_login(provider)

    response = client.post(reverse("event_type_delete", args=[calendar.pk]))

    assert response["Location"] == reverse("event_type_list")
    assert not Calendar.objects.filter(pk=calendar.pk).exists()


def test_an_event_type_with_past_bookings_only_is_archived_its_history_kept(
    client, provider, client_user, calendar, slot
):
    appointment = booking.appointment_book(user=client_user, time_slot=slot, now=NOW)
    Appointment.objects.filter(pk=appointment.pk).update(
        start_time=NOW - timedelta(days=2), end_time=NOW - timedelta(days=2, minutes=-30)
    )
    client.force_login(provider)

    client.post(reverse("event_type_delete", args=[calendar.pk]))

    calendar.refresh_from_db()
    assert calendar.archived_at is not None and not calendar.is_active
    assert client.get(reverse("event_type_edit", args=[calendar.pk])).status_code == 404
    assert Appointment.objects.filter(pk=appointment.pk).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("event_type_edit", "get"),
        ("event_type_edit", "post"),
        ("event_type_duplicate", "post"),
        ("event_type_active", "post"),
        ("event_type_delete", "get"),
        ("event_type_delete", "post"),
    ],
)
def test_another_persons_event_type_is_a_404_and_stays_as_it_was(
    client, other_user, calendar, name, method
):
    client.force_login(other_user)

    response = getattr(client, method)(reverse(name, args=[calendar.pk]), {"active": "off"})

    assert response.status_code == 404
    assert Calendar.objects.filter(pk=calendar.pk, is_active=True).count() == 1
    assert Calendar.objects.count() == 1


# --- the public person page ------------------------------------------------------------------------


def test_the_person_page_lists_their_bookable_event_types(
    client, provider, calendar, make_calendar
):
    make_calendar(provider, name="Hidden one", slug="hidden-one", is_active=False)

    page = client.get(reverse("person_page", args=[provider.username])).content.decode()

    assert reverse("book_calendar", args=[calendar.slug]) in page
    assert "Hidden one" not in page


@pytest.mark.parametrize("username", ["client", "nobody"])
def test_the_person_page_of_someone_offering_nothing_is_a_404(client, client_user, username):
    assert client.get(reverse("person_page", args=[username])).status_code == 404


# --- schedules ---------------------------------------------------------------------------------------


def test_a_schedule_is_added_with_office_hours_in_its_zone(client, provider, calendar):
    client.force_login(provider)
    data = {"name": "Summer", "time_zone": "America/Toronto", "office_hours": "on"}

    client.post(reverse("schedule_list"), data)

    summer = Schedule.objects.get(name="Summer")
    assert (summer.owner, summer.time_zone, summer.is_default) == (
        provider,
        "America/Toronto",
        False,
    )
    assert summer.working_hours.count() == 5


def test_a_schedule_is_renamed_and_made_the_default(client, provider, calendar):
    client.force_login(provider)
    other = Schedule.objects.create(owner=provider, name="Evenings", time_zone="UTC")

    client.post(
        reverse("schedule_edit", args=[other.pk]), {"name": "Late", "time_zone": "Asia/Tokyo"}
    )
    client.post(reverse("schedule_default", args=[other.pk]))

    other.refresh_from_db()
    assert (other.name, other.time_zone, other.is_default) == ("Late", "Asia/Tokyo", True)
    assert not Schedule.objects.get(pk=calendar.schedule_id).is_default


def test_a_schedule_in_use_cannot_be_deleted(client, provider, calendar):
    client.force_login(provider)

    response = client.post(reverse("schedule_delete", args=[calendar.schedule_id]), follow=True)

    assert Schedule.objects.filter(pk=calendar.schedule_id).exists()
    assert "is in use by Consultations" in response.content.decode()


def test_an_unused_schedule_is_deleted(client, provider, calendar):
    spare = Schedule.objects.create(owner=provider, name="Spare", time_zone="UTC")
    client.force_login(provider)

    client.post(reverse("schedule_delete", args=[spare.pk]))

    assert not Schedule.objects.filter(pk=spare.pk).exists()


def test_the_hours_of_a_schedule_are_edited_on_the_availability_page(client, provider, calendar):
    spare = Schedule.objects.create(owner=provider, name="Spare", time_zone="UTC")
    client.force_login(provider)

    page = client.get(reverse("provider_availability") + f"?schedule={spare.pk}")
    saved = client.post(
        reverse("availability_hours"),
        {"schedule": spare.pk, "hours-2-start": "08:00", "hours-2-end": "12:00"},
    )

    assert page.status_code == 200 and "Availability: Spare" in page.content.decode()
    assert "settings-section" not in page.content.decode()  # slot settings are an event type's
    assert (
        saved["Location"]
        == reverse("provider_availability") + f"?schedule={spare.pk}#hours-section"
    )
    assert list(spare.working_hours.values_list("weekday", "start_time")) == [(2, time(8))]
    assert not WorkingHours.objects.filter(schedule=calendar.schedule).exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999"])
def test_a_bad_schedule_in_the_editor_is_a_404(client, provider, calendar, value):
    client.force_login(provider)

    assert client.get(reverse("provider_availability") + f"?schedule={value}").status_code == 404


def test_another_persons_schedule_is_a_404_everywhere(client, other_user, calendar):
    client.force_login(other_user)
    pk = calendar.schedule_id

    answers = [
        client.get(reverse("schedule_edit", args=[pk])).status_code,
        client.post(
            reverse("schedule_edit", args=[pk]), {"name": "x", "time_zone": "UTC"}
        ).status_code,
        client.post(reverse("schedule_default", args=[pk])).status_code,
        client.post(reverse("schedule_delete", args=[pk])).status_code,
        client.get(reverse("provider_availability") + f"?schedule={pk}").status_code,
        client.post(
            reverse("availability_hours"),
            {"schedule": pk, "hours-0-start": "01:00", "hours-0-end": "02:00"},
        ).status_code,
    ]

    assert answers == [404] * 6
    schedule = Schedule.objects.get(pk=pk)
    assert schedule.name == "Working hours" and schedule.is_default
    assert not schedule.working_hours.exists()
