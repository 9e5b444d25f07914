"""Who is calling: `Authorization: Bearer <personal access token>`, or nobody (the public reads).
And how often they may: per token and per client address, counted by django-ratelimit in the
shared cache (as the sign-up and password-reset pages are), a 429 with Retry-After past it."""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from api.tokens import token_user
from config.client_ip import ratelimit_key


class TokenAuth(HttpBearer):
    """A valid token: the request's user is its owner. A wrong or revoked one is a 401, never a
    silent fall-back to anonymous."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header and not header.lower().startswith("bearer "):
            raise AuthenticationError()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        found = token_user(token.strip())
        if found is None:
            raise AuthenticationError()
        request.api_token, request.user = found
        return request.user


def anonymous(request: HttpRequest):
    """The public reads' second choice: no Authorization header at all."""
    if request.headers.get("Authorization"):
        return None
    request.user = AnonymousUser()
    return request.user


token_auth = TokenAuth()
token_or_anonymous = [token_auth, anonymous]


def _token_key(group: str, request: HttpRequest) -> str:
    return str(request.api_token.pk)


class _Limit(BaseThrottle):
    """One django-ratelimit counter as a ninja throttle; `wait()` reads this thread's last
    refusal (a throttle object serves every request)."""

    group = ""
    setting = ""

    def __init__(self) -> None:
        self._local = threading.local()

    def applies(self, request: HttpRequest) -> bool:
        return True

    def key(self, group: str, request: HttpRequest) -> str:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        if not self.applies(request):
            return True
        usage = get_usage(
            request,
            group=self.group,
            key=self.key,
            rate=getattr(settings, self.setting),
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return True
        self._local.wait = max(int(usage["time_left"]), 1)
        return False

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class PerToken(_Limit):
    group = "api-token"
    setting = "API_RATE_TOKEN"

    def applies(self, request: HttpRequest) -> bool:
        return hasattr(request, "api_token")

    def key(self, group: str, request: HttpRequest) -> str:
        return _token_key(group, request)


class PerAddress(_Limit):
    group = "api-address"
    setting = "API_RATE_ADDRESS"

    def key(self, group: str, request: HttpRequest) -> str:
        return ratelimit_key(group, request)


throttles = [PerToken(), PerAddress()]
