from __future__ import annotations

from django import forms
from django.utils import timezone

from appointments.booking.services import DESCRIPTION_MAX
from appointments.models import Calendar, TimeSlot
from calendars.text import CalendarTextField
from config.bounds import BoundedDateTimeField


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot) -> str:
        start = timezone.localtime(slot.start_time)
        end = timezone.localtime(slot.end_time)
        return f"{slot.calendar.name} — {start:%a %d %b %Y, %H:%M}–{end:%H:%M} ({start.tzname()})"


class AppointmentForm(forms.Form):
    """The brief's booking form: a published slot, or a calendar and the start of a computed
    time (ISO 8601 with an offset), plus a description. Rules are checked by the service."""

    time_slot = SlotChoiceField(
        queryset=None,
        required=False,
        empty_label="Choose a time",
        error_messages={"invalid_choice": "That time is not available; choose another one."},
    )
    calendar = forms.SlugField(required=False, widget=forms.HiddenInput)
    start = BoundedDateTimeField(
        required=False,
        widget=forms.HiddenInput,
        input_formats=["iso-8601"],
        error_messages={"invalid": "The chosen time is not a valid date and time."},
    )
    description = CalendarTextField(
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        required=False,
        max_length=DESCRIPTION_MAX,
        strip=True,
    )

    def __init__(self, *args, user, now, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any existing slot: the service gives the precise refusal (taken, past, your own
        # calendar...) instead of a generic "invalid choice".
        self.fields["time_slot"].queryset = TimeSlot.objects.select_related(
            "calendar", "calendar__provider"
        )

    def clean_calendar(self) -> Calendar | None:
        slug = self.cleaned_data.get("calendar")
        if not slug:
            return None
        calendar = Calendar.objects.select_related("provider").filter(slug=slug).first()
        if calendar is None:
            raise forms.ValidationError("That calendar does not exist.")
        return calendar

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        has_computed = data.get("calendar") is not None and data.get("start") is not None
        if data.get("time_slot") is None and not has_computed:
            raise forms.ValidationError("Choose a time to book.")
        return data
