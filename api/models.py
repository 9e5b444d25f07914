"""Personal access tokens and the idempotency keys of the JSON API."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal access token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=12, help_text="The token's first characters, to tell it apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotencyKey(models.Model):
    """The first result of a POST sent with an `Idempotency-Key` header, kept for 24 hours. The
    unique constraint settles two concurrent requests with one key: one inserts the row and
    books, the other waits for it and then answers with the stored result. Keys sent without a
    token (guest bookings) have no user and share one namespace."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(user=None),
                name="one_anonymous_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.user_id}"
