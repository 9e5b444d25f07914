"""The calendar file attached to appointment e-mails (iCalendar iTIP, RFC 5546).

Built by `calendars.events`, the one place an appointment becomes an iCalendar event: the same UID
for the life of the appointment (`Appointment.ical_uid`) and its SEQUENCE, bumped on every
change, let a calendar client update or remove the event it imported from the first e-mail.
"""

from __future__ import annotations

from appointments.models import Appointment
from calendars.events import appointment_ics as calendar_file

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def appointment_ics(appointment: Appointment, *, method: str) -> str:
    """REQUEST for a new or moved appointment, CANCEL (with STATUS:CANCELLED) for a cancelled one."""
    return calendar_file(appointment, method=method).decode("utf-8")
