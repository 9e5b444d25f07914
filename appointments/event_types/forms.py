"""Forms of the event type and schedule pages. They parse; the services decide."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils import timezone

from accounts.forms import time_zone_choices
from appointments.event_types.services import EDITABLE_FIELDS, WEEKDAYS
from appointments.models import Schedule, WorkingHours
from appointments.provider.forms import CalendarSettingsForm
from calendars.text import CalendarLineField


def zone_choices() -> list[tuple[str, str]]:
    return time_zone_choices(timezone.now())[1:]  # a schedule needs a zone: no "automatic"


class FirstEventTypeForm(forms.Form):
    """The guided form: what is booked, and (for a person without a schedule) when they work."""

    name = CalendarLineField(
        max_length=120,
        initial="Intro call",
        help_text="What people book, as they will see it: “Intro call”, “Lesson”.",
    )
    length_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=24 * 60, initial=30
    )
    time_zone = forms.ChoiceField(label="Your time zone")
    weekdays = forms.TypedMultipleChoiceField(
        label="Days you work",
        choices=WorkingHours.Weekday.choices,
        coerce=int,
        initial=list(WEEKDAYS),
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(
        label="From", initial=time(9), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label="Until", initial=time(17), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, has_schedule: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if has_schedule:  # the event type uses the default schedule the person already has
            for name in ("time_zone", "weekdays", "start", "end"):
                del self.fields[name]
        else:
            self.fields["time_zone"].choices = zone_choices()

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "“Until” must be after “From”.")
        return data


class EventTypeForm(CalendarSettingsForm):
    """Create and edit an event type; the schedule is one of the person's own."""

    class Meta(CalendarSettingsForm.Meta):
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"remind_provider": "Send me the reminders too"}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        schedule = self.fields["schedule"]
        schedule.queryset = Schedule.objects.filter(owner=owner)
        schedule.required = True
        schedule.empty_label = None
        schedule.help_text = "When you work for this event type. Several event types may share one."


class ScheduleForm(forms.Form):
    name = forms.CharField(max_length=120, initial="Working hours")
    time_zone = forms.ChoiceField(label="Time zone")
    office_hours = forms.BooleanField(
        required=False, initial=True, label="Start with Monday to Friday, 09:00–17:00"
    )

    def __init__(self, *args, renaming: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
        if renaming:
            del self.fields["office_hours"]
