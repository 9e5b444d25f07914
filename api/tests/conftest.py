from __future__ import annotations

import pytest

from api.tokens import token_create


class Api:
    """The test client speaking to /api/v1/ with (or without) a bearer token."""

    def __init__(self, client, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, headers: dict) -> dict:
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return extra

    def get(self, path: str, params=None, **headers):
        return self.client.get(f"/api/v1{path}", params or {}, **self._headers(headers))

    def post(self, path: str, body=None, **headers):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", **self._headers(headers)
        )

    def patch(self, path: str, body=None, **headers):
        return self.client.patch(
            f"/api/v1{path}", body or {}, content_type="application/json", **self._headers(headers)
        )

    def put(self, path: str, body=None, **headers):
        return self.client.put(
            f"/api/v1{path}", body or {}, content_type="application/json", **self._headers(headers)
        )

    def delete(self, path: str, **headers):
        return self.client.delete(f"/api/v1{path}", **self._headers(headers))


@pytest.fixture
def api_as():
    from django.test import Client

    def make(user=None) -> Api:
        token = token_create(user=user, name="tests")[1] if user is not None else None
        return Api(Client(), token)

    return make


@pytest.fixture
def anonymous_api(api_as):
    return api_as(None)
