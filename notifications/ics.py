"""The calendar file attached to appointment e-mails (iCalendar iTIP, RFC 5546).

Built by `calendars.events`, the one place an appointment becomes an iCalendar event: the same UID
for the life of the appointment (`Appointment.ical_uid`) and its SEQUENCE, bumped on every
change, let a calendar client update or remove the event it imported from the first e-mail.
"""

from __future__ import annotations

from appointments.models import Appointment
from calendars.events import appointment_ics as calendar_file
from calendars.events import organizer_copy_ics

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def appointment_ics(appointment: Appointment, *, method: str) -> str:
    """The booker's invitation: REQUEST for a new or moved appointment, CANCEL (with
    STATUS:CANCELLED) for a cancelled one."""
    return calendar_file(appointment, method=method).decode("utf-8")


def organizer_ics(appointment: Appointment) -> str:
    """The provider's copy of their own event, whatever happened to it: iTIP's REQUEST and
    CANCEL go from the organizer to attendees, so the organizer gets PUBLISH (with
    STATUS:CANCELLED once cancelled), which their calendar app files without asking them to
    answer an invitation."""
    return organizer_copy_ics(appointment).decode("utf-8")
