"""Webhook subscriptions of a person or a team and the deliveries made to them (Standard
Webhooks)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

EVENTS = (
    "booking.created",
    "booking.rescheduled",
    "booking.cancelled",
    "booking.requested",
    "booking.accepted",
    "booking.declined",
)
PING = "ping"


class Subscription(models.Model):
    """A target URL that receives signed POSTs for the chosen events of the bookings its owner
    books or hosts: a person (`user`), or a team (`team`: the bookings of its event types).
    The signing secret is kept encrypted (calendars.crypto) and shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
    )
    team = models.ForeignKey(
        "appointments.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
    )
    target_url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    secret_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="The first failed delivery since the last success."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True)
                | Q(user__isnull=True, team__isnull=False),
                name="webhook_subscription_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_url} ({self.user or self.team})"


class Delivery(models.Model):
    """One message to one subscription, with its attempts so far. `message_id` is the
    `webhook-id` header: the same on every retry and on "send again", so that a receiver can
    drop duplicates."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id} ({self.status})"
