"""Text that RFC 5545 forbids is cleaned where it enters: the booking forms, the booking service
(which the admin and any later API go through), the provider's calendar settings, the names of
calendar sources, and text read from other servers."""

from __future__ import annotations

import pytest

from appointments.booking import services
from appointments.booking.forms import BookSlotForm
from appointments.forms import AppointmentForm
from appointments.provider.forms import CalendarSettingsForm
from calendars.forms import IcsSourceForm
from calendars.text import CalendarTextField, calendar_text, is_calendar_safe
from conftest import NOW

PASTED = "Knee\x0bpain\x00 since\x1b Monday\x7f;\r\nsee notes\u2028thanks\x85bye\ufffe"


@pytest.mark.parametrize(
    ("raw", "clean", "line"),
    [
        ("a\x0bb", "a\nb", "a b"),
        ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour", "one two three four"),
        ("tab\tkept; commas, too \\ \U0001f600", "tab\tkept; commas, too \\ \U0001f600", None),
        ("\x00\x01\x02\x1f\x7f\x80\x9f", "", ""),
        ("lone \ud800 surrogate", "lone  surrogate", None),
        ("line  \n \n  break", "line  \n \n  break", "line break"),
        ("", "", ""),
    ],
)
def test_calendar_text_removes_what_rfc_5545_forbids_and_nothing_else(raw, clean, line):
    assert calendar_text(raw) == clean
    assert calendar_text(raw, single_line=True) == (clean if line is None else line)
    assert is_calendar_safe(clean)


def test_the_form_field_cleans_before_it_checks_the_length():
    field = CalendarTextField(max_length=5)

    assert field.clean("ab\x00\x00\x00\x00cd") == "abcd"
    assert CalendarTextField(single_line=True).clean(" Dr\r\nWho ") == "Dr Who"


def test_the_booking_forms_clean_the_description():
    booking = BookSlotForm(data={"slot": "slot:1", "description": PASTED})
    plain = AppointmentForm(data={"calendar": "", "description": PASTED}, user=None, now=NOW)

    assert booking.is_valid(), booking.errors
    plain.is_valid()
    for cleaned in (booking.cleaned_data["description"], plain.cleaned_data["description"]):
        assert cleaned == "Knee\npain since Monday;\nsee notes\nthanks\nbye"


@pytest.mark.django_db
def test_the_booking_service_stores_the_cleaned_description(client_user, slot):
    appointment = services.appointment_book(
        user=client_user, time_slot=slot, description=PASTED, now=NOW
    )

    appointment.refresh_from_db()
    assert appointment.description == "Knee\npain since Monday;\nsee notes\nthanks\nbye"


@pytest.mark.django_db
def test_the_calendar_settings_clean_name_and_description(calendar):
    data = {
        "name": "Consul\x08tations\r\nand more",
        "description": PASTED,
        "is_active": "on",
        "length_minutes": 30,
        "step_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "minimum_notice_minutes": 0,
        "horizon_days": 60,
        "max_per_day": "",
    }
    form = CalendarSettingsForm(data=data, instance=calendar)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Consultations and more"
    assert form.cleaned_data["description"] == "Knee\npain since Monday;\nsee notes\nthanks\nbye"


@pytest.mark.django_db
def test_a_sources_name_is_one_clean_line(provider, calendar):
    form = IcsSourceForm(data={"name": "Work\x00\r\ncalendar", "url": "https://x.test/a.ics"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Work calendar"
