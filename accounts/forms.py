from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone

from accounts.models import Profile
from accounts.validators import normalise_phone, time_zone_names


class RegisterForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail", required=True, help_text="For booking confirmations and reminders."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        # Never "this address is taken": that would tell anyone which addresses have accounts.
        # The account is made; whoever already uses the address is told (accounts.emails).
        return self.cleaned_data["email"].strip().lower()


class UserEmailForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("email",)
        labels = {"email": "E-mail"}

    def clean_email(self) -> str:
        # Like registration, the profile does not reveal whether another account uses it.
        return self.cleaned_data["email"].strip().lower()


def utc_offset_label(name: str, now: datetime) -> str:
    """'America/New York (UTC-05:00)': the offset today, so people can recognise their zone."""
    offset = timezone.localtime(now, _zone(name)).strftime("%z")
    return f"{name.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def time_zone_choices(now: datetime) -> list[tuple[str, str]]:
    # Labelling 400 zones costs ~17 ms, and every booking page shows them; offsets change only
    # at a zone's transitions, which fall on quarter hours: one list per quarter hour.
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return list(_choices_at(quarter))


@lru_cache(maxsize=1)
def _choices_at(quarter: datetime) -> tuple[tuple[str, str], ...]:
    choices = [("", "My browser's time zone (automatic)")]
    choices += [(name, utc_offset_label(name, quarter)) for name in sorted(time_zone_names())]
    return tuple(choices)


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        required=False,
        label="Time zone",
        help_text="Every time on Slotwise is shown in this zone.",
    )

    class Meta:
        model = Profile
        fields = ("phone_number", "time_zone", "email_reminders")
        labels = {"phone_number": "Phone", "email_reminders": "E-mail me reminders"}
        help_texts = {
            "phone_number": "Optional. 7 to 15 digits, e.g. +44 20 7946 0958.",
            "email_reminders": "Before each appointment, at the times the provider chose.",
        }
        widgets = {"phone_number": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(timezone.now())

    def clean_phone_number(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone_number", ""))


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password; nothing was deleted.")
        return password
