"""The client's address, for login lockouts (django-axes) and rate limits (django-ratelimit).

Behind a reverse proxy every request comes from the proxy: set TRUSTED_PROXIES to the number of
proxies in front of the app, and the address they appended to X-Forwarded-For is used (the one
that many places from the right, so a client cannot choose it by sending its own header)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def ratelimit_key(group: str, request) -> str:
    return client_ip(request)
