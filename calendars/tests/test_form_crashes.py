"""Inputs that used to give a 500: a malformed `next` on the feed buttons (and the token changed
before the crash), an ICS address in the CalDAV form, an unclosed IPv6 bracket in an address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from calendars import feed
from calendars.models import BusySource, FeedToken, PushTarget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["calendar_feed_regenerate", "calendar_feed_revoke"])
@pytest.mark.parametrize(
    "target", ["oops", "https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_next_that_cannot_be_followed_leads_to_the_feed_page(client, client_user, name, target):
    feed.feed_token_regenerate(user=client_user)
    client.force_login(client_user)

    response = client.post(reverse(name), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_feed_page")
    assert FeedToken.objects.filter(user=client_user).exists() == (name.endswith("regenerate"))


@pytest.mark.parametrize("name", ["calendar_feed_regenerate", "calendar_feed_revoke"])
def test_a_next_on_this_site_is_followed(client, client_user, name):
    feed.feed_token_regenerate(user=client_user)
    client.force_login(client_user)

    response = client.post(reverse(name), {"next": reverse("profile")})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")


def test_an_ics_address_in_the_caldav_form_is_a_plain_refusal(
    client, provider, calendar, http_server
):
    url = http_server.serve("/work.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    client.force_login(provider)

    response = client.post(
        reverse("calendar_source_add_caldav"),
        {"calendar": calendar.pk, "name": "Oops", "url": url, "username": "a", "password": "b"},
    )

    assert response.status_code == 200
    assert "not what a CalDAV server sends" in response.text
    assert not BusySource.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://[::1", "https://[::1/x.ics", "http://host:port/", "https://"]
)
def test_a_malformed_address_is_a_form_error(client, provider, calendar, url):
    client.force_login(provider)
    forms = [
        (reverse("calendar_source_add_ics"), {"calendar": calendar.pk, "name": "x", "url": url}),
        (
            reverse("calendar_source_add_caldav"),
            {"calendar": calendar.pk, "name": "x", "url": url, "username": "a", "password": "b"},
        ),
        (
            reverse("calendar_push_connect", args=[calendar.pk]),
            {"url": url, "username": "a", "password": "b"},
        ),
    ]
    for path, data in forms:
        response = client.post(path, data)

        assert response.status_code == 200, path
        assert "Enter an address starting with" in response.text, path
    assert not BusySource.objects.exists()
    assert not PushTarget.objects.exists()
