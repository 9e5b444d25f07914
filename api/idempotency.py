"""`Idempotency-Key` on POST: the same key and body return the first result; the same key with
another body is a 422 problem; keys live 24 hours.

The key's row is inserted in the same transaction as the booking. Two concurrent requests with
one key: the second one's insert waits on the unique constraint (PostgreSQL) or on the write
lock (SQLite, BEGIN IMMEDIATE) until the first commits, then fails, and the second answers with
the stored result. So one booking is made, and both callers see it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import IdempotencyKey
from api.problems import problem_body

LIFETIME = timedelta(hours=24)
KEY_MAX = 255


def fingerprint(method: str, path: str, body: dict) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(user, key: str, digest: str) -> tuple[int, dict]:
    record = IdempotencyKey.objects.filter(user=user, key=key).first()
    if record is None or record.status is None:  # rolled back meanwhile: let the client retry
        return 409, problem_body(
            409, "A request with this Idempotency-Key is still being processed; retry shortly."
        )
    if record.fingerprint != digest:
        return 422, problem_body(
            422,
            "This Idempotency-Key was used with another request; use a new key.",
            code="idempotency_key_reused",
        )
    return record.status, record.body


def run_once(
    *, user, key: str, digest: str, run: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """`run()` (status, JSON body) once per (user, key) for 24 hours."""
    if not key or len(key) > KEY_MAX:
        return 422, problem_body(
            422,
            f"An Idempotency-Key is 1 to {KEY_MAX} characters.",
            errors=[("Idempotency-Key", "1 to 255 characters.")],
        )
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - LIFETIME).delete()
    try:
        with transaction.atomic():
            with transaction.atomic():  # a savepoint: the insert may fail on the constraint
                record = IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=digest, created_at=now
                )
            status, body = run()
            record.status, record.body = status, body
            record.save(update_fields=["status", "body"])
            return status, body
    except IntegrityError:
        return _replay(user, key, digest)
