"""The permission matrix: every URL of the project, for an anonymous visitor, the owner of the
objects involved and another user.

The URL list comes from the resolver, so a new URL without an entry in MATRIX fails
`test_every_url_has_a_matrix_entry`. Expected outcomes: LOGIN (redirect to the login page), or
an HTTP status. Another user gets a 404 for someone else's objects, never a 403: existence is
not disclosed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appointments.booking import services
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LOGIN = "login"
ADMIN = "admin:*"  # every admin URL: one entry, checked through the admin index
# Every JSON API operation: one entry, checked through its OpenAPI document; the operations'
# owner / other token / anonymous tests are in api/tests/, and schemathesis covers them all.
API = "api-v1:*"


@dataclass(frozen=True)
class Entry:
    """How one URL behaves. `kwargs(cast)` builds the URL's arguments from the cast."""

    kwargs: Callable[[SimpleNamespace], dict] = lambda cast: {}
    method: str = "get"
    data: dict = field(default_factory=dict)
    anonymous: int | str = LOGIN
    owner: int | str = 200
    other: int | str | None = None  # None: same as the owner (nothing personal in the URL)
    owner_is: str = "booker"  # which cast member owns the objects: "booker" or "provider"
    booker: int | str | None = None  # for a provider's URL about the booking: the booker's outcome


def appointment_pk(cast) -> dict:
    return {"pk": cast.appointment.pk}


def notification_pk(cast) -> dict:
    return {"pk": cast.notification.pk}


def source_pk(cast) -> dict:
    return {"pk": cast.source.pk}


def calendar_pk(cast) -> dict:
    return {"calendar_pk": cast.calendar.pk}


def calendar_slug(cast) -> dict:
    return {"slug": cast.appointment.calendar.slug}


def override_pk(cast) -> dict:
    from appointments.models import DateOverride

    calendar = cast.appointment.calendar
    override, _ = DateOverride.objects.get_or_create(schedule=calendar.schedule, date=NOW.date())
    return {"pk": override.pk}


def time_off_pk(cast) -> dict:
    from appointments.models import TimeOff

    calendar = cast.appointment.calendar
    off, _ = TimeOff.objects.get_or_create(
        schedule=calendar.schedule, start_time=NOW, end_time=NOW.replace(hour=NOW.hour + 1)
    )
    return {"pk": off.pk}


def event_type_pk(cast) -> dict:
    return {"pk": cast.calendar.pk}


def schedule_pk(cast) -> dict:
    return {"pk": cast.calendar.schedule_id}


def team_of(cast):
    """The provider's team (they own it), with a team event type they host."""
    from appointments.models import Calendar, Host, Membership, Team

    team, _ = Team.objects.get_or_create(slug="clinic", defaults={"name": "Clinic"})
    Membership.objects.get_or_create(team=team, user=cast.provider, defaults={"role": "owner"})
    calendar, _ = Calendar.objects.get_or_create(
        slug="clinic-intro",
        defaults={
            "provider": cast.provider,
            "team": team,
            "name": "Intro",
            "assignment": "round_robin",
        },
    )
    Host.objects.get_or_create(calendar=calendar, user=cast.provider)
    return team


def team_slug(cast) -> dict:
    return {"slug": team_of(cast).slug}


def team_member_pk(cast) -> dict:
    team = team_of(cast)
    return {"slug": team.slug, "pk": team.memberships.get(user=cast.provider).pk}


def team_invitation_pk(cast) -> dict:
    team = team_of(cast)
    invitation, _ = team.invitations.get_or_create(address="someone@example.com", state="pending")
    return {"slug": team.slug, "pk": invitation.pk}


def invitation_to_provider(cast) -> dict:
    """An open invitation of the provider to a team of someone else."""
    from appointments.models import Team, TeamInvitation

    team, _ = Team.objects.get_or_create(slug="elsewhere", defaults={"name": "Elsewhere"})
    invitation, _ = TeamInvitation.objects.get_or_create(
        team=team, address=cast.provider.username, state="pending"
    )
    return {"pk": invitation.pk}


def team_event_type_slug(cast) -> dict:
    return {"slug": team_of(cast).slug, "event_slug": "clinic-intro"}


# Team management: its members get in (these entries' owner owns the team); anyone else gets a
# 404, whether or not the team exists.
def team_entry(kwargs, method: str = "get", owner: int = 200) -> Entry:
    return Entry(kwargs=kwargs, method=method, owner=owner, other=404, owner_is="provider")


def manage_link(cast) -> dict:
    return {"uid": cast.appointment.uid, "token": cast.appointment.manage_token}


def question_pk(cast) -> dict:
    from appointments.models import BookingQuestion

    question, _ = BookingQuestion.objects.get_or_create(calendar=cast.calendar, label="Why?")
    return {"pk": question.pk}


# A booking's private link: whoever holds it is the booker, signed in or not, as anyone.
# Wrong, revoked and other bookings' tokens are `test_a_token_url_*` below.
def link_entry(method: str = "get", status: int = 200) -> Entry:
    return Entry(kwargs=manage_link, method=method, anonymous=status, owner=status)


def verification_link(cast) -> dict:
    from accounts.verification import verification_token

    return {"token": verification_token(cast.booker)}


def api_token_pk(cast) -> dict:
    from api.tokens import token_create

    return {"pk": token_create(user=cast.booker, name="matrix")[0].pk}


def webhook_pk(cast) -> dict:
    from webhooks.models import Subscription
    from webhooks.services import subscription_create

    subscription = Subscription.objects.filter(user=cast.booker).first()
    if subscription is None:
        subscription, _ = subscription_create(
            user=cast.booker, target_url="http://127.0.0.1:9/hook", events=["booking.created"]
        )
    return {"pk": subscription.pk}


def delivery_pk(cast) -> dict:
    from webhooks.models import Delivery, Subscription
    from webhooks.services import ping

    subscription = Subscription.objects.get(**webhook_pk(cast))
    delivery = Delivery.objects.filter(subscription=subscription).first()
    return {"pk": (delivery or ping(subscription=subscription)).pk}


# The provider area: only users who own a calendar get in; everyone else gets a 404.
def provider_entry(method: str = "get", owner: int = 200, **extra) -> Entry:
    return Entry(method=method, owner=owner, other=404, owner_is="provider", **extra)


MATRIX: dict[str, Entry] = {
    ADMIN: Entry(anonymous=302, owner=302, other=302),
    # The load balancers' health check: public, JSON, nothing personal.
    "healthz": Entry(anonymous=200),
    # Accounts: public pages, and a logged-in person is sent on from the log-in and sign-up pages.
    "login": Entry(anonymous=200, owner=302),
    "register": Entry(anonymous=200, owner=302),
    "logout": Entry(method="post", anonymous=302, owner=302),
    "profile": Entry(),
    "account_delete": Entry(),
    # Confirming one's e-mail address: the link is the booker's; anyone else's is a 404.
    "email_verify_send": Entry(method="post", owner=302),
    "email_verify": Entry(kwargs=verification_link, other=404),
    "password_change": Entry(),
    "password_reset": Entry(anonymous=200),
    "password_reset_done": Entry(anonymous=200),
    "password_reset_confirm": Entry(
        kwargs=lambda cast: {"uidb64": "MQ", "token": "not-a-token"}, anonymous=200
    ),
    "password_reset_complete": Entry(anonymous=200),
    # The booker's pages
    "dashboard": Entry(),
    "appointment_list": Entry(),
    # A GET of the plain form goes to the booking pages (issue 13 item 9).
    "appointment_create": Entry(owner=302),
    "appointment_detail": Entry(kwargs=appointment_pk, other=404),
    "appointment_cancel": Entry(kwargs=appointment_pk, other=404),
    # Public: a calendar's free times (JSON) are what its booking page shows anyone.
    "calendar_slots": Entry(kwargs=lambda cast: {"slug": cast.calendar.slug}, anonymous=200),
    # The brief's fragment URLs: a plain visit is sent to the page that holds the fragment.
    "appointment_summary": Entry(owner=302),
    "get_time_slots": Entry(anonymous=302, owner=302),
    # Notifications
    "notification_list": Entry(),
    "notification_badge": Entry(),
    "notification_detail": Entry(kwargs=notification_pk, other=404),
    "notification_mark_read": Entry(kwargs=notification_pk, method="post", owner=302, other=404),
    "notification_mark_all_read": Entry(method="post", owner=302),
    # Calendar feed: the .ics address is public by its secret token; the rest is the user's own.
    "calendar_feed": Entry(kwargs=lambda cast: {"token": cast.feed_token}, anonymous=200),
    "calendar_feed_page": Entry(),
    "calendar_feed_regenerate": Entry(method="post", owner=302),
    "calendar_feed_revoke": Entry(method="post", owner=302),
    # External busy calendars and write-back: the provider's own calendars only.
    "calendar_sources": Entry(owner_is="provider"),
    "calendar_source_add_ics": Entry(owner_is="provider"),
    "calendar_source_add_caldav": Entry(owner_is="provider"),
    "calendar_source": Entry(kwargs=source_pk, owner_is="provider", other=404),
    "calendar_source_sync": Entry(
        kwargs=source_pk, method="post", owner=302, other=404, owner_is="provider"
    ),
    "calendar_source_delete": Entry(
        kwargs=source_pk, method="post", owner=302, other=404, owner_is="provider"
    ),
    "calendar_push": Entry(owner_is="provider"),
    "calendar_push_connect": Entry(kwargs=calendar_pk, owner_is="provider", other=404),
    "calendar_push_choose": Entry(kwargs=calendar_pk, owner_is="provider", other=404),
    "calendar_push_delete": Entry(
        kwargs=calendar_pk, method="post", owner=302, other=404, owner_is="provider"
    ),
    # Booking: the calendars and their public pages are open to everyone; booking needs a login.
    "book_index": Entry(anonymous=200),
    "book_calendar": Entry(kwargs=calendar_slug, anonymous=200),
    # The embed: the public page in another site's frame; everyone is a guest there.
    "embed_calendar": Entry(kwargs=calendar_slug, anonymous=200),
    "appointment_reschedule": Entry(kwargs=appointment_pk, other=404),
    "appointment_ics": Entry(kwargs=appointment_pk, other=404),
    "provider_schedule": provider_entry(),
    # "Why is this time not available?" for the event types one hosts: a 404 to a person who
    # hosts none, as the other provider pages.
    "provider_why": provider_entry(),
    "provider_availability": provider_entry(),
    "publish_slots": provider_entry(),
    # An empty POST: the editor re-rendered with its errors (200); empty weekly hours are valid.
    "availability_settings": provider_entry("post"),
    "availability_hours": provider_entry("post", owner=302),
    "override_add": provider_entry("post"),
    "override_remove": provider_entry("post", owner=302, kwargs=override_pk),
    "time_off_add": provider_entry("post"),
    "time_off_remove": provider_entry("post", owner=302, kwargs=time_off_pk),
    # Offering appointments: everyone manages their own event types and schedules (lists and
    # new ones for anyone logged in); someone else's are a 404. A person's page is public.
    "event_type_list": Entry(),
    "event_type_start": Entry(),
    # Someone without a schedule is sent to the guided form, which makes one.
    "event_type_create": Entry(owner_is="provider", other=302),
    "event_type_edit": provider_entry(kwargs=event_type_pk),
    "event_type_duplicate": provider_entry("post", owner=302, kwargs=event_type_pk),
    "event_type_active": provider_entry("post", owner=302, kwargs=event_type_pk),
    "event_type_delete": provider_entry(kwargs=event_type_pk),
    "schedule_list": Entry(),
    "schedule_edit": provider_entry(kwargs=schedule_pk),
    "schedule_default": provider_entry("post", owner=302, kwargs=schedule_pk),
    "schedule_delete": provider_entry("post", owner=302, kwargs=schedule_pk),
    "person_page": Entry(
        kwargs=lambda cast: {"username": cast.provider.username}, anonymous=200, owner=200
    ),
    # Teams: one's own list and the creation form; the team's pages for its members only; the
    # public team page for everyone. Refused changes (the last owner leaving or removing
    # themselves, an empty role) go back to the team page with the reason: 302.
    "team_list": Entry(),
    "team_create": Entry(),
    "team_detail": team_entry(team_slug),
    "team_invite": team_entry(team_slug, "post"),
    "team_invitation_withdraw": team_entry(team_invitation_pk, "post", owner=302),
    "team_member_role": team_entry(team_member_pk, "post", owner=302),
    "team_member_remove": team_entry(team_member_pk, "post", owner=302),
    "team_leave": team_entry(team_slug, "post", owner=302),
    "team_event_type_create": team_entry(team_slug),
    "team_event_type_edit": team_entry(team_event_type_slug),
    "team_invitation_accept": team_entry(invitation_to_provider, "post", owner=302),
    "team_invitation_decline": team_entry(invitation_to_provider, "post", owner=302),
    "team_public": Entry(kwargs=team_slug, anonymous=200),
    "team_webhook_list": team_entry(team_slug),
    # Guests: the manage link's pages; the owner's booking questions editor.
    "booking_manage": link_entry(),
    "booking_manage_cancel": link_entry("post", 302),
    "booking_manage_reschedule": link_entry(),
    "booking_manage_ics": link_entry(),
    "event_type_questions": provider_entry(kwargs=lambda cast: {"pk": cast.calendar.pk}),
    "event_type_policy": provider_entry("post", kwargs=lambda cast: {"pk": cast.calendar.pk}),
    "question_move": provider_entry("post", owner=302, kwargs=question_pk),
    "question_remove": provider_entry("post", owner=302, kwargs=question_pk),
    # A booking's personal data: its hosts only (the booker is a 404 too).
    "appointment_export": provider_entry(kwargs=appointment_pk, booker=404),
    "appointment_erase": provider_entry("post", owner=302, kwargs=appointment_pk, booker=404),
    # Host confirmation: the pages that accept or decline a request, its hosts only (the
    # booker is a 404 too); GET asks, and the cast's confirmed booking shows it needs no answer.
    "appointment_accept": provider_entry(kwargs=appointment_pk, booker=404),
    "appointment_decline": provider_entry(kwargs=appointment_pk, booker=404),
    # The JSON API and its personal access tokens (created and revoked from the profile).
    API: Entry(anonymous=200),
    "api_token_create": Entry(),
    "api_token_revoke": Entry(kwargs=api_token_pk, method="post", owner=302, other=404),
    # Webhooks: the person's own subscriptions and their delivery log.
    "webhook_list": Entry(),
    "webhook_detail": Entry(kwargs=webhook_pk, other=404),
    "webhook_ping": Entry(kwargs=webhook_pk, method="post", owner=302, other=404),
    "webhook_active": Entry(kwargs=webhook_pk, method="post", owner=302, other=404),
    "webhook_delete": Entry(kwargs=webhook_pk, method="post", owner=302, other=404),
    "webhook_send_again": Entry(kwargs=delivery_pk, method="post", owner=302, other=404),
}
BOOKER_URLS = sorted(name for name, entry in MATRIX.items() if entry.booker is not None)
TOKEN_URLS = sorted(name for name, entry in MATRIX.items() if entry.kwargs is manage_link)


def url_names(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every URL name of the project (namespaced), walking included URLconfs recursively."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield ADMIN
                continue
            if pattern.namespace == "api-v1":
                yield API
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else f"<unnamed: {pattern.pattern}>"


def test_every_url_has_a_matrix_entry():
    names = set(url_names())
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, "\n".join(
        f"add an entry for {name} to MATRIX in appointments/tests/test_permissions.py"
        for name in missing
    )
    assert not stale, "\n".join(f"remove the entry for {name}: no such URL" for name in stale)


@pytest.fixture
def cast(client_user, other_user, provider, slot):
    from calendars.feed import feed_token_regenerate
    from calendars.models import BusySource, PushTarget

    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    # Port 9 on this machine refuses at once: the pages answer without waiting on a network.
    unreachable = "http://127.0.0.1:9/calendar"
    return SimpleNamespace(
        source=BusySource.objects.create(user=provider, kind="ics", name="Work", url=unreachable),
        push_target=PushTarget.objects.create(calendar=slot.calendar, url=unreachable),
        feed_token=feed_token_regenerate(user=client_user).token,
        booker=client_user,
        provider=provider,
        other=other_user,
        calendar=slot.calendar,
        appointment=appointment,
        notification=client_user.notifications.get(),
    )


def request_url(client, name: str, entry: Entry, cast):
    if name == ADMIN:
        return client.get(reverse("admin:index"))
    if name == API:
        return client.get(reverse("api-v1:openapi-json"))
    url = reverse(name, kwargs=entry.kwargs(cast))
    return getattr(client, entry.method)(url, entry.data)


def assert_outcome(response, expected, who: str, name: str) -> None:
    context = f"{who} on {name}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{context}: {response.status_code}, wanted a redirect"
        assert response["Location"].startswith(reverse("login")), (
            f"{context}: redirected to {response['Location']}, wanted the login page"
        )
    else:
        assert response.status_code == expected, (
            f"{context}: {response.status_code}, wanted {expected}"
        )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor(client, cast, name):
    entry = MATRIX[name]
    assert_outcome(request_url(client, name, entry, cast), entry.anonymous, "anonymous", name)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_owner(client, cast, name):
    entry = MATRIX[name]
    client.force_login(getattr(cast, entry.owner_is))
    assert_outcome(request_url(client, name, entry, cast), entry.owner, "the owner", name)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_another_user(client, cast, name):
    entry = MATRIX[name]
    client.force_login(cast.other)
    expected = entry.owner if entry.other is None else entry.other
    assert_outcome(request_url(client, name, entry, cast), expected, "another user", name)


@pytest.mark.parametrize("name", BOOKER_URLS)
def test_the_booker_on_their_bookings_host_only_pages(client, cast, name):
    entry = MATRIX[name]
    client.force_login(cast.booker)
    response = request_url(client, name, entry, cast)
    assert_outcome(response, entry.booker, "the booker", name)
    cast.appointment.refresh_from_db()
    assert cast.appointment.is_active
    assert cast.appointment.contact_email == cast.booker.email  # nothing erased


@pytest.fixture
def second_booking(cast, make_slot):
    from datetime import timedelta

    from appointments.models import Guest

    return services.appointment_book(
        guest=Guest(name="Ann", email="ann@example.org"),
        time_slot=make_slot(NOW + timedelta(days=2)),
        now=NOW,
    )


@pytest.mark.parametrize("who", ["anonymous", "booker", "provider", "other"])
@pytest.mark.parametrize("name", TOKEN_URLS)
def test_a_token_url_with_a_wrong_revoked_or_another_bookings_token_is_a_404(
    client, cast, second_booking, name, who
):
    from appointments.guests.services import manage_links_revoke

    entry = MATRIX[name]
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    uid = cast.appointment.uid
    tokens = {
        "wrong": "not-the-token-" + "x" * 30,
        "another booking's": second_booking.manage_token,
    }
    for what, token in tokens.items():
        url = reverse(name, kwargs={"uid": uid, "token": token})
        response = getattr(client, entry.method)(url)
        assert response.status_code == 404, f"{who}, {what} token on {name}"
    manage_links_revoke(cast.appointment)
    response = getattr(client, entry.method)(reverse(name, kwargs=manage_link(cast)))
    assert response.status_code == 404, f"{who}, revoked token on {name}"
    cast.appointment.refresh_from_db()
    assert cast.appointment.is_active


def test_the_admin_sends_visitors_to_its_login_page(client, cast):
    response = client.get(reverse("admin:index"))

    assert response["Location"].startswith(reverse("admin:login"))
