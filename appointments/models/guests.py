"""What a booking without an account needs: the private manage links of a booking, and the
questions an event type asks its bookers with the answers they gave."""

from __future__ import annotations

from django.db import models

from .appointments import Appointment
from .event_types import Calendar


class ManageLink(models.Model):
    """A private link to view, move or cancel one booking without signing in. Only the SHA-256
    of its token is stored: the token itself is in the e-mail (or on the confirmation page) it
    was made for, and a leaked database does not leak working links."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="manage_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment", "pk"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "valid"
        return f"Manage link of {self.appointment_id} ({state})"


class BookingQuestion(models.Model):
    """A question an event type asks on its booking page, in `position` order. Removing one
    sets `removed_at`: the answers past bookings gave keep their question."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Several choices"
        CHECKBOX = "checkbox", "Checkbox"
        PHONE = "phone", "Phone"
        NUMBER = "number", "Number"

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a choice question, in order."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["calendar", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def has_choices(self) -> bool:
        return self.kind in {self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE}


class BookingAnswer(models.Model):
    """A booker's answer, as text, with the question's label as it was asked."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        BookingQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=200)
    value = models.TextField(max_length=4000)

    class Meta:
        ordering = ["appointment", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value[:40]}"
