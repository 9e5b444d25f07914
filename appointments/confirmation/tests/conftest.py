from __future__ import annotations

from datetime import timedelta

import pytest

from appointments.booking import services
from appointments.booking.tests.test_views import WED_9, open_calendar  # noqa: F401
from appointments.models import Guest
from conftest import NOW

ANSWER_HOURS = 4
ANSWER_BY = NOW + timedelta(hours=ANSWER_HOURS)


@pytest.fixture
def confirming(open_calendar):  # noqa: F811 (the imported fixture)
    """The booking pages' calendar, with host confirmation and 4 hours to answer."""
    open_calendar.requires_confirmation = True
    open_calendar.confirmation_hours = ANSWER_HOURS
    open_calendar.save()
    return open_calendar


@pytest.fixture
def requested(confirming):
    """Grace's request (a guest) for Wednesday 09:00, made at NOW."""
    return services.appointment_book(
        guest=Guest(name="Grace", email="grace@example.org"), calendar=confirming, start=WED_9
    )
