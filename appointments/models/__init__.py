"""The models of the appointments app, by concern: people's schedules, event types (the
brief's `Calendar`) and their hosts, bookings, teams."""

from .appointments import Appointment, AppointmentHost, AppointmentQuerySet, Guest, Occupation
from .event_types import Calendar, Host, TimeSlot, default_reminder_offsets
from .guests import BookingAnswer, BookingQuestion, ManageLink
from .schedules import DateOverride, Schedule, TimeOff, WorkingHours
from .teams import Membership, Team, TeamInvitation

__all__ = [
    "Appointment",
    "AppointmentHost",
    "AppointmentQuerySet",
    "BookingAnswer",
    "BookingQuestion",
    "Calendar",
    "DateOverride",
    "Guest",
    "Host",
    "ManageLink",
    "Membership",
    "Occupation",
    "Schedule",
    "Team",
    "TeamInvitation",
    "TimeOff",
    "TimeSlot",
    "WorkingHours",
    "default_reminder_offsets",
]
