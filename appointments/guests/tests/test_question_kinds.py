"""Every kind of booking question a guest can answer: what each stores for the hosts to read, and
how a value that does not fit its kind is refused, booking nothing."""

from __future__ import annotations

import pytest

from appointments.guests.tests.test_guest_booking import guest_data, page_url
from appointments.models import Appointment, BookingAnswer, BookingQuestion, Occupation
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
Kind = BookingQuestion.Kind


@pytest.fixture
def every_kind(open_calendar, questions):
    """The conftest's choice and short text, then one question of each other kind."""
    made = {}
    for position, (kind, label, choices) in enumerate(
        [
            (Kind.LONG_TEXT, "Tell us more", []),
            (Kind.CHECKBOX, "First time here?", []),
            (Kind.NUMBER, "How many people?", []),
            (Kind.MULTIPLE_CHOICE, "Which knees?", ["Left", "Right", "Neither"]),
            (Kind.PHONE, "Emergency contact", []),
        ],
        start=3,
    ):
        made[kind] = BookingQuestion.objects.create(
            calendar=open_calendar, position=position, kind=kind, label=label, choices=choices
        )
    return made


def answers_for(questions, every_kind, **values) -> dict:
    fields = {f"q{every_kind[kind].pk}": value for kind, value in values.items()}
    return guest_data(questions, **fields)


GOOD = {
    Kind.LONG_TEXT: "It hurts\nwhen I walk.",
    Kind.CHECKBOX: "on",
    Kind.NUMBER: "2.50",
    Kind.MULTIPLE_CHOICE: ["Left", "Right"],
    Kind.PHONE: "+33 1 23 45 67 89",
}


def test_a_guest_answers_one_question_of_every_kind_and_hosts_read_each_answer(
    client, questions, every_kind
):
    data = answers_for(questions, every_kind, **GOOD)

    response = client.post(page_url(questions[0].calendar), data)

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert [(a.label, a.value) for a in appointment.answers.all()] == [
        ("Kind of visit", "Follow-up"),
        ("Who referred you?", "Dr Who"),
        ("Tell us more", "It hurts\nwhen I walk."),
        ("First time here?", "Yes"),
        ("How many people?", "2.5"),
        ("Which knees?", "Left, Right"),
        ("Emergency contact", "+33 1 23 45 67 89"),
    ]


def test_an_unticked_optional_checkbox_stores_no_answer(client, questions, every_kind):
    data = answers_for(questions, every_kind, **{**GOOD, Kind.CHECKBOX: ""})
    del data[f"q{every_kind[Kind.CHECKBOX].pk}"]  # a browser sends nothing for it

    client.post(page_url(questions[0].calendar), data)

    assert not BookingAnswer.objects.filter(label="First time here?").exists()
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Kind.NUMBER, "two", "Enter a number"),
        (Kind.PHONE, "call me", "7 to 15 digits"),
        (Kind.MULTIPLE_CHOICE, ["Left", "Elbow"], "Select a valid choice. Elbow is not one"),
        (Kind.LONG_TEXT, "x" * 2001, "at most 2000 characters"),
    ],
)
def test_a_value_that_does_not_fit_its_kind_is_refused_and_books_nothing(
    client, questions, every_kind, kind, value, message
):
    data = answers_for(questions, every_kind, **{**GOOD, kind: value})

    response = client.post(page_url(questions[0].calendar), data)

    assert response.status_code == 200
    assert message in response.text
    assert not Appointment.objects.exists()
    assert not Occupation.objects.exists()
    assert not BookingAnswer.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_required_checkbox_must_be_ticked(client, questions, every_kind):
    checkbox = every_kind[Kind.CHECKBOX]
    checkbox.required = True
    checkbox.save()
    data = answers_for(questions, every_kind, **GOOD)
    del data[f"q{checkbox.pk}"]

    response = client.post(page_url(questions[0].calendar), data)

    assert "This field is required" in response.text
    assert not Appointment.objects.exists()
