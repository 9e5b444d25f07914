from django import forms

from webhooks.models import EVENTS


class SubscriptionForm(forms.Form):
    target_url = forms.URLField(
        label="Target URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where the signed POSTs go: an https:// address on the public internet.",
    )
    events = forms.MultipleChoiceField(
        choices=[(event, event) for event in EVENTS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(EVENTS),
        help_text="For bookings you make and bookings you host.",
    )

    def __init__(self, *args, team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["events"].help_text = f"For bookings of {team.name}'s event types."
