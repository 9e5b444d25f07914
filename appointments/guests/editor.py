"""The provider's editor of an event type's booking questions (its own page, linked from the
availability editor): add, reorder, remove. Only the event type's owner gets here; anyone
else gets a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from appointments.guests import services
from appointments.guests.selectors import asked_questions
from appointments.models import BookingQuestion, Calendar

MAX_CHOICES = 20
MAX_QUESTIONS = 30


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a choice question: one option per line (2 to 20).",
    )

    class Meta:
        model = BookingQuestion
        fields = ("label", "kind", "help_text", "required")
        labels = {"label": "Question", "kind": "Answer type", "help_text": "Help text"}

    def clean(self) -> dict:
        data = super().clean()
        options = [line.strip() for line in data.get("choices_text", "").splitlines()]
        options = list(dict.fromkeys(option[:100] for option in options if option))
        kind = data.get("kind")
        if kind in {BookingQuestion.Kind.SINGLE_CHOICE, BookingQuestion.Kind.MULTIPLE_CHOICE}:
            if not 2 <= len(options) <= MAX_CHOICES:
                self.add_error("choices_text", "Give 2 to 20 options, one per line.")
            data["choices"] = options
        else:
            data["choices"] = []
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Calendar
        fields = ("change_notice_minutes", "requires_confirmation", "confirmation_hours")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left empty: the event type keeps its answer time.
        self.fields["confirmation_hours"].required = False


def owned_event_type(request, pk: int) -> Calendar:
    return get_object_or_404(Calendar, pk=pk, provider=request.user, archived_at=None)


def owned_question(request, pk: int) -> BookingQuestion:
    return get_object_or_404(
        BookingQuestion.objects.select_related("calendar"),
        pk=pk,
        calendar__provider=request.user,
        calendar__archived_at=None,
        removed_at=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_type_questions(request, pk: int):
    calendar = owned_event_type(request, pk)
    form = QuestionForm(request.POST or None)
    questions = list(asked_questions(calendar))
    if request.method == "POST":
        if len(questions) >= MAX_QUESTIONS:
            form.add_error(None, f"An event type asks at most {MAX_QUESTIONS} questions.")
        elif form.is_valid():
            data = form.cleaned_data
            services.question_add(
                calendar=calendar,
                label=data["label"],
                kind=data["kind"],
                help_text=data["help_text"],
                required=data["required"],
                choices=data["choices"],
            )
            messages.success(request, "Question added.")
            return redirect("event_type_questions", pk=calendar.pk)
    return _editor(request, calendar, questions, form=form)


def _editor(request, calendar: Calendar, questions=None, **forms_bound):
    context = {
        "calendar": calendar,
        "questions": questions if questions is not None else list(asked_questions(calendar)),
        "form": forms_bound.get("form") or QuestionForm(),
        "policy_form": forms_bound.get("policy_form") or PolicyForm(instance=calendar),
    }
    return render(request, "appointments/guests/questions.html", context)


@login_required
@require_POST
def event_type_policy(request, pk: int):
    calendar = owned_event_type(request, pk)
    form = PolicyForm(request.POST, instance=calendar)
    if not form.is_valid():
        calendar.refresh_from_db()
        return _editor(request, calendar, policy_form=form)
    services.policy_update(calendar=calendar, **form.cleaned_data)
    messages.success(request, "Booking policy saved.")
    return redirect("event_type_questions", pk=calendar.pk)


@login_required
@require_POST
def question_move(request, pk: int):
    question = owned_question(request, pk)
    services.question_move(question=question, up=request.POST.get("direction") != "down")
    return redirect("event_type_questions", pk=question.calendar_id)


@login_required
@require_POST
def question_remove(request, pk: int):
    question = owned_question(request, pk)
    services.question_remove(question=question)
    messages.success(request, f"“{question.label}” is no longer asked; past answers are kept.")
    return redirect("event_type_questions", pk=question.calendar_id)
