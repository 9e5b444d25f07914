"""The subscription feed: contents, privacy, conditional GET, token life, and that its events
are ones a real CalDAV server (Radicale) accepts."""

from __future__ import annotations

import gzip
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from appointments.booking import services as booking
from appointments.models import Appointment
from calendars import feed
from calendars.caldav.client import CalDavWriter
from calendars.tests.busy_cases import add_weekday_hours, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hours(calendar):
    add_weekday_hours(calendar)
    return calendar


@pytest.fixture
def appointments(hours, client_user, other_user, provider, make_user, make_calendar, frozen_now):
    """The provider's calendar has two bookings (one cancelled); the provider books elsewhere."""
    kept = booking.appointment_book(
        user=client_user, calendar=hours, start=at(25, 10), now=frozen_now
    )
    gone = booking.appointment_book(
        user=other_user, calendar=hours, start=at(25, 11), now=frozen_now
    )
    booking.appointment_cancel(appointment=gone, by_user=other_user, now=frozen_now)
    elsewhere = make_calendar(
        make_user("colleague"), name="Colleague", slug="colleague", time_zone="UTC"
    )
    add_weekday_hours(elsewhere)
    own = booking.appointment_book(
        user=provider, calendar=elsewhere, start=at(26, 12), now=frozen_now
    )
    return {"kept": kept, "cancelled": gone, "as_booker": own}


def feed_url(user) -> str:
    return reverse("calendar_feed", args=[feed.feed_token_regenerate(user=user).token])


def events_of(response) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


def test_the_feed_holds_the_users_appointments_as_provider_and_as_booker(
    client, provider, appointments
):
    response = client.get(feed_url(provider))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    assert set(events) == {a.ical_uid for a in appointments.values()}
    kept = events[appointments["kept"].ical_uid]
    assert kept["DTSTART"].dt == at(25, 10)
    assert str(kept["STATUS"]) == "CONFIRMED"
    assert kept["SEQUENCE"] == 0
    assert "DTSTAMP" in kept
    assert str(kept["URL"]).endswith(reverse("appointment_detail", args=[appointments["kept"].pk]))
    assert str(events[appointments["cancelled"].ical_uid]["STATUS"]) == "CANCELLED"


def test_the_feed_shows_the_other_party_by_name_only(client, provider, appointments):
    body = client.get(feed_url(provider)).content.decode()

    assert "client" in body
    assert "client@example.com" not in body
    assert "other@example.com" not in body


def test_a_booker_sees_only_their_own_appointments(client, client_user, appointments):
    events = events_of(client.get(feed_url(client_user)))

    assert set(events) == {appointments["kept"].ical_uid}


def test_cancelled_appointments_leave_the_feed_after_thirty_days(
    client, provider, appointments, frozen_now
):
    Appointment.objects.filter(pk=appointments["cancelled"].pk).update(
        cancelled_at=frozen_now - timedelta(days=31)
    )

    events = events_of(client.get(feed_url(provider)))

    assert appointments["cancelled"].ical_uid not in events


def test_an_unchanged_feed_answers_not_modified(client, provider, appointments):
    url = feed_url(provider)
    first = client.get(url)

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


def test_a_change_gives_the_feed_a_new_etag(client, provider, appointments, frozen_now):
    url = feed_url(provider)
    first = client.get(url)
    booking.appointment_cancel(appointment=appointments["kept"], by_user=provider, now=frozen_now)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert str(events_of(again)[appointments["kept"].ical_uid]["STATUS"]) == "CANCELLED"


def test_an_unknown_token_is_not_found(client, appointments):
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


def test_a_regenerated_token_retires_the_old_address(client, provider, appointments):
    old = feed_url(provider)

    new = feed_url(provider)

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_revoked_token_is_not_found(client, provider, appointments):
    url = feed_url(provider)

    feed.feed_token_revoke(user=provider)

    assert client.get(url).status_code == 404


def test_the_feed_takes_two_queries_whatever_its_size(
    client, provider, appointments, django_assert_max_num_queries
):
    url = feed_url(provider)
    first = client.get(url)

    with django_assert_max_num_queries(2):  # the token, the version
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_radicale_accepts_every_event_of_the_feed(
    client, provider, appointments, radicale_server, dav_calendar
):
    response = client.get(feed_url(provider))
    writer = CalDavWriter(
        radicale_server.url,
        radicale_server.username,
        radicale_server.password,
        str(dav_calendar.url),
        allow_loopback=True,
    )

    for uid, event in events_of(response).items():
        single = icalendar.Calendar()
        single.add("prodid", "-//slotwise tests//EN")
        single.add("version", "2.0")
        single.add_component(event)
        writer.put(uid, single.to_ical())

    stored = {str(e.icalendar_component["UID"]) for e in dav_calendar.events()}
    assert stored == {a.ical_uid for a in appointments.values()}


def test_if_modified_since_answers_not_modified_whatever_the_fractions_of_a_second(
    client, provider, appointments, frozen_now
):
    # Stored times have microseconds; HTTP dates have whole seconds.
    Appointment.objects.filter(pk=appointments["kept"].pk).update(
        updated_at=frozen_now + timedelta(seconds=5, microseconds=654321)
    )
    url = feed_url(provider)
    first = client.get(url)

    same = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    later = client.get(url, HTTP_IF_MODIFIED_SINCE="Wed, 25 Nov 2026 09:00:00 GMT")
    earlier = client.get(url, HTTP_IF_MODIFIED_SINCE="Tue, 24 Nov 2026 09:00:04 GMT")

    assert first["Last-Modified"] == "Tue, 24 Nov 2026 09:00:05 GMT"
    assert (same.status_code, later.status_code, earlier.status_code) == (304, 304, 200)


def test_head_answers_with_the_validators_and_no_body(client, provider, appointments):
    url = feed_url(provider)
    full = client.get(url)

    head = client.head(url)

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == full["ETag"]
    assert head["Last-Modified"] == full["Last-Modified"]
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    assert head["Content-Length"] == str(len(full.content))  # what GET would send
    assert client.head(url, HTTP_IF_NONE_MATCH=full["ETag"]).status_code == 304


def test_the_feed_is_gzipped_when_the_app_asks_and_still_answers_not_modified(
    client, provider, appointments
):
    url = feed_url(provider)
    plain = client.get(url)

    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert again.status_code == 304
