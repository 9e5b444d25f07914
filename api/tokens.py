"""Personal access tokens: create (the token is returned once), revoke, and look up by token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from api.models import ApiToken

TOKEN_PREFIX = "swt_"
NAME_MAX = 100
# last_used_at is written at most this often per token, not on every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token of `user`: the row, and the token itself (never stored, shown once)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script that will use it."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"At most {NAME_MAX} characters."})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(token), prefix=token[: len(TOKEN_PREFIX) + 4]
    )
    return row, token


def user_tokens(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_revoke(*, user, token_id: int, now: datetime | None = None) -> bool:
    """Revoke one of `user`'s tokens; False if they have no such live token."""
    changed = ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).update(
        revoked_at=now or timezone.now()
    )
    return bool(changed)


def token_user(token: str, *, now: datetime | None = None) -> tuple[ApiToken, object] | None:
    """The live token row and its active user for `token`, or None; records the use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at=None, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = now or timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row, row.user
