"""Personal access tokens: created on the profile page or by a command, stored hashed, shown
once, revocable; rate limits per token and per address."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_command_prints_a_working_token_on_its_last_line(client_user):
    out = StringIO()
    call_command("api_token_create", "client", "--name", "CRM", stdout=out)

    token = out.getvalue().strip().splitlines()[-1]
    assert Client().get("/api/v1/me", **bearer(token)).json()["username"] == "client"
    row = ApiToken.objects.get(user=client_user)
    assert row.name == "CRM"
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(list(ApiToken.objects.values()))
    assert row.last_used_at == NOW


def test_the_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token_create", "nobody", stdout=StringIO())


def test_the_profile_creates_a_token_shows_it_once_and_lists_it(client, client_user):
    client.force_login(client_user)

    created = client.post(reverse("api_token_create"), {"name": "Website"})

    token = created.context["token"]
    assert token in created.content.decode()
    profile = client.get(reverse("profile")).content.decode()
    assert "Website" in profile
    assert token[:8] in profile and token not in profile
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 200


def test_a_token_without_a_name_is_refused_and_nothing_is_made(client, client_user):
    client.force_login(client_user)

    response = client.post(reverse("api_token_create"), {"name": "  "})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused(client, api_as, client_user):
    api = api_as(client_user)
    row = ApiToken.objects.get(user=client_user)
    client.force_login(client_user)

    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 302

    response = api.get("/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_users_token_cannot_be_revoked(client, api_as, client_user, other_user):
    api = api_as(client_user)
    row = ApiToken.objects.get(user=client_user)
    client.force_login(other_user)

    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 404
    assert api.get("/me").status_code == 200


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer swt_wrong", "Basic abc", "Bearer"])
def test_a_wrong_token_is_a_401_not_an_anonymous_read(client, header):
    response = client.get("/api/v1/event-types", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_the_session_of_the_web_pages_is_not_an_api_login(client, client_user):
    client.force_login(client_user)

    assert client.get("/api/v1/me").status_code == 401


def test_a_token_past_its_rate_is_told_when_to_retry(settings, api_as, client_user):
    settings.API_RATE_TOKEN = "3/m"
    cache.clear()
    api = api_as(client_user)

    answers = [api.get("/me") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert answers[-1].json()["status"] == 429


def test_an_address_past_its_rate_is_limited_without_a_token(settings, client):
    settings.API_RATE_ADDRESS = "2/m"
    cache.clear()

    answers = [client.get("/api/v1/event-types") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
