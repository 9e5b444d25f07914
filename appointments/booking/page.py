"""What the booking and reschedule pages show, and how a chosen time becomes a booking.

The month's free days and the chosen day's free times come from one availability read over the
month grid, in the booker's zone (request.viewer_zone)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.forms import time_zone_choices
from appointments import overview
from appointments.access import appointment_rights
from appointments.booking import selectors as booking_selectors
from appointments.booking import services
from appointments.booking.time import (
    WEEKDAY_LABELS,
    add_months,
    day_window,
    first_of_month,
    free_counts_by_day,
    group_by_local_date,
    month_grid,
    month_weeks,
    parse_day,
    parse_month,
    slot_choices,
    zone_label,
)
from appointments.errors import BookingError
from appointments.guests.forms import BookerForm
from appointments.guests.selectors import asked_questions
from appointments.guests.services import manage_path
from appointments.models import Appointment, Calendar, TimeSlot


class BookingPage:
    """The month calendar and the chosen day's slots of one calendar, for one viewer."""

    def __init__(
        self,
        request,
        calendar: Calendar,
        *,
        url: str,
        moving: Appointment | None = None,
        actor=None,
        back_url: str = "",
        extra: dict | None = None,
    ):
        """`actor`: who moves `moving` (the manage link's holder), else the signed-in user.
        `extra`: context every render of the page carries (the embed's layout and form token)."""
        self.request = request
        self.extra = extra or {}
        self.actor = actor if actor is not None else request.user
        self.back_url = back_url
        self.calendar = calendar
        self.url = url
        self.moving = moving
        self.now = timezone.now()
        self.zone = ZoneInfo(getattr(request, "viewer_zone", "UTC"))
        self.today = self.now.astimezone(self.zone).date()
        params = request.GET if request.method == "GET" else request.POST
        self.day = self._within_reach(parse_day(params.get("day")))
        month = self._within_reach(parse_month(params.get("month")))
        self.month = max(
            month or first_of_month(self.day or self.today), first_of_month(self.today)
        )

    def _hosted_by(self, user) -> bool:
        return self.calendar.host_rows.filter(user=user).exists()

    def _within_reach(self, day: date | None) -> date | None:
        """A requested day or month counts only between last month and a year past the horizon;
        anything else (a typo, year 9999) is ignored rather than computed."""
        if day is None or not self.today - timedelta(
            days=62
        ) <= day <= self.last_bookable_day + timedelta(days=366):
            return None
        return day

    @property
    def last_bookable_day(self) -> date:
        horizon = self.now + timedelta(days=self.calendar.horizon_days)
        return horizon.astimezone(self.zone).date()

    def _free(self, first_day: date, last_day: date):
        start, end = day_window(first_day, last_day, self.zone)
        slots = booking_selectors.free_slots(
            self.calendar, window_start=start, window_end=end, now=self.now, moving=self.moving
        )
        # The appointment being moved does not block its neighbours, but its own time is no move.
        current = self.moving.start_time if self.moving else None
        return [slot for slot in slots if slot.start != current]

    def _month_and_day(self) -> tuple[list, date | None, list]:
        weeks = month_weeks(self.month)
        month_slots = self._free(weeks[0][0], weeks[-1][-1])
        counts = free_counts_by_day(month_slots, self.zone)
        day = self.day or next(
            (d for d in sorted(counts) if d.month == self.month.month and d >= self.today), None
        )
        if day is None:
            day_slots = []
        elif weeks[0][0] <= day <= weeks[-1][-1]:
            day_slots = [s for s in month_slots if s.start.astimezone(self.zone).date() == day]
        else:
            day_slots = self._free(day, day)
        marked = self.moving.start_time.astimezone(self.zone).date() if self.moving else None
        return month_grid(self.month, counts, self.today, marked), day, day_slots

    def _next_free_day(self, after: date) -> date | None:
        """The first local date after `after` with a free time, within the booking horizon.

        Searched in growing chunks (a week, then four times as far each round), so that the
        usual answer, a few days ahead, costs one read of a week instead of the whole horizon;
        a horizon of two years with nothing free takes at most five reads."""
        first, span = after + timedelta(days=1), 7
        while first <= self.last_bookable_day:
            last = min(first + timedelta(days=span - 1), self.last_bookable_day)
            slots = self._free(first, last)
            if slots:
                return slots[0].start.astimezone(self.zone).date()
            first, span = last + timedelta(days=1), span * 4
        return None

    def _month_links(self) -> dict:
        previous = add_months(self.month, -1)
        following = add_months(self.month, 1)
        return {
            "previous_month": previous if previous >= first_of_month(self.today) else None,
            "next_month": following if following <= self.last_bookable_day else None,
        }

    def context(
        self, *, form=None, booker_form=None, refusal: BookingError | None = None, booked=None
    ) -> dict:
        weeks, day, day_slots = self._month_and_day()
        user = self.request.user
        next_free = None
        if not day_slots and booked is None:
            last_shown = day or weeks[-1][-1].day
            next_free = self._next_free_day(max(last_shown, self.today))
        return {
            "calendar": self.calendar,
            "page_url": self.url,
            "moving": self.moving,
            "month": self.month,
            "weeks": weeks,
            "weekday_labels": WEEKDAY_LABELS,
            "selected_day": day,
            "next_free": next_free,
            "day_groups": group_by_local_date(slot_choices(day_slots, self.zone)),
            "zone_label": zone_label(self.zone, self.now),
            "zone_choices": time_zone_choices(self.now)[1:],
            "form": form,
            "refusal": refusal,
            "alternatives": slot_choices(list(refusal.alternatives), self.zone) if refusal else [],
            "booked": booked,
            "upcoming": overview.upcoming(user, now=self.now) if user.is_authenticated else [],
            "can_book": not (user.is_authenticated and self._hosted_by(user)),
            "booker_form": booker_form
            or BookerForm(questions=asked_questions(self.calendar), user=user),
            **self._move_rights(),
            "back_url": self.back_url,
            "manage_path": _manage_path(booked),
            **self._month_links(),
            **self.extra,
        }

    def _move_rights(self) -> dict:
        """Whether the appointment being moved may move, and if not why (e.g. whom to contact
        inside the cancellation policy's notice)."""
        if self.moving is None:
            return {"can_move": False, "why_not_move": ""}
        rights = appointment_rights(self.moving, self.actor, now=self.now)
        return {"can_move": rights.can_reschedule, "why_not_move": rights.why_not}


def _manage_path(booked: Appointment | None) -> str:
    token = getattr(booked, "manage_token", None)
    return manage_path(booked, token) if token else ""


def _invalid(form) -> BookingError:
    return BookingError("invalid", "Please correct the marked fields and try again.")


def _published_slot(calendar: Calendar, slot_id: int) -> TimeSlot:
    slot = TimeSlot.objects.select_related("calendar").filter(pk=slot_id, calendar=calendar).first()
    if slot is None:
        raise BookingError(
            "unknown_slot", "That time is not offered on this calendar; choose another."
        )
    return slot


def choose_and_book(
    form, booker_form, *, user, calendar: Calendar, now, zone: str = ""
) -> Appointment:
    """Book the time the form names, for the signed-in `user` or the guest `booker_form`
    describes, with its answers; or raise BookingError (the forms' errors, or the service's)."""
    if not all([form.is_valid(), booker_form.is_valid()]):
        raise _invalid(form)
    slot_id, start = form.cleaned_data["slot"]
    who = {"user": user} if user.is_authenticated else {"guest": booker_form.guest(zone=zone)}
    details = {
        "description": form.cleaned_data.get("description", ""),
        "answers": booker_form.answers(),
        "phone": booker_form.cleaned_data["phone"],
        "now": now,
    }
    if slot_id is not None:
        slot = _published_slot(calendar, slot_id)
        return services.appointment_book(**who, time_slot=slot, **details)
    return services.appointment_book(**who, calendar=calendar, start=start, **details)


def choose_and_reschedule(form, *, appointment: Appointment, user, now) -> Appointment:
    if not form.is_valid():
        raise _invalid(form)
    slot_id, start = form.cleaned_data["slot"]
    slot = _published_slot(appointment.calendar, slot_id) if slot_id is not None else None
    return services.appointment_reschedule(
        appointment=appointment, by_user=user, time_slot=slot, start=start, now=now
    )
