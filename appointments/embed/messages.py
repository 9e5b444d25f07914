"""What the frame tells the page around it once a booking is made (window.postMessage).

The message is posted to any parent origin ("*": the embedding site is not known in advance),
so it holds only what the booker's page may show anyway: no manage token, no e-mail address."""

from __future__ import annotations


def booked_details(appointment) -> dict:
    return {
        "event_type": appointment.calendar.name,
        "event_type_slug": appointment.calendar.slug,
        "status": appointment.status,
        "start": appointment.start_time.isoformat(),
        "end": appointment.end_time.isoformat(),
        "time_zone": appointment.contact_time_zone or "UTC",
    }
