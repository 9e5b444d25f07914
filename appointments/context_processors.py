from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def provider_links(request) -> dict:
    """`is_provider`: the viewer hosts at least one event type, so the layout shows "My schedule".
    Lazy: costs a query only on pages that render the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_provider": False}
    return {"is_provider": SimpleLazyObject(lambda: user.host_rows.exists())}
