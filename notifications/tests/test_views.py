"""Notification pages: unread first, mark read with and without htmx, the badge event."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(client_user):
    old = Notification.objects.create(user=client_user, message="Old and read", is_read=True)
    new = Notification.objects.create(user=client_user, message="Fresh news")
    return old, new


def test_unread_notifications_come_first(client, client_user, notes):
    client.force_login(client_user)

    text = client.get(reverse("notification_list")).text

    assert text.index("Fresh news") < text.index("Old and read")


def test_marking_one_read_without_javascript_redirects_back(client, client_user, notes):
    _, new = notes
    client.force_login(client_user)

    response = client.post(reverse("notification_mark_read", args=[new.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notification_list")
    new.refresh_from_db()
    assert new.is_read


def test_marking_one_read_with_htmx_swaps_the_list_and_announces_the_change(
    client, client_user, notes
):
    _, new = notes
    client.force_login(client_user)

    response = client.post(reverse("notification_mark_read", args=[new.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="notification-list"')
    assert "<html" not in response.text
    assert json.loads(response["HX-Trigger"]) == {"notifications-changed": {}}
    new.refresh_from_db()
    assert new.is_read


def test_mark_all_read_touches_only_the_users_own(client, client_user, other_user, notes):
    theirs = Notification.objects.create(user=other_user, message="Not yours")
    client.force_login(client_user)

    response = client.post(reverse("notification_mark_all_read"), HTTP_HX_REQUEST="true")

    assert "notifications-changed" in response["HX-Trigger"]
    assert not client_user.notifications.filter(is_read=False).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_another_users_notification_cannot_be_marked_read(client, other_user, notes):
    _, new = notes
    client.force_login(other_user)

    response = client.post(reverse("notification_mark_read", args=[new.pk]))

    assert response.status_code == 404
    new.refresh_from_db()
    assert not new.is_read


def test_the_badge_shows_the_unread_count(client, client_user, notes):
    client.force_login(client_user)

    badge = client.get(reverse("notification_badge")).text

    assert badge.startswith('<a id="nav-notifications"')
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in badge
    assert 'hx-trigger="notifications-changed from:body"' in badge


def test_opening_a_notification_changes_nothing_and_offers_to_mark_it_read(
    client, client_user, notes
):
    _, new = notes
    client.force_login(client_user)

    response = client.get(reverse("notification_detail", args=[new.pk]))

    assert "Fresh news" in response.text
    new.refresh_from_db()
    assert not new.is_read  # a GET is safe: previews and prefetches follow links
    mark = reverse("notification_mark_read", args=[new.pk])
    assert f'<form method="post" action="{mark}">' in response.text


def test_the_list_alone_is_served_to_htmx(client, client_user, notes):
    client.force_login(client_user)

    response = client.get(reverse("notification_list"), HTTP_HX_REQUEST="true")

    assert response.text.lstrip().startswith('<section id="notification-list"')
