"""The provider area: schedule, availability editor, slot publishing. Only calendar owners get in;
a user without a calendar gets a 404, an anonymous visitor the login page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.models import DateOverride, TimeOff, TimeSlot, WorkingHours
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
HTMX = {"HTTP_HX_REQUEST": "true"}
WED_9 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

PAGES = ["provider_schedule", "provider_availability", "publish_slots"]
POSTS = [
    "availability_settings",
    "availability_hours",
    "override_add",
    "time_off_add",
]


@pytest.fixture
def open_calendar(calendar):
    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=calendar.schedule, weekday=day, start_time=time(9), end_time=time(12))
        for day in range(5)
    )
    return calendar


@pytest.mark.parametrize("name", PAGES)
def test_provider_pages_open_for_the_owner_404_for_others_login_for_anonymous(
    client, provider, client_user, calendar, name
):
    anonymous = client.get(reverse(name))
    client.force_login(client_user)
    other = client.get(reverse(name))
    client.force_login(provider)
    owner = client.get(reverse(name))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert other.status_code == 404
    assert owner.status_code == 200


@pytest.mark.parametrize("name", POSTS)
def test_provider_changes_are_refused_to_users_without_a_calendar(
    client, client_user, calendar, name
):
    client.force_login(client_user)

    assert client.post(reverse(name), {"calendar": calendar.slug}).status_code == 404


def test_another_providers_rows_cannot_be_removed(client, make_user, calendar, make_calendar):
    stranger = make_user("stranger")
    make_calendar(stranger, name="Mine", slug="mine")
    override = DateOverride.objects.create(schedule=calendar.schedule, date=date(2026, 12, 1))
    off = TimeOff.objects.create(
        schedule=calendar.schedule, start_time=WED_9, end_time=WED_9.replace(hour=12)
    )
    client.force_login(stranger)

    first = client.post(reverse("override_remove", args=[override.pk]), {"calendar": calendar.slug})
    second = client.post(reverse("time_off_remove", args=[off.pk]), {"calendar": calendar.slug})

    assert (first.status_code, second.status_code) == (404, 404)
    assert DateOverride.objects.exists() and TimeOff.objects.exists()


def test_the_week_view_shows_who_when_what_and_status_in_the_providers_zone(
    client, provider, client_user, open_calendar
):
    client_user.first_name, client_user.last_name = "Ada", "Lovelace"
    client_user.save()
    services.appointment_book(
        user=client_user, calendar=open_calendar, start=WED_9, description="Sore knee", now=NOW
    )
    client.force_login(provider)

    response = client.get(reverse("provider_schedule"), {"week": "2026-W48"})

    assert "23 Nov – 29 Nov 2026" in response.text
    assert "Ada Lovelace" in response.text
    assert "Sore knee" in response.text
    assert '09:00<span class="pv-ev-end">–09:30</span>' in response.text  # a block of the grid
    assert "pv-at-5 pv-span-2 " in response.text  # 09:00 is the 5th quarter hour from 08:00
    assert "Confirmed" in response.text


def test_the_week_view_moves_by_week_with_links_and_htmx(client, provider, open_calendar):
    client.force_login(provider)

    full = client.get(reverse("provider_schedule"), {"week": "2026-W49"})
    partial = client.get(
        reverse("provider_schedule"), {"week": "2026-W49"}, HTTP_HX_TARGET="week-view", **HTMX
    )

    assert "week=2026-W48" in full.text and "week=2026-W50" in full.text
    assert "<html" in full.text
    assert partial.text.lstrip().startswith('<section id="week-view"')
    assert "30 Nov – 6 Dec 2026" in partial.text
    assert "back to this week" in partial.text


def test_the_calendar_switcher_chooses_among_own_calendars_only(
    client, provider, make_user, calendar, make_calendar
):
    make_calendar(provider, name="Second", slug="second")
    make_calendar(make_user("someone"), name="Theirs", slug="theirs")
    client.force_login(provider)

    mine = client.get(reverse("provider_availability"), {"calendar": "second"})
    theirs = client.get(reverse("provider_availability"), {"calendar": "theirs"})

    assert "Second · " in mine.text
    assert 'id="calendar-switch"' in mine.text
    assert "Theirs" not in theirs.text


def test_saving_weekly_hours_without_javascript_redirects_with_a_message(
    client, provider, calendar
):
    client.force_login(provider)

    response = client.post(
        reverse("availability_hours"),
        {
            "calendar": calendar.slug,
            "hours-0-start": ["09:00", "13:00", ""],
            "hours-0-end": ["12:00", "17:00", ""],
        },
    )

    assert response.status_code == 302
    assert list(calendar.schedule.working_hours.values_list("start_time", flat=True)) == [
        time(9),
        time(13),
    ]


def test_overlapping_weekly_hours_are_refused_in_the_htmx_section(client, provider, open_calendar):
    client.force_login(provider)

    response = client.post(
        reverse("availability_hours"),
        {
            "calendar": open_calendar.slug,
            "hours-0-start": ["09:00", "11:00"],
            "hours-0-end": ["12:00", "13:00"],
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="hours-section"')
    assert "Monday: 09:00–12:00 overlaps 11:00–13:00." in response.text
    assert 'aria-describedby="hours-error-0"' in response.text
    assert open_calendar.schedule.working_hours.count() == 5


def test_a_refused_change_without_javascript_shows_the_whole_editor(client, provider, calendar):
    client.force_login(provider)

    response = client.post(
        reverse("availability_hours"),
        {"calendar": calendar.slug, "hours-2-start": ["10:00"], "hours-2-end": ["10:00"]},
    )

    assert response.status_code == 200
    assert "<html" in response.text
    assert "must not start and end at the same time" in response.text


def test_a_date_override_and_time_off_are_added_and_removed(client, provider, calendar):
    client.force_login(provider)

    client.post(
        reverse("override_add"), {"calendar": calendar.slug, "date": "2026-12-01", "closed": "on"}
    )
    response = client.post(
        reverse("time_off_add"),
        {
            "calendar": calendar.slug,
            "start": "2026-12-24T00:00",
            "end": "2026-12-27T00:00",
            "reason": "Holiday",
        },
        HTTP_HX_TARGET="time-off-section",
        **HTMX,
    )
    off = TimeOff.objects.get()
    override = DateOverride.objects.get()
    client.post(reverse("override_remove", args=[override.pk]), {"calendar": calendar.slug})

    assert override.is_closed
    assert "Time off added." in response.text
    # Wall-clock times in the calendar's zone (London, GMT in December).
    assert off.start_time == datetime(2026, 12, 24, tzinfo=UTC)
    assert not DateOverride.objects.exists()


def test_time_off_that_ends_before_it_starts_is_refused_with_a_message(client, provider, calendar):
    client.force_login(provider)

    response = client.post(
        reverse("time_off_add"),
        {"calendar": calendar.slug, "start": "2026-12-24T10:00", "end": "2026-12-24T09:00"},
        **HTMX,
    )

    assert "Time off must end after it starts." in response.text
    assert not TimeOff.objects.exists()


def test_slot_settings_are_saved_and_bad_values_refused(client, provider, calendar):
    client.force_login(provider)
    data = {
        "calendar": calendar.slug,
        "name": "Consultations",
        "is_active": "on",
        "length_minutes": "45",
        "step_minutes": "15",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "10",
        "minimum_notice_minutes": "120",
        "horizon_days": "30",
        "max_per_day": "",
    }

    bad = client.post(reverse("availability_settings"), {**data, "length_minutes": "2"}, **HTMX)
    calendar.refresh_from_db()
    assert calendar.length_minutes == 30
    good = client.post(reverse("availability_settings"), data)

    calendar.refresh_from_db()
    assert "greater than or equal to 5" in bad.text
    assert good.status_code == 302
    assert (calendar.length_minutes, calendar.step_minutes) == (45, 15)


def publish(client, calendar, **changes):
    data = {
        "calendar": calendar.slug,
        "first_date": "2026-11-30",
        "last_date": "2026-12-04",
        "weekdays": ["0", "2"],
        "from_time": "09:00",
        "until_time": "12:00",
        "every_minutes": "30",
        "length_minutes": "30",
        **changes,
    }
    return client.post(reverse("publish_slots"), data)


def test_publishing_slots_every_30_minutes_on_chosen_weekdays(client, provider, calendar):
    client.force_login(provider)

    response = publish(client, calendar)

    # Monday 30 Nov and Wednesday 2 Dec, 09:00-12:00 London (= UTC in winter): 6 + 6.
    assert response.status_code == 302
    starts = list(TimeSlot.objects.values_list("start_time", flat=True))
    assert len(starts) == 12
    assert starts[0] == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    page = client.get(reverse("publish_slots"))
    assert "<strong>Mon 30 Nov</strong>" in page.text
    assert "6 slots" in page.text


def test_publishing_over_an_existing_slot_is_refused_and_publishes_nothing(
    client, provider, calendar, make_slot
):
    make_slot(datetime(2026, 12, 2, 10, 15, tzinfo=UTC))
    client.force_login(provider)

    response = publish(client, calendar)

    assert response.status_code == 200
    assert "overlaps the existing slot" in response.text
    assert TimeSlot.objects.count() == 1


def test_publishing_with_until_before_from_is_refused(client, provider, calendar):
    client.force_login(provider)

    response = publish(client, calendar, from_time="12:00", until_time="09:00")

    assert "must be after" in response.text
    assert not TimeSlot.objects.exists()


@pytest.mark.parametrize("week", ["9999-W52", "2026-W60", "next", "0001-W01"])
def test_a_malformed_or_far_away_week_shows_this_week(client, provider, calendar, week):
    client.force_login(provider)

    response = client.get(reverse("provider_schedule"), {"week": week})

    assert response.status_code == 200
    assert "23 Nov – 29 Nov 2026" in response.text


def test_publishing_at_the_end_of_time_is_refused_with_a_message(client, provider, calendar):
    client.force_login(provider)

    response = publish(client, calendar, first_date="9999-12-30", last_date="9999-12-31")

    assert "between 1900 and 2199" in response.text
    assert not TimeSlot.objects.exists()


@pytest.mark.parametrize("name", [*POSTS, "publish_slots"])
def test_a_foreign_or_unknown_calendar_slug_is_a_404_and_changes_nothing(
    client, make_user, calendar, make_calendar, name
):
    stranger = make_user("stranger")
    own = make_calendar(stranger, name="Mine", slug="mine")
    client.force_login(stranger)
    before = [(c.name, c.length_minutes) for c in (own, calendar)]
    data = {"name": "Changed", "length_minutes": "45", "step_minutes": "15"}

    foreign = client.post(reverse(name), {**data, "calendar": calendar.slug})
    unknown = client.post(reverse(name), {**data, "calendar": "no-such-calendar"})
    page = client.get(reverse("provider_availability"), {"calendar": calendar.slug})

    own.refresh_from_db()
    calendar.refresh_from_db()
    assert (foreign.status_code, unknown.status_code, page.status_code) == (404, 404, 404)
    assert [(c.name, c.length_minutes) for c in (own, calendar)] == before
    assert not WorkingHours.objects.filter(schedule=own.schedule).exists()


def test_the_publish_page_names_the_zone_its_times_are_in(client, provider, make_calendar):
    make_calendar(provider, name="Lessons", slug="lessons", time_zone="America/New_York")
    client.force_login(provider)

    page = client.get(reverse("publish_slots"), {"calendar": "lessons"})

    assert page.status_code == 200
    assert "Times are in <strong>America/New_York</strong>" in page.text


# ---------- The week grid ----------


def _book(client_user, calendar, start, **extra):
    return services.appointment_book(
        user=client_user, calendar=calendar, start=start, now=NOW, **extra
    )


@pytest.fixture
def dentist(open_calendar):
    """Time off on Wednesday 25 November 2026, 09:00-10:00 (London is on GMT)."""
    return TimeOff.objects.create(
        schedule=open_calendar.schedule,
        start_time=WED_9,
        end_time=WED_9.replace(hour=10),
        reason="Dentist",
    )


def test_the_grid_draws_hours_time_off_overrides_and_busy_time_of_the_week(
    client, provider, client_user, open_calendar, dentist
):
    from calendars.models import BusyBlock, BusySource

    DateOverride.objects.create(schedule=open_calendar.schedule, date=date(2026, 11, 26))
    source = BusySource.objects.create(
        user=provider, kind="ics", name="Work", url="https://example.com/a.ics"
    )
    BusyBlock.objects.create(
        source=source,
        user=provider,
        start_time=WED_9.replace(day=27, hour=10),
        end_time=WED_9.replace(day=27, hour=11),
    )
    client.force_login(provider)

    response = client.get(reverse("provider_schedule"), {"week": "2026-W48"})

    assert response.text.count('class="pv-layer pv-hours ') == 4  # Mon-Fri but the closed Thursday
    assert "Time off: Dentist" in response.text and "09:00–10:00" in response.text
    assert "Closed (override)" in response.text
    assert "Busy (Work)" in response.text
    assert "Nothing booked" not in response.text


def test_the_grid_is_the_same_query_count_for_one_booking_or_many_and_any_history(
    client, provider, client_user, open_calendar, make_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from appointments.models import Appointment

    _book(client_user, open_calendar, WED_9)
    client.force_login(provider)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("provider_schedule"), {"week": "2026-W48"}).status_code == 200
        return len(queries)

    few = count()
    for hour in (10, 11):
        _book(make_user(f"booker{hour}"), open_calendar, WED_9.replace(hour=hour))
    # History of earlier weeks, written directly (the service refuses the past).
    for weeks in range(1, 6):
        old = WED_9.replace(day=25 - weeks) if weeks < 3 else WED_9.replace(month=10, day=weeks)
        past = Appointment.objects.create(
            user=client_user,
            calendar=open_calendar,
            start_time=old,
            end_time=old.replace(minute=30),
        )
        past.host_rows.create(user=provider)

    assert count() == few


def test_a_week_with_the_november_change_draws_hours_at_their_wall_times(
    client, make_user, make_calendar
):
    from appointments.provider import selectors

    host = make_user("ny")
    calendar = make_calendar(
        host,
        slug="ny",
        time_zone="America/New_York",
        hours={d: [(time(9), time(17))] for d in range(7)},
    )
    week = selectors.schedule_week(
        host,
        week="2026-W44",  # Mon 26 Oct - Sun 1 Nov 2026; clocks fall back on the Sunday
        zone=ZoneInfo("America/New_York"),
        now=NOW,
        schedule=calendar.schedule,
    )

    hours = [[b.place.css for b in day.blocks if b.kind == "hours"] for day in week.days]
    assert hours[0] == hours[6] == ["pv-at-5 pv-span-32 pv-lane-1-0"]  # 09:00-17:00 from 08:00
    assert [day.hours for day in week.days] == ["09:00–17:00"] * 7


def test_a_booking_left_outside_the_hours_by_an_edit_is_listed_and_marked(
    client, provider, client_user, open_calendar
):
    _book(client_user, open_calendar, WED_9)
    client.force_login(provider)
    fields = {"calendar": open_calendar.slug}
    for day in range(5):
        fields[f"hours-{day}-start"], fields[f"hours-{day}-end"] = "10:00", "12:00"

    saved = client.post(reverse("availability_hours"), fields, **HTMX)
    grid = client.get(reverse("provider_schedule"), {"week": "2026-W48"})

    assert "Working hours saved." in saved.text
    assert "1 coming booking now falls outside these hours." in saved.text
    assert "Wed 25 Nov 2026, 09:00–09:30 GMT" in saved.text
    assert "Outside your hours" in grid.text and "is-outside" in grid.text


# ---------- Why is this time not available? ----------


def test_why_explains_a_time_in_plain_words_for_the_host_only(
    client, provider, client_user, open_calendar, dentist
):
    asked = {"calendar": open_calendar.slug, "date": "2026-11-25", "time": "09:00"}
    anonymous = client.get(reverse("provider_why"), asked)
    client.force_login(client_user)
    outsider = client.get(reverse("provider_why"), asked)
    client.force_login(provider)

    page = client.get(reverse("provider_why"), asked)
    partial = client.get(reverse("provider_why"), asked, **HTMX)
    free = client.get(reverse("provider_why"), {**asked, "time": "11:00"})

    assert anonymous.status_code == 302 and outsider.status_code == 404
    assert "<html" in page.text and "You are away then (time off: Dentist)." in page.text
    assert partial.text.lstrip().startswith('<div id="why-panel"')
    assert "Bookers can book this time." in free.text


def test_why_refuses_another_providers_event_type(
    client, provider, make_user, make_calendar, calendar
):
    theirs = make_calendar(make_user("someone"), slug="theirs")
    client.force_login(provider)

    response = client.get(
        reverse("provider_why"), {"calendar": theirs.slug, "date": "2026-11-25", "time": "09:00"}
    )

    assert response.status_code == 404


def test_empty_times_of_the_grid_link_to_why(client, provider, open_calendar):
    client.force_login(provider)

    response = client.get(reverse("provider_schedule"), {"week": "2026-W48"})

    link = f"{reverse('provider_why')}?calendar=consultations&amp;date=2026-11-25&amp;time=09:30"
    assert f'href="{link}"' in response.text and f'hx-get="{link}"' in response.text


# ---------- Weekly hours rows ----------


def test_weekly_hours_show_one_row_per_interval_and_closed_days_none(
    client, provider, open_calendar
):
    client.force_login(provider)

    response = client.get(reverse("provider_availability"))

    assert response.text.count('name="hours-0-start"') == 2  # Monday's interval + the <template>
    assert response.text.count('name="hours-5-start"') == 1  # Saturday: only the <template>


def test_add_hours_without_javascript_shows_the_form_again_with_a_row_more_unsaved(
    client, provider, open_calendar
):
    client.force_login(provider)
    fields = {
        "calendar": open_calendar.slug,
        "add": "5",
        "hours-0-start": "08:00",
        "hours-0-end": "12:00",
    }

    response = client.post(reverse("availability_hours"), fields)

    assert response.status_code == 200
    assert response.text.count('name="hours-5-start"') == 2
    assert 'value="08:00"' in response.text and "autofocus" in response.text
    assert open_calendar.schedule.working_hours.filter(weekday=0).get().start_time == time(9)


def test_weekly_hours_errors_sit_by_the_day_and_by_the_save_button(client, provider, open_calendar):
    client.force_login(provider)
    fields = {
        "calendar": open_calendar.slug,
        "hours-2-start": ["09:00", "10:00"],
        "hours-2-end": ["11:00", "12:00"],
    }

    response = client.post(reverse("availability_hours"), fields, **HTMX)

    assert 'id="hours-error-2"' in response.text
    assert '<div class="pv-save-errors" role="alert"><strong>Not saved.</strong>' in response.text
    assert '<a href="#hours-day-2">Wednesday</a>' in response.text


def test_closing_the_date_of_a_booking_warns_in_the_overrides_section(
    client, provider, client_user, open_calendar
):
    _book(client_user, open_calendar, WED_9)
    client.force_login(provider)

    response = client.post(
        reverse("override_add"),
        {"calendar": open_calendar.slug, "date": "2026-11-25", "closed": "on"},
        **HTMX,
    )

    assert response.text.lstrip().startswith('<section id="overrides-section"')
    assert "1 coming booking now falls outside these hours." in response.text


def test_ten_oclock_is_drawn_at_one_height_across_londons_october_change(
    client, provider, client_user, make_calendar
):
    from appointments.provider import selectors

    every_day = {d: [(time(9), time(17))] for d in range(7)}
    calendar = make_calendar(provider, slug="london", hours=every_day)
    saturday = datetime(2026, 10, 24, 9, tzinfo=UTC)  # 10:00 BST
    monday = datetime(2026, 10, 26, 10, tzinfo=UTC)  # 10:00 GMT, after Sunday's change
    for start in (saturday, monday):
        services.appointment_book(user=client_user, calendar=calendar, start=start, now=start)

    week_before, week_after = (
        selectors.schedule_week(
            provider,
            week=week,
            zone=ZoneInfo("Europe/London"),
            now=NOW,
            schedule=calendar.schedule,
        )
        for week in ("2026-W43", "2026-W44")
    )

    rows = [
        week_before.days[5].bookings[0].place.row,
        week_after.days[0].bookings[0].place.row,
    ]
    assert rows == [9, 9]  # 10:00 is the 9th quarter hour from 08:00 on both days
    # Sunday 25 October is 25 hours long; its 09:00-17:00 is drawn like any other day's.
    assert [b.place.css for b in week_before.days[6].blocks] == ["pv-at-5 pv-span-32 pv-lane-1-0"]
