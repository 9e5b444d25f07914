"""A team's webhooks: managed by its owners and admins on the team page (the person's views and
templates), a 404 to its plain members and to other teams; its managers are told when one is
switched off; private addresses are refused when saved."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from appointments.models import Membership
from appointments.teams import services as teams
from notifications.models import Notification
from webhooks import services
from webhooks.models import EVENTS, Delivery, Subscription
from webhooks.tests.receiver import fail_for_three_days, verified

pytestmark = pytest.mark.django_db
Role = Membership.Role
HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture
def cast(make_user):
    """Olga owns the clinic, Adam administers it, Mia is a plain member; Zed owns another team."""
    people = {name: make_user(name) for name in ("olga", "adam", "mia", "zed")}
    clinic = teams.team_create(owner=people["olga"], name="Clinic")
    Membership.objects.create(team=clinic, user=people["adam"], role=Role.ADMIN)
    Membership.objects.create(team=clinic, user=people["mia"], role=Role.MEMBER)
    teams.team_create(owner=people["zed"], name="Elsewhere")
    return type("Cast", (), {**people, "team": clinic})


@pytest.fixture
def subscription(cast):
    return services.subscription_create(team=cast.team, target_url=HOOK, events=EVENTS)[0]


def test_an_admin_creates_one_on_the_team_page_and_sees_its_secret_once(client, cast):
    client.force_login(cast.adam)
    page = client.get(reverse("team_detail", args=[cast.team.slug])).content.decode()
    assert 'id="team-webhooks"' in page and reverse("team_webhook_list", args=["clinic"]) in page

    response = client.post(
        reverse("team_webhook_list", args=[cast.team.slug]),
        {"target_url": HOOK, "events": ["booking.requested", "booking.declined"]},
    )

    created = Subscription.objects.get()
    assert (created.team, created.user) == (cast.team, None)
    assert created.events == ["booking.requested", "booking.declined"]
    assert services.subscription_secret(created) in response.content.decode()
    page = client.get(reverse("team_detail", args=[cast.team.slug])).content.decode()
    assert reverse("webhook_detail", args=[created.pk]) in page
    assert not client.get(reverse("webhook_list")).context["subscriptions"].exists()


def test_the_owner_pings_toggles_sends_again_and_removes_it(
    client, cast, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    subscription, secret = services.subscription_create(
        team=cast.team, target_url=server.url, events=EVENTS
    )
    client.force_login(cast.olga)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook_ping", args=[subscription.pk]))
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook_send_again", args=[delivery.pk]))
    assert [message["type"] for message in verified(secret, server.received)] == ["ping"] * 2
    page = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert delivery.message_id in page and "All webhooks of Clinic" in page

    client.post(reverse("webhook_active", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.is_active is False
    response = client.post(reverse("webhook_delete", args=[subscription.pk]))
    assert response.url == reverse("team_detail", args=[cast.team.slug])
    assert not Subscription.objects.exists()


def pages(subscription) -> list[tuple[str, str, int]]:
    delivery = services.ping(subscription=subscription)
    return [
        ("get", "webhook_detail", subscription.pk),
        ("post", "webhook_ping", subscription.pk),
        ("post", "webhook_active", subscription.pk),
        ("post", "webhook_delete", subscription.pk),
        ("post", "webhook_send_again", delivery.pk),
    ]


@pytest.mark.parametrize("who", ["mia", "zed"])
def test_a_plain_member_or_another_team_gets_a_404_everywhere(client, cast, subscription, who):
    client.force_login(getattr(cast, who))
    list_url = reverse("team_webhook_list", args=[cast.team.slug])

    for method, name, pk in pages(subscription):
        assert getattr(client, method)(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(list_url).status_code == 404
    assert client.post(list_url, {"target_url": HOOK, "events": EVENTS}).status_code == 404
    assert Subscription.objects.get().is_active
    assert Delivery.objects.get().attempts == 0


def test_a_plain_member_sees_no_webhooks_section(client, cast, subscription):
    client.force_login(cast.mia)

    page = client.get(reverse("team_detail", args=[cast.team.slug])).content.decode()

    assert 'id="team-webhooks"' not in page and subscription.target_url not in page


def test_a_manager_of_another_team_cannot_reach_this_teams_list(client, cast):
    client.force_login(cast.zed)

    assert client.get(reverse("team_webhook_list", args=["elsewhere"])).status_code == 200
    assert client.get(reverse("team_webhook_list", args=["clinic"])).status_code == 404


def test_a_team_subscription_switched_off_tells_the_teams_owners_and_admins(cast, receiver):
    server = receiver(codes=(503,))
    subscription, _ = services.subscription_create(
        team=cast.team, target_url=server.url, events=EVENTS
    )

    fail_for_three_days(subscription)

    subscription.refresh_from_db()
    assert subscription.is_active is False
    told = Notification.objects.filter(message__contains="switched off")
    assert sorted(told.values_list("user__username", flat=True)) == ["adam", "olga"]


@pytest.mark.parametrize("url", ["http://10.0.0.5/", "http://192.168.1.2/"])
def test_a_private_address_is_refused_when_saved_with_a_clear_message(client, cast, url):
    client.force_login(cast.olga)

    response = client.post(
        reverse("team_webhook_list", args=[cast.team.slug]), {"target_url": url, "events": EVENTS}
    )

    assert response.status_code == 200
    message = "The address points to a private network"
    assert message in response.context["form"].errors["target_url"][0]
    assert message in response.content.decode()
    with pytest.raises(services.ValidationError, match=message):
        services.subscription_create(team=cast.team, target_url=url, events=EVENTS)
    with pytest.raises(services.ValidationError, match=message):
        services.subscription_create(user=cast.olga, target_url=url, events=EVENTS)
    assert not Subscription.objects.exists()


def test_a_subscription_belongs_to_a_person_or_a_team_never_both_nor_neither(cast):
    for owners in ({"user": cast.olga, "team": cast.team}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(target_url=HOOK, secret_encrypted="x", **owners)
    with pytest.raises(ValueError):
        services.subscription_create(user=cast.olga, team=cast.team, target_url=HOOK, events=EVENTS)
