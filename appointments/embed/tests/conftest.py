from __future__ import annotations

# The booking pages' calendar (Monday to Friday 09:00-12:00 London) and its Wednesday 09:00.
from appointments.booking.tests.test_views import WED_9, open_calendar  # noqa: F401

# A team of an owner and a member with a round-robin event type.
from appointments.teams.tests.test_views import member, owner, round_robin, team  # noqa: F401
