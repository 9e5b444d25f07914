"""Project-wide views that belong to no app."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a friendly page (an expired form, cookies off) instead of Django's."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(request, "403_csrf.html", {"retry_url": referer if safe else "/"}, status=403)


def rate_limited(request, exception=None):
    """RATELIMIT_VIEW: too many password resets or sign-ups from one address."""
    return render(request, "429.html", status=429)
