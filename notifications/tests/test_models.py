from __future__ import annotations

import pytest

from appointments.booking import services
from conftest import NOW
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_notification_creation(client_user, provider, slot):
    """The brief's test: booking creates a notification for the booker and one for the provider."""
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    booker_note = Notification.objects.get(user=client_user)
    provider_note = Notification.objects.get(user=provider)
    assert booker_note.appointment == provider_note.appointment == appointment
    assert booker_note.message.startswith("Booked: Consultations on")
    assert "(Europe/London)" in booker_note.message  # no profile zone: the calendar's zone
    assert provider_note.message.startswith("New booking by client")
    assert not booker_note.is_read
