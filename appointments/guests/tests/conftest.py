from __future__ import annotations

import pytest

# The booking pages' calendar (Monday to Friday 09:00-12:00 London) and its Wednesday 09:00.
from appointments.booking.tests.test_views import WED_9, open_calendar  # noqa: F401
from appointments.models import BookingQuestion


@pytest.fixture
def questions(open_calendar):  # noqa: F811 (the imported fixture)
    """A required single choice and an optional short text."""
    visit = BookingQuestion.objects.create(
        calendar=open_calendar,
        position=1,
        kind=BookingQuestion.Kind.SINGLE_CHOICE,
        label="Kind of visit",
        required=True,
        choices=["First visit", "Follow-up"],
    )
    referral = BookingQuestion.objects.create(
        calendar=open_calendar, position=2, label="Who referred you?", help_text="Optional"
    )
    return visit, referral
