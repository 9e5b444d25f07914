from __future__ import annotations

from urllib.parse import urlsplit

from django import forms

from calendars.sources import RemoteCalendar
from calendars.text import CalendarLineField

ADDRESS_SCHEMES = {"http", "https", "webcal", "webcals"}


def clean_address(value: str) -> str:
    value = value.strip()
    try:
        parts = urlsplit(value)
        valid = parts.scheme.lower() in ADDRESS_SCHEMES and bool(parts.netloc and parts.hostname)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:  # "https://[::1": an unclosed IPv6 bracket
        valid = False
    if not valid:
        raise forms.ValidationError(
            "Enter an address starting with https://, http:// or webcal://."
        )
    return value


class AddressField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.URLInput)
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_address(super().clean(value))


class PasswordField(forms.CharField):
    """Never rendered back: the widget drops the value, even after an error."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("strip", False)
        kwargs["widget"] = forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        )
        super().__init__(**kwargs)


class IcsSourceForm(forms.Form):
    name = CalendarLineField(max_length=120, help_text="For you, e.g. “Google work calendar”.")
    url = AddressField(
        label="Calendar address (ICS)",
        help_text="The secret or public iCal address of the calendar.",
    )


class CalDavAccountForm(forms.Form):
    name = CalendarLineField(max_length=120, help_text="For you, e.g. “iCloud”.")
    url = AddressField(label="CalDAV server address", help_text="e.g. https://caldav.icloud.com")
    username = forms.CharField(max_length=200)
    password = PasswordField(help_text="An app-specific password, where the provider offers one.")


class ChooseCalendarsForm(forms.Form):
    calendar_urls = forms.MultipleChoiceField(
        label="Calendars whose events count as busy",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = PasswordField(required=False, help_text="Leave empty to keep the saved password.")

    def __init__(self, *args, remote: list[RemoteCalendar], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["calendar_urls"].choices = [(found.url, found.name) for found in remote]


class PushAccountForm(forms.Form):
    url = AddressField(label="CalDAV server address", help_text="e.g. https://caldav.icloud.com")
    username = forms.CharField(max_length=200)
    password = PasswordField(help_text="An app-specific password, where the provider offers one.")


class PushChooseForm(forms.Form):
    calendar_url = forms.ChoiceField(label="Write bookings into", widget=forms.RadioSelect)
    enabled = forms.BooleanField(label="Write bookings back", required=False, initial=True)

    def __init__(self, *args, remote: list[RemoteCalendar], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remote = {found.url: found for found in remote}
        self.fields["calendar_url"].choices = [(found.url, found.name) for found in remote]

    def chosen(self) -> RemoteCalendar:
        return self.remote[self.cleaned_data["calendar_url"]]
