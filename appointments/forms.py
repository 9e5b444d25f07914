from __future__ import annotations

from django import forms
from django.utils import timezone

from appointments import selectors
from appointments.services import DESCRIPTION_MAX


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot) -> str:
        start = timezone.localtime(slot.start_time)
        end = timezone.localtime(slot.end_time)
        return f"{slot.calendar.name} — {start:%a %d %b %Y, %H:%M}–{end:%H:%M} ({start.tzname()})"


class AppointmentForm(forms.Form):
    """The brief's booking form: a slot and a description. Rules are checked by the service."""

    time_slot = SlotChoiceField(
        queryset=None,
        empty_label="Choose a time",
        error_messages={"invalid_choice": "That time is not available; choose another one."},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        required=False,
        max_length=DESCRIPTION_MAX,
        strip=True,
    )

    def __init__(self, *args, user, now, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offer free slots, but accept any existing slot: the service gives the precise refusal
        # (taken, past, your own calendar...) instead of a generic "invalid choice".
        self.fields["time_slot"].queryset = selectors.bookable_slots_for_form(user=user, now=now)
        if self.is_bound:
            from appointments.models import TimeSlot

            self.fields["time_slot"].queryset = TimeSlot.objects.select_related(
                "calendar", "calendar__provider"
            )
