from __future__ import annotations

from datetime import datetime

from django import forms

from appointments.booking.services import DESCRIPTION_MAX
from appointments.booking.time import parse_slot_value
from calendars.text import CalendarTextField


class BookSlotForm(forms.Form):
    """A chosen time (`slot:<id>` or `start:<UTC instant>`) and what the appointment is about.
    Whether that time is still free is the service's decision, not the form's."""

    slot = forms.CharField(
        error_messages={"required": "Choose a time first."},
    )
    description = CalendarTextField(
        required=False,
        max_length=DESCRIPTION_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
    )

    def clean_slot(self) -> tuple[int | None, datetime | None]:
        try:
            return parse_slot_value(self.cleaned_data["slot"])
        except ValueError:
            raise forms.ValidationError(
                "That time is not one we offered; choose a time from the list."
            ) from None


class RescheduleForm(BookSlotForm):
    """Only a new time: the description stays the appointment's."""

    description = None
