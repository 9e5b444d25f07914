"""The booker's part of a booking form: who books (a guest's contact details, or the signed-in
account's, pre-filled), the answers to the event type's questions, and a honeypot."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from accounts.validators import normalise_phone, validate_phone_number
from appointments.guests.services import Answer
from appointments.models import BookingQuestion, Guest
from calendars.text import CalendarLineField

Kind = BookingQuestion.Kind
HONEYPOT = "website"


def _question_field(question: BookingQuestion) -> forms.Field:
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    if question.kind == Kind.LONG_TEXT:
        widget = forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
        return forms.CharField(max_length=2000, widget=widget, **common)
    if question.kind == Kind.SINGLE_CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Kind.MULTIPLE_CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.CHECKBOX:
        return forms.BooleanField(**common)
    if question.kind == Kind.PHONE:
        return forms.CharField(max_length=24, validators=[validate_phone_number], **common)
    if question.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=4, **common)
    return forms.CharField(max_length=200, **common)


def _answer_text(question: BookingQuestion, value) -> str:
    if question.kind == Kind.MULTIPLE_CHOICE:
        return ", ".join(value)
    if question.kind == Kind.CHECKBOX:
        return "Yes" if value else ""
    if question.kind == Kind.NUMBER:
        return "" if value is None else f"{value.normalize():f}"
    return str(value or "").strip()


class BookerForm(forms.Form):
    """A guest's name, e-mail and optional phone, then one field per question. For a signed-in
    booker the name and e-mail come from the account (shown pre-filled, read-only)."""

    name = CalendarLineField(label="Your name", max_length=150)  # it goes into calendar files
    email = forms.EmailField(
        label="E-mail", help_text="The confirmation and your private link go here."
    )
    phone = forms.CharField(
        label="Phone",
        max_length=24,
        required=False,
        validators=[validate_phone_number],
        help_text="Optional, e.g. +44 20 7946 0958.",
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field give themselves away.
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def __init__(self, *args, questions: Sequence[BookingQuestion] = (), user=None, **kwargs):
        self.questions = list(questions)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None and not args:
            profile = getattr(self.user, "profile", None)
            kwargs.setdefault("initial", {}).update(
                name=self.user.get_full_name() or self.user.get_username(),
                email=self.user.email,
                phone=profile.phone_number if profile else "",
            )
        super().__init__(*args, **kwargs)
        if self.user is not None:
            for name in ("name", "email"):
                self.fields[name].required = False
                self.fields[name].disabled = True
                self.fields[name].widget.attrs["readonly"] = True
            self.fields["name"].initial = self.user.get_full_name() or self.user.get_username()
            self.fields["email"].initial = self.user.email
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _question_field(question)

    @property
    def question_fields(self) -> list:
        return [self[f"q{question.pk}"] for question in self.questions]

    @property
    def contact_fields(self) -> list:
        return [self["name"], self["email"], self["phone"]]

    @property
    def submitted_pairs(self) -> list[tuple[str, str]]:
        """What was typed, as (name, value) pairs: a refusal's one-click alternatives carry them."""
        if not self.is_bound:
            return []
        return [
            (name, value)
            for name in self.fields
            if name != HONEYPOT
            for value in self.data.getlist(name)
        ]

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"]) and self.cleaned_data["phone"].strip()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("This booking could not be taken.")
        return ""

    def guest(self, *, zone: str) -> Guest:
        data = self.cleaned_data
        return Guest(
            name=data["name"].strip(),
            email=data["email"].strip().lower(),
            zone=zone,
            phone=data["phone"],
        )

    def answers(self) -> list[Answer]:
        return [
            Answer(question, _answer_text(question, self.cleaned_data.get(f"q{question.pk}")))
            for question in self.questions
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text="Optional: your host sees it.",
    )
