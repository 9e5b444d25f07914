from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Profile
from accounts.validators import normalise_phone, time_zone_names


class RegisterForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email


class UserEmailForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("email",)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError("Another account uses this e-mail address.")
        return email


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(required=False, label="Time zone")

    class Meta:
        model = Profile
        fields = ("phone_number", "time_zone", "email_reminders")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Use my browser's time zone")]
        choices += [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
        self.fields["time_zone"].choices = choices

    def clean_phone_number(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone_number", ""))
