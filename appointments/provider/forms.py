"""Forms of the provider area. They parse; the availability services decide."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms

from appointments.models import Calendar, Schedule, WorkingHours
from appointments.provider.services import SETTINGS_FIELDS
from appointments.scheduling import slot_times, wall_to_instant
from calendars.text import CalendarLineField, CalendarTextField
from config.bounds import BoundedDateField, BoundedDateTimeField

WEEKDAYS = WorkingHours.Weekday.choices


class CalendarSettingsForm(forms.ModelForm):
    class Meta:
        model = Calendar
        fields = list(SETTINGS_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        # The name and description go into calendar files (event titles, invitations).
        field_classes = {"name": CalendarLineField, "description": CalendarTextField}
        labels = {"is_active": "Taking bookings"}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _parse_time(text: str) -> time | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


class WorkingHoursForm:
    """The week's intervals from repeated `hours-<weekday>-start` / `-end` fields; a row with both
    fields empty is dropped (that is how an interval is removed without JavaScript).

    One row per interval: a day without any shows "Closed". "Add hours" is a submit button named
    `add` with the weekday: with JavaScript it reveals a row in the browser; without, the server
    shows the form again, unsaved, with an empty row on that day (`adding`)."""

    def __init__(self, data=None, *, schedule: Schedule) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self.intervals: dict[int, list[tuple[time, time]]] = {}
        self.raw: dict[int, list[tuple[str, str]]] = {}
        self.adding: int | None = None
        if data is None:
            for hours in schedule.working_hours.all():
                self.raw.setdefault(hours.weekday, []).append(
                    (f"{hours.start_time:%H:%M}", f"{hours.end_time:%H:%M}")
                )
            return
        added = str(data.get("add", ""))
        if added.isdigit() and int(added) in dict(WEEKDAYS):
            self.adding = int(added)
        self._read()

    def _read(self) -> None:
        for day, _ in WEEKDAYS:
            starts = self.data.getlist(f"hours-{day}-start")
            ends = self.data.getlist(f"hours-{day}-end")
            rows = [(s.strip(), e.strip()) for s, e in zip(starts, ends, strict=False)]
            self.raw[day] = [row for row in rows if row != ("", "")]

    @property
    def is_adding(self) -> bool:
        return self.adding is not None

    def is_valid(self) -> bool:
        for day, label in WEEKDAYS:
            for start_text, end_text in self.raw[day]:
                start, end = _parse_time(start_text), _parse_time(end_text)
                if start is None or end is None:
                    self.errors.setdefault(str(day), []).append(
                        f"{label}: give both a start and an end time as HH:MM."
                    )
                    continue
                self.intervals.setdefault(day, []).append((start, end))
        return not self.errors

    def rows(self) -> list[dict]:
        """One entry per weekday for the template: its intervals (an empty one more on the day
        being added to) and its errors."""
        return [
            {
                "weekday": day,
                "label": label,
                "intervals": [*self.raw.get(day, []), *([("", "")] if day == self.adding else [])],
                "errors": self.errors.get(str(day), []),
            }
            for day, label in WEEKDAYS
        ]

    def error_days(self) -> list[tuple[int, str]]:
        return [(day, label) for day, label in WEEKDAYS if str(day) in self.errors]

    def other_errors(self) -> list[str]:
        return self.errors.get("__all__", [])


class DateOverrideForm(forms.Form):
    date = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(required=False, label="Closed all day")
    start_time = forms.TimeField(
        required=False, label="From", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        required=False, label="Until", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("closed"):
            data["start_time"] = data["end_time"] = None
        elif not self.errors and (data.get("start_time") is None or data.get("end_time") is None):
            raise forms.ValidationError("Give the hours for that date, or tick “Closed all day”.")
        return data


class TimeOffForm(forms.Form):
    """Wall-clock times in the calendar's zone; a date-only range means whole days."""

    start = BoundedDateTimeField(
        label="From", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = BoundedDateTimeField(
        label="Until", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(required=False, max_length=200)


class WhyForm(forms.Form):
    """An event type the person hosts, a date and a wall time in the viewer's zone."""

    calendar = forms.ChoiceField(label="Event type")
    date = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, calendars: list[Calendar], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calendars = {calendar.slug: calendar for calendar in calendars}
        self.fields["calendar"].choices = [(c.slug, c.name) for c in calendars]

    def clean_calendar(self) -> Calendar:
        return self.calendars[self.cleaned_data["calendar"]]

    def start(self, zone: ZoneInfo) -> datetime:
        data = self.cleaned_data
        return wall_to_instant(data["date"], data["time"].replace(second=0), zone)


class PublishSlotsForm(forms.Form):
    first_date = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    last_date = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
        label="On these weekdays",
    )
    from_time = forms.TimeField(
        label="From", initial=time(9), widget=forms.TimeInput(attrs={"type": "time"})
    )
    until_time = forms.TimeField(
        label="Until", initial=time(12), widget=forms.TimeInput(attrs={"type": "time"})
    )
    every_minutes = forms.IntegerField(
        label="A slot every (minutes)", min_value=5, max_value=24 * 60, initial=30
    )
    length_minutes = forms.IntegerField(
        label="Slot length (minutes)", min_value=5, max_value=24 * 60, initial=30
    )

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", "The last date must be on or after the first date.")
        elif first and last and (last - first).days > 92:
            self.add_error("last_date", "Publish at most three months at a time.")
        start, until = data.get("from_time"), data.get("until_time")
        if start and until and until <= start:
            self.add_error("until_time", "“Until” must be after “From” on the same day.")
        return data

    def slots(self, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The slots the form describes, as instants: wall times in the calendar's zone."""
        data = self.cleaned_data
        return slot_times(
            data["first_date"],
            data["last_date"],
            data["weekdays"],
            data["from_time"],
            data["until_time"],
            length=timedelta(minutes=data["length_minutes"]),
            every=timedelta(minutes=data["every_minutes"]),
            zone=zone,
        )
