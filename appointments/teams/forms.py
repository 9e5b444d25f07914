"""Forms of the team pages. They parse; the team services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from appointments.models import Calendar, Membership, Team
from appointments.teams.services import ADDRESS_MAX, TEAM_ASSIGNMENTS
from calendars.text import CalendarLineField, CalendarTextField


class TeamForm(forms.Form):
    name = CalendarLineField(max_length=120)
    slug = forms.SlugField(
        label="Address",
        max_length=80,
        required=False,
        help_text="The public team page is /team/&lt;address&gt;/. Empty: made from the name.",
    )


class InviteForm(forms.Form):
    address = forms.CharField(
        label="Username or e-mail",
        max_length=ADDRESS_MAX,
        help_text="They see the invitation on their dashboard and accept or decline it.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class HostChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class TeamEventTypeForm(forms.Form):
    name = CalendarLineField(max_length=120)
    description = CalendarTextField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    length_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=24 * 60, initial=30
    )
    assignment = forms.ChoiceField(
        choices=[(value, Calendar.Assignment(value).label) for value in TEAM_ASSIGNMENTS],
        widget=forms.RadioSelect,
        initial=Calendar.Assignment.ROUND_ROBIN,
        help_text=(
            "Round-robin: a time is offered when one host is free, and the booking goes to the "
            "free host with the fewest bookings of it in the last 30 days. Collective: a time "
            "is offered only when every host is free, and all of them take part."
        ),
    )
    hosts = HostChoice(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Each host works to their own default schedule; a host without one gets "
            "Mon–Fri 09:00–17:00 in their time zone."
        ),
    )
    is_active = forms.BooleanField(label="Taking bookings", required=False, initial=True)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = get_user_model().objects.filter(memberships__team=team)
        self.fields["hosts"].queryset = members.order_by("username")

    @classmethod
    def initial_from(cls, calendar: Calendar) -> dict:
        return {
            "name": calendar.name,
            "description": calendar.description,
            "length_minutes": calendar.length_minutes,
            "assignment": calendar.assignment,
            "hosts": [row.user_id for row in calendar.host_rows.all()],
            "is_active": calendar.is_active,
        }
