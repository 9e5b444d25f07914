"""The owner's editor of an event type's booking questions: add (validated), reorder, remove
(answers kept); another user gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.guests.selectors import asked_questions
from appointments.guests.services import Answer
from appointments.guests.tests.conftest import WED_9
from appointments.models import BookingAnswer, BookingQuestion, Guest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def labels(calendar) -> list[str]:
    return [question.label for question in asked_questions(calendar)]


def test_the_owner_adds_a_choice_question_and_bad_input_changes_nothing(
    client, provider, open_calendar
):
    client.force_login(provider)
    url = reverse("event_type_questions", args=[open_calendar.pk])

    bad = client.post(url, {"label": "Kind", "kind": "single_choice", "choices_text": "Only one"})
    assert "Give 2 to 20 options" in bad.text
    assert not BookingQuestion.objects.exists()
    assert "This field is required" in client.post(url, {"kind": "short_text"}).text

    client.post(
        url,
        {
            "label": "Kind of visit",
            "kind": "multiple_choice",
            "required": "on",
            "choices_text": "First visit\nFollow-up\n\nFollow-up",
        },
    )
    client.post(url, {"label": "Phone at work", "kind": "phone", "choices_text": "ignored"})

    first, second = asked_questions(open_calendar)
    assert (first.label, first.required, first.choices) == (
        "Kind of visit",
        True,
        ["First visit", "Follow-up"],
    )
    assert (second.kind, second.choices) == ("phone", [])
    assert "Kind of visit" in client.get(url).text


def test_the_owner_reorders_and_removes_and_past_answers_stay(client, provider, questions):
    visit, referral = questions
    booking = services.appointment_book(
        guest=Guest(name="Grace", email="grace@example.org"),
        calendar=visit.calendar,
        start=WED_9,
        answers=[Answer(visit, "Follow-up")],
    )
    client.force_login(provider)

    client.post(reverse("question_move", args=[referral.pk]), {"direction": "up"})
    assert labels(visit.calendar) == ["Who referred you?", "Kind of visit"]
    client.post(reverse("question_move", args=[referral.pk]), {"direction": "up"})  # already first
    assert labels(visit.calendar) == ["Who referred you?", "Kind of visit"]
    client.post(reverse("question_remove", args=[visit.pk]))

    assert labels(visit.calendar) == ["Who referred you?"]
    assert BookingAnswer.objects.get(appointment=booking).value == "Follow-up"
    page = client.get(reverse("book_calendar", args=[visit.calendar.slug]) + "?day=2026-11-25")
    assert f'name="q{visit.pk}"' not in page.text
    assert f'name="q{referral.pk}"' in page.text


def test_another_user_cannot_see_or_change_the_questions(client, other_user, questions):
    visit, _ = questions
    client.force_login(other_user)

    assert client.get(reverse("event_type_questions", args=[visit.calendar_id])).status_code == 404
    assert client.post(reverse("question_remove", args=[visit.pk])).status_code == 404
    assert client.post(reverse("question_move", args=[visit.pk])).status_code == 404
    visit.refresh_from_db()
    assert visit.removed_at is None and visit.position == 1
