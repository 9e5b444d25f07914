"""One set of external events, used by the ICS and the CalDAV sync tests, and the slots of the
`calendar` fixture (Europe/London, 30-minute slots, weekdays 9:00-17:00) they must remove.

Frozen now is Tuesday 2026-11-24 09:00 UTC; in November London is on UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from appointments.availability.selectors import available_slots
from appointments.models import WorkingHours

FIRST_DAY = date(2026, 11, 25)  # Wednesday
LAST_DAY = date(2026, 11, 30)  # Monday (the weekend has no hours)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def vevent(uid: str, *lines: str) -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", *lines, "END:VEVENT"]
    )


def vcalendar(*events: str) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//slotwise tests//EN"]
    return ("\r\n".join([*head, *events, "END:VCALENDAR"]) + "\r\n").encode()


SINGLE = vevent(
    "single@test",
    "SUMMARY:Dentist",
    "DTSTART;TZID=Europe/London:20261125T100000",
    "DTEND;TZID=Europe/London:20261125T110000",
)
# Daily at 14:00 from Monday; not on Thursday (EXDATE); Friday's moved to 16:00.
RECURRING = vevent(
    "daily@test",
    "SUMMARY:Stand-up",
    "DTSTART:20261123T140000Z",
    "DTEND:20261123T143000Z",
    "RRULE:FREQ=DAILY;COUNT=10",
    "EXDATE:20261126T140000Z",
)
RECURRING_OVERRIDE = vevent(
    "daily@test",
    "SUMMARY:Stand-up (moved)",
    "RECURRENCE-ID:20261127T140000Z",
    "DTSTART:20261127T160000Z",
    "DTEND:20261127T163000Z",
)
ALL_DAY = vevent(
    "allday@test",
    "SUMMARY:Conference",
    "DTSTART;VALUE=DATE:20261130",
    "DTEND;VALUE=DATE:20261201",
)
TRANSPARENT = vevent(
    "free@test",
    "SUMMARY:Optional talk",
    "DTSTART:20261125T150000Z",
    "DTEND:20261125T160000Z",
    "TRANSP:TRANSPARENT",
)
CANCELLED = vevent(
    "cancelled@test",
    "SUMMARY:Called off",
    "DTSTART:20261126T120000Z",
    "DTEND:20261126T130000Z",
    "STATUS:CANCELLED",
)
NEW_YORK = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "BEGIN:STANDARD",
        "DTSTART:20071104T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:20070311T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]
)
# 04:00 in New York is 09:00 in London (UTC) in November.
IN_NEW_YORK = vevent(
    "newyork@test",
    "SUMMARY:Early call",
    "DTSTART;TZID=America/New_York:20261126T040000",
    "DTEND;TZID=America/New_York:20261126T050000",
)
# Floating time: read on the wall clock of the calendar's zone (London).
FLOATING = vevent(
    "floating@test", "SUMMARY:Lunch", "DTSTART:20261126T113000", "DTEND:20261126T120000"
)

# Separate objects as a CalDAV server stores them (a series and its override together).
OBJECTS = {
    "single@test": vcalendar(SINGLE),
    "daily@test": vcalendar(RECURRING, RECURRING_OVERRIDE),
    "allday@test": vcalendar(ALL_DAY),
    "free@test": vcalendar(TRANSPARENT),
    "cancelled@test": vcalendar(CANCELLED),
    "newyork@test": vcalendar(NEW_YORK, IN_NEW_YORK),
    "floating@test": vcalendar(FLOATING),
}
FEED = vcalendar(
    NEW_YORK,
    SINGLE,
    RECURRING,
    RECURRING_OVERRIDE,
    ALL_DAY,
    TRANSPARENT,
    CANCELLED,
    IN_NEW_YORK,
    FLOATING,
)

# What the events take away: Wednesday 10:00-11:00 and 14:00; Thursday 09:00-10:00 (New York)
# and 11:30 (floating); Friday's moved 16:00; all Monday. Thursday 12:00 and 14:00 stay.
REMOVED = {
    at(25, 10),
    at(25, 10, 30),
    at(25, 14),
    at(26, 9),
    at(26, 9, 30),
    at(26, 11, 30),
    at(27, 16),
    *(at(30, 9) + timedelta(minutes=30 * step) for step in range(16)),
}


def add_weekday_hours(calendar) -> None:
    for weekday in range(5):
        WorkingHours.objects.create(
            schedule=calendar.schedule, weekday=weekday, start_time=time(9), end_time=time(17)
        )


def free_starts(calendar, now: datetime) -> set[datetime]:
    start = datetime.combine(FIRST_DAY, time(), UTC)
    end = datetime.combine(LAST_DAY + timedelta(days=1), time(), UTC)
    found = available_slots(calendar, window_start=start, window_end=end, now=now)
    return {slot.start for slot in found}
