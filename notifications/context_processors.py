from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def unread_count(request) -> dict:
    """The navigation badge; evaluated only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {
        "unread_count": SimpleLazyObject(lambda: user.notifications.filter(is_read=False).count())
    }
