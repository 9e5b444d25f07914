"""Every calendar page for its owner, another user and an anonymous visitor; both branches of
the htmx "Sync now"; the CalDAV connect flows against Radicale; passwords never shown back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from calendars import feed
from calendars.caldav.connection import WRONG_CREDENTIALS
from calendars.models import BusySource, PushTarget
from calendars.tests.busy_cases import FEED, add_weekday_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(calendar, http_server):
    url = http_server.serve("/work.ics", FEED)
    return BusySource.objects.create(user=calendar.provider, kind="ics", name="Work feed", url=url)


@pytest.fixture
def target(calendar):
    made = PushTarget(calendar=calendar, url="https://dav.example.com/", username="me")
    made.set_password("secret")
    made.save()
    return made


def object_urls(source, calendar) -> list[tuple[str, str]]:
    return [
        ("get", reverse("calendar_source", args=[source.pk])),
        ("post", reverse("calendar_source", args=[source.pk])),
        ("post", reverse("calendar_source_sync", args=[source.pk])),
        ("post", reverse("calendar_source_delete", args=[source.pk])),
        ("get", reverse("calendar_push_connect", args=[calendar.pk])),
        ("post", reverse("calendar_push_connect", args=[calendar.pk])),
        ("get", reverse("calendar_push_choose", args=[calendar.pk])),
        ("post", reverse("calendar_push_choose", args=[calendar.pk])),
        ("post", reverse("calendar_push_delete", args=[calendar.pk])),
    ]


PAGES = [
    ("get", "calendar_feed_page"),
    ("post", "calendar_feed_regenerate"),
    ("post", "calendar_feed_revoke"),
    ("get", "calendar_sources"),
    ("get", "calendar_source_add_ics"),
    ("post", "calendar_source_add_ics"),
    ("get", "calendar_source_add_caldav"),
    ("post", "calendar_source_add_caldav"),
    ("get", "calendar_push"),
]


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, method, name):
    response = getattr(client, method)(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_cannot_reach_anyones_sources_or_write_back(
    client, source, target, calendar
):
    for method, url in object_urls(source, calendar):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert BusySource.objects.filter(pk=source.pk).exists()
    assert PushTarget.objects.filter(pk=target.pk).exists()


def test_another_user_gets_not_found_for_the_owners_sources_and_write_back(
    client, other_user, source, target, calendar
):
    client.force_login(other_user)

    for method, url in object_urls(source, calendar):
        assert getattr(client, method)(url).status_code == 404, url
    assert BusySource.objects.filter(pk=source.pk).exists()
    assert PushTarget.objects.filter(pk=target.pk).exists()


def test_another_user_sees_none_of_the_owners_sources_or_targets(
    client, other_user, source, target
):
    client.force_login(other_user)

    sources = client.get(reverse("calendar_sources"))
    pushes = client.get(reverse("calendar_push"))

    assert "Work feed" not in sources.text
    assert "dav.example.com" not in pushes.text


def test_a_source_someone_adds_is_theirs_and_never_blocks_another_person(
    client, other_user, provider, calendar, http_server
):
    client.force_login(other_user)
    url = http_server.serve("/x.ics", FEED)

    response = client.post(reverse("calendar_source_add_ics"), {"name": "X", "url": url})

    assert response.status_code == 302
    assert BusySource.objects.get().user == other_user
    assert not provider.busy_blocks.exists()


def test_the_owner_sees_each_sources_state(client, provider, source, frozen_now):
    from calendars import services

    services.source_sync(source, now=frozen_now)
    client.force_login(provider)

    response = client.get(reverse("calendar_sources"))

    assert response.status_code == 200
    assert "Work feed" in response.text
    assert "Busy times in force" in response.text
    assert f"<dd>{BusySource.objects.get().block_count}</dd>" in response.text


def test_the_owner_is_warned_when_busy_times_are_more_than_an_hour_old(
    client, provider, source, frozen_now
):
    from datetime import timedelta

    BusySource.objects.filter(pk=source.pk).update(
        last_synced_at=frozen_now,
        last_success_at=frozen_now - timedelta(hours=2),
        last_error="The server answered 500 Internal Server Error.",
        last_error_at=frozen_now,
    )
    client.force_login(provider)

    response = client.get(reverse("calendar_sources"))

    assert "out of date" in response.text
    assert "500 Internal Server Error" in response.text


def test_adding_an_ics_address_reads_it_at_once(client, provider, calendar, http_server):
    add_weekday_hours(calendar)
    client.force_login(provider)
    url = http_server.serve("/feed.ics", FEED)

    response = client.post(reverse("calendar_source_add_ics"), {"name": "Google", "url": url})

    assert response.status_code == 302
    added = BusySource.objects.get()
    assert added.user == provider and added.block_count > 0


def test_an_address_that_is_not_a_web_address_is_refused(client, provider, calendar):
    client.force_login(provider)

    response = client.post(
        reverse("calendar_source_add_ics"),
        {"name": "Local", "url": "file:///etc/passwd"},
    )

    assert "url" in response.context["form"].errors
    assert not BusySource.objects.exists()


def test_sync_now_without_javascript_redirects_with_a_message(client, provider, source):
    client.force_login(provider)

    response = client.post(reverse("calendar_source_sync", args=[source.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("calendar_sources")
    assert "synced" in response.text
    assert BusySource.objects.get().last_success_at is not None


def test_sync_now_with_htmx_returns_the_refreshed_row_only(client, provider, source):
    client.force_login(provider)

    response = client.post(
        reverse("calendar_source_sync", args=[source.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="source-{source.pk}"')
    assert "<html" not in response.text
    assert f"<dd>{BusySource.objects.get().block_count}</dd>" in response.text


def test_sync_now_shows_a_failure_in_plain_words(client, provider, source, http_server):
    http_server.serve("/work.ics", b"<html>gone</html>")
    client.force_login(provider)

    response = client.post(
        reverse("calendar_source_sync", args=[source.pk]), HTTP_HX_REQUEST="true"
    )

    assert "This is not an iCalendar file." in response.text


def test_deleting_a_source_frees_its_busy_time(client, provider, source, frozen_now):
    from calendars import services

    services.source_sync(source, now=frozen_now)
    client.force_login(provider)

    response = client.post(reverse("calendar_source_delete", args=[source.pk]))

    assert response.status_code == 302
    assert not BusySource.objects.exists()
    assert not provider.busy_blocks.exists()


def test_connecting_a_caldav_account_with_a_wrong_password_says_so_and_stores_nothing(
    client, provider, calendar, radicale_server
):
    client.force_login(provider)

    response = client.post(
        reverse("calendar_source_add_caldav"),
        {
            "calendar": calendar.pk,
            "name": "Radicale",
            "url": radicale_server.url,
            "username": radicale_server.username,
            "password": "wrong-password-123",
        },
    )

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text
    assert "wrong-password-123" not in response.text
    assert not BusySource.objects.exists()


def test_connecting_a_caldav_account_then_choosing_its_calendars(
    client, provider, calendar, radicale_server, dav_calendar
):
    client.force_login(provider)
    response = client.post(
        reverse("calendar_source_add_caldav"),
        {
            "calendar": calendar.pk,
            "name": "Radicale",
            "url": radicale_server.url,
            "username": radicale_server.username,
            "password": radicale_server.password,
        },
    )
    source = BusySource.objects.get()
    assert response["Location"] == reverse("calendar_source", args=[source.pk])

    page = client.get(response["Location"])
    assert str(dav_calendar.url) in page.text
    assert radicale_server.password not in page.text
    assert 'type="password"' in page.text and "leave empty to keep" in page.text.lower()

    chosen = client.post(response["Location"], {"calendar_urls": [str(dav_calendar.url)]})
    assert chosen.status_code == 302
    source.refresh_from_db()
    assert source.is_active and source.calendar_urls == [str(dav_calendar.url)]
    assert source.last_success_at is not None
    assert source.password() == radicale_server.password  # kept, since left empty


def test_write_back_is_connected_and_a_calendar_chosen(
    client, provider, calendar, radicale_server, dav_calendar
):
    client.force_login(provider)
    connect = client.post(
        reverse("calendar_push_connect", args=[calendar.pk]),
        {
            "url": radicale_server.url,
            "username": radicale_server.username,
            "password": radicale_server.password,
        },
    )
    assert connect["Location"] == reverse("calendar_push_choose", args=[calendar.pk])

    page = client.get(connect["Location"])
    assert str(dav_calendar.url) in page.text
    assert radicale_server.password not in page.text
    chosen = client.post(
        connect["Location"], {"calendar_url": str(dav_calendar.url), "enabled": "on"}
    )

    assert chosen.status_code == 302
    target = PushTarget.objects.get()
    assert target.ready and target.calendar_url == str(dav_calendar.url)
    assert "Writes into" in client.get(reverse("calendar_push")).text


def test_write_back_with_a_wrong_password_says_so(client, provider, calendar, radicale_server):
    client.force_login(provider)

    response = client.post(
        reverse("calendar_push_connect", args=[calendar.pk]),
        {"url": radicale_server.url, "username": radicale_server.username, "password": "nope"},
    )

    assert WRONG_CREDENTIALS in response.text
    assert not PushTarget.objects.exists()


def test_the_owner_stops_write_back(client, provider, calendar, target):
    client.force_login(provider)

    response = client.post(reverse("calendar_push_delete", args=[calendar.pk]))

    assert response.status_code == 302
    assert not PushTarget.objects.exists()


def test_the_feed_page_offers_copy_and_webcal_links_once_created(client, provider):
    client.force_login(provider)
    assert "Create my address" in client.get(reverse("calendar_feed_page")).text

    client.post(reverse("calendar_feed_regenerate"))
    page = client.get(reverse("calendar_feed_page")).text

    token = feed.feed_token_get(provider).token
    assert f"http://testserver/calendars/feed/{token}.ics" in page
    assert f'href="webcal://testserver/calendars/feed/{token}.ics"' in page
    assert 'x-data="copyLink"' in page and "js/calendars.js" in page


def test_the_profile_shows_the_feed_panel(client, provider):
    feed.feed_token_regenerate(user=provider)
    client.force_login(provider)

    page = client.get(reverse("profile")).text

    assert feed.feed_token_get(provider).token in page


def test_regenerating_and_revoking_return_to_the_page_they_came_from(client, provider):
    client.force_login(provider)

    created = client.post(reverse("calendar_feed_regenerate"), {"next": reverse("profile")})
    revoked = client.post(reverse("calendar_feed_revoke"), {"next": "https://evil.example/"})

    assert created["Location"] == reverse("profile")
    assert revoked["Location"] == reverse("calendar_feed_page")
    assert feed.feed_token_get(provider) is None


def test_each_user_revokes_only_their_own_address(client, provider, other_user):
    kept = feed.feed_token_regenerate(user=provider)
    client.force_login(other_user)

    client.post(reverse("calendar_feed_revoke"))

    assert feed.feed_token_get(provider) == kept
