"""Fuzz every form field and query parameter of the site, as each role (the owner of the objects
in the URL, another user, an anonymous visitor, staff), with generated values (hypothesis): no
answer is a 5xx, and a refusal (4xx, or the log-in page) changes nothing in the database.

The URLs come from the resolver: a new URL without an entry in TARGETS fails
`test_every_url_is_fuzzed`, so it is covered from the day it is added. Calendar reads are queued
(not run) and addresses are loopback or malformed, so no request leaves the machine. The number
of requests is counted; `test_the_fuzz_sent_enough_requests` checks it (CI: both databases, so
at least 2,500 a pass)."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments.event_types.services import EDITABLE_FIELDS
from appointments.provider.services import SETTINGS_FIELDS
from appointments.tests import test_permissions
from appointments.tests.test_permissions import (
    ADMIN,
    API,
    api_token_pk,
    appointment_pk,
    calendar_pk,
    calendar_slug,
    delivery_pk,
    event_type_pk,
    invitation_to_provider,
    manage_link,
    notification_pk,
    override_pk,
    question_pk,
    schedule_pk,
    source_pk,
    team_event_type_slug,
    team_invitation_pk,
    team_member_pk,
    team_slug,
    time_off_pk,
    url_names,
    webhook_pk,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
cast = test_permissions.cast  # the permission tests' fixed cast, as a fixture here too

REQUESTS_PER_PASS = int(os.environ.get("FUZZ_REQUESTS", "2600"))
SENT: Counter = Counter()

# --- values -----------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "\u202e\u0000\ud7ff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "2026-11-25",
    "2026-02-30",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-11-25T10:00",
    "2026-11-25T10:00:00+14:00",
    "9999-12-31T23:59:59Z",
    "2026-W48",
    "9999-W52",
    "0000-W01",
    "2026-12",
    "9999-12",
    "0001-01",
    "25:61",
    "09:00",
    "23:59",
    "start:9999-12-31T23:59:59Z",
    "start:0001-01-01T00:00:00Z",
    "start:2026-11-25T10:00:00Z",
    "slot:1",
    "slot:-1",
    "slot:99999999999999999999",
    "localtime",
    "Factory",
    "Europe/London",
    "../../etc/passwd",
    "https://[::1",
    "http://127.0.0.1:9/calendar.ics",
    "webcal://[::1]:9/x",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "/accounts/profile/",
    "oops",
    "on",
    "true",
    "summary",
    "upcoming-appointments",
    "past",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
)


def verification_link(cast) -> dict:
    from accounts.verification import verification_token

    return {"token": verification_token(cast.booker)}


@dataclass(frozen=True)
class Target:
    """What one URL takes: its arguments from the cast, methods, and its fields (form fields on
    POST, query parameters on GET)."""

    kwargs: Callable[[SimpleNamespace], dict] = lambda cast: {}
    methods: tuple[str, ...] = ("get",)
    fields: tuple[str, ...] = ()
    owner_is: str = "booker"
    query: tuple[str, ...] = ()  # query parameters of a GET, if they differ from `fields`


PROVIDER = "provider"
GUEST_FIELDS = ("name", "email", "phone", "website", "q1", "q2")
HOURS = tuple(f"hours-{day}-{end}" for day in range(7) for end in ("start", "end"))
SETTINGS = ("calendar", *SETTINGS_FIELDS)
TEAM_EVENT_TYPE = ("name", "description", "length_minutes", "assignment", "hosts", "is_active")
PUBLISH = (
    "calendar",
    "first_date",
    "last_date",
    "weekdays",
    "from_time",
    "until_time",
    "every_minutes",
    "length_minutes",
)

EVENT_TYPE = (*EDITABLE_FIELDS, "schedule")

TARGETS: dict[str, Target] = {
    ADMIN: Target(query=("q", "o", "p", "e", "all", "_changelist_filters")),
    "healthz": Target(),
    "login": Target(methods=("get", "post"), fields=("username", "password", "next")),
    "register": Target(
        methods=("get", "post"), fields=("username", "email", "password1", "password2")
    ),
    "logout": Target(methods=("post",), fields=("next",)),
    "profile": Target(
        methods=("get", "post"),
        fields=(
            "user-email",
            "profile-phone_number",
            "profile-time_zone",
            "profile-email_reminders",
        ),
    ),
    "account_delete": Target(methods=("get", "post"), fields=("password",)),
    "email_verify_send": Target(methods=("post",)),
    "email_verify": Target(kwargs=verification_link, methods=("get", "post")),
    "password_change": Target(
        methods=("get", "post"), fields=("old_password", "new_password1", "new_password2")
    ),
    "password_reset": Target(methods=("get", "post"), fields=("email",)),
    "password_reset_done": Target(),
    "password_reset_confirm": Target(
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
        methods=("get", "post"),
        fields=("new_password1", "new_password2"),
    ),
    "password_reset_complete": Target(),
    "dashboard": Target(fields=("part",)),
    "appointment_list": Target(fields=("tab", "page")),
    "appointment_create": Target(
        methods=("get", "post"), fields=("time_slot", "calendar", "start", "description")
    ),
    "appointment_detail": Target(kwargs=appointment_pk),
    "appointment_cancel": Target(kwargs=appointment_pk, methods=("get", "post")),
    # Host confirmation: only the appointment's hosts answer (the cast's booking is confirmed,
    # so an answer is refused, and must change nothing).
    "appointment_accept": Target(kwargs=appointment_pk, methods=("get", "post"), owner_is=PROVIDER),
    "appointment_decline": Target(
        kwargs=appointment_pk, methods=("get", "post"), fields=("reason",), owner_is=PROVIDER
    ),
    "calendar_slots": Target(
        kwargs=lambda cast: {"slug": cast.calendar.slug}, fields=("from", "days", "tz")
    ),
    "appointment_summary": Target(),
    "get_time_slots": Target(fields=("calendar", "day")),
    "notification_list": Target(fields=("page",)),
    "notification_badge": Target(),
    "notification_detail": Target(kwargs=notification_pk),
    "notification_mark_read": Target(kwargs=notification_pk, methods=("post",), fields=("page",)),
    "notification_mark_all_read": Target(methods=("post",), fields=("page",)),
    "calendar_feed": Target(kwargs=lambda cast: {"token": cast.feed_token}),
    "calendar_feed_page": Target(),
    "calendar_feed_regenerate": Target(methods=("post",), fields=("next",)),
    "calendar_feed_revoke": Target(methods=("post",), fields=("next",)),
    "calendar_sources": Target(fields=("row", "asked"), owner_is=PROVIDER),
    "calendar_source_add_ics": Target(
        methods=("get", "post"), fields=("calendar", "name", "url"), owner_is=PROVIDER
    ),
    "calendar_source_add_caldav": Target(
        methods=("get", "post"),
        fields=("calendar", "name", "url", "username", "password"),
        owner_is=PROVIDER,
    ),
    "calendar_source": Target(
        kwargs=source_pk,
        methods=("get", "post"),
        fields=("calendar_urls", "password"),
        owner_is=PROVIDER,
    ),
    "calendar_source_sync": Target(kwargs=source_pk, methods=("post",), owner_is=PROVIDER),
    "calendar_source_delete": Target(kwargs=source_pk, methods=("post",), owner_is=PROVIDER),
    "calendar_push": Target(owner_is=PROVIDER),
    "calendar_push_connect": Target(
        kwargs=calendar_pk,
        methods=("get", "post"),
        fields=("url", "username", "password"),
        owner_is=PROVIDER,
    ),
    "calendar_push_choose": Target(
        kwargs=calendar_pk,
        methods=("get", "post"),
        fields=("calendar_url", "enabled"),
        owner_is=PROVIDER,
    ),
    "calendar_push_delete": Target(kwargs=calendar_pk, methods=("post",), owner_is=PROVIDER),
    "book_index": Target(fields=("q",)),
    "book_calendar": Target(
        kwargs=calendar_slug,
        methods=("get", "post"),
        fields=("slot", "description", "day", "month", *GUEST_FIELDS),
    ),
    "embed_calendar": Target(
        kwargs=calendar_slug,
        methods=("get", "post"),
        fields=("slot", "description", "day", "month", "tz", "embed_token", *GUEST_FIELDS),
    ),
    "appointment_reschedule": Target(
        kwargs=appointment_pk, methods=("get", "post"), fields=("slot", "day", "month")
    ),
    "appointment_ics": Target(kwargs=appointment_pk),
    "provider_schedule": Target(fields=("calendar", "week", "day"), owner_is=PROVIDER),
    "provider_why": Target(fields=("calendar", "date", "time"), owner_is=PROVIDER),
    "provider_availability": Target(fields=("calendar", "schedule"), owner_is=PROVIDER),
    "publish_slots": Target(methods=("get", "post"), fields=PUBLISH, owner_is=PROVIDER),
    "availability_settings": Target(methods=("post",), fields=SETTINGS, owner_is=PROVIDER),
    "availability_hours": Target(
        methods=("post",), fields=("calendar", "schedule", "add", *HOURS), owner_is=PROVIDER
    ),
    "override_add": Target(
        methods=("post",),
        fields=("calendar", "date", "closed", "start_time", "end_time"),
        owner_is=PROVIDER,
    ),
    "override_remove": Target(
        kwargs=override_pk, methods=("post",), fields=("calendar",), owner_is=PROVIDER
    ),
    "time_off_add": Target(
        methods=("post",), fields=("calendar", "start", "end", "reason"), owner_is=PROVIDER
    ),
    "time_off_remove": Target(
        kwargs=time_off_pk, methods=("post",), fields=("calendar",), owner_is=PROVIDER
    ),
    "event_type_list": Target(),
    "event_type_start": Target(
        methods=("get", "post"),
        fields=("name", "length_minutes", "time_zone", "weekdays", "start", "end"),
    ),
    "event_type_create": Target(methods=("get", "post"), fields=EVENT_TYPE, owner_is=PROVIDER),
    "event_type_edit": Target(
        kwargs=event_type_pk, methods=("get", "post"), fields=EVENT_TYPE, owner_is=PROVIDER
    ),
    "event_type_duplicate": Target(kwargs=event_type_pk, methods=("post",), owner_is=PROVIDER),
    "event_type_active": Target(
        kwargs=event_type_pk, methods=("post",), fields=("active", "next"), owner_is=PROVIDER
    ),
    "event_type_delete": Target(kwargs=event_type_pk, methods=("get", "post"), owner_is=PROVIDER),
    "schedule_list": Target(
        methods=("get", "post"), fields=("name", "time_zone", "office_hours"), owner_is=PROVIDER
    ),
    "schedule_edit": Target(
        kwargs=schedule_pk, methods=("get", "post"), fields=("name", "time_zone"), owner_is=PROVIDER
    ),
    "schedule_default": Target(kwargs=schedule_pk, methods=("post",), owner_is=PROVIDER),
    "schedule_delete": Target(kwargs=schedule_pk, methods=("post",), owner_is=PROVIDER),
    "person_page": Target(kwargs=lambda cast: {"username": cast.provider.username}),
    "team_list": Target(),
    "team_create": Target(methods=("get", "post"), fields=("name", "slug")),
    "team_detail": Target(kwargs=team_slug, owner_is=PROVIDER),
    "team_invite": Target(
        kwargs=team_slug, methods=("post",), fields=("address",), owner_is=PROVIDER
    ),
    "team_invitation_withdraw": Target(
        kwargs=team_invitation_pk, methods=("post",), owner_is=PROVIDER
    ),
    "team_member_role": Target(
        kwargs=team_member_pk, methods=("post",), fields=("role",), owner_is=PROVIDER
    ),
    "team_member_remove": Target(kwargs=team_member_pk, methods=("post",), owner_is=PROVIDER),
    "team_leave": Target(kwargs=team_slug, methods=("post",), owner_is=PROVIDER),
    "team_event_type_create": Target(
        kwargs=team_slug, methods=("get", "post"), fields=TEAM_EVENT_TYPE, owner_is=PROVIDER
    ),
    "team_event_type_edit": Target(
        kwargs=team_event_type_slug,
        methods=("get", "post"),
        fields=TEAM_EVENT_TYPE,
        owner_is=PROVIDER,
    ),
    "team_invitation_accept": Target(
        kwargs=invitation_to_provider, methods=("post",), fields=("back",), owner_is=PROVIDER
    ),
    "team_invitation_decline": Target(
        kwargs=invitation_to_provider, methods=("post",), fields=("back",), owner_is=PROVIDER
    ),
    "team_public": Target(kwargs=team_slug),
    "team_webhook_list": Target(
        kwargs=team_slug,
        methods=("get", "post"),
        fields=("target_url", "events"),
        owner_is=PROVIDER,
    ),
    # A booking's private link: anyone holding it (every role here) is its booker.
    "booking_manage": Target(kwargs=manage_link),
    "booking_manage_cancel": Target(kwargs=manage_link, methods=("post",), fields=("reason",)),
    "booking_manage_reschedule": Target(
        kwargs=manage_link, methods=("get", "post"), fields=("slot", "day", "month")
    ),
    "booking_manage_ics": Target(kwargs=manage_link),
    "event_type_questions": Target(
        kwargs=lambda cast: {"pk": cast.calendar.pk},
        methods=("get", "post"),
        fields=("label", "kind", "help_text", "required", "choices_text"),
        owner_is=PROVIDER,
    ),
    "event_type_policy": Target(
        kwargs=lambda cast: {"pk": cast.calendar.pk},
        methods=("post",),
        fields=("change_notice_minutes",),
        owner_is=PROVIDER,
    ),
    "question_move": Target(
        kwargs=question_pk, methods=("post",), fields=("direction",), owner_is=PROVIDER
    ),
    "question_remove": Target(kwargs=question_pk, methods=("post",), owner_is=PROVIDER),
    "appointment_export": Target(kwargs=appointment_pk, owner_is=PROVIDER),
    "appointment_erase": Target(kwargs=appointment_pk, methods=("post",), owner_is=PROVIDER),
    # The JSON API is fuzzed by schemathesis from its OpenAPI document (api/tests/test_schema.py);
    # here its documents only.
    API: Target(),
    "api_token_create": Target(methods=("get", "post"), fields=("name",)),
    "api_token_revoke": Target(kwargs=api_token_pk, methods=("post",)),
    "webhook_list": Target(methods=("get", "post"), fields=("target_url", "events")),
    "webhook_detail": Target(kwargs=webhook_pk, fields=("page",)),
    "webhook_ping": Target(kwargs=webhook_pk, methods=("post",)),
    "webhook_active": Target(kwargs=webhook_pk, methods=("post",)),
    "webhook_delete": Target(kwargs=webhook_pk, methods=("post",)),
    "webhook_send_again": Target(kwargs=delivery_pk, methods=("post",)),
}
ADMIN_PAGES = [
    "admin:index",
    "admin:appointments_appointment_changelist",
    "admin:appointments_calendar_changelist",
    "admin:notifications_outboundemail_changelist",
    "admin:calendars_busysource_changelist",
    "admin:axes_accessattempt_changelist",
]
ROLES = ("owner", "other", "anonymous", "staff")
# What a refusal must leave as it was. Not recorded: sessions, the cache, the task queue, and
# axes' failed-login records (counting refusals is their purpose).
WATCHED = [
    "auth.User",
    "accounts.Profile",
    "appointments.Calendar",
    "appointments.Host",
    "appointments.Schedule",
    "appointments.WorkingHours",
    "appointments.DateOverride",
    "appointments.TimeOff",
    "appointments.TimeSlot",
    "appointments.Appointment",
    "appointments.Host",
    "appointments.Team",
    "appointments.Membership",
    "appointments.TeamInvitation",
    "appointments.Occupation",
    "appointments.ManageLink",
    "appointments.BookingQuestion",
    "appointments.BookingAnswer",
    "notifications.Notification",
    "notifications.Reminder",
    "notifications.OutboundEmail",
    "calendars.BusySource",
    "calendars.BusyBlock",
    "calendars.PushTarget",
    "calendars.FeedToken",
    "api.ApiToken",
    "webhooks.Subscription",
    "webhooks.Delivery",
]


def fingerprint() -> str:
    """Every row of the watched tables (plain SQL: this runs twice per request)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


WATCHED_TABLES = [apps.get_model(label)._meta.db_table for label in WATCHED]


def test_every_url_is_fuzzed():
    names = set(url_names())
    missing = sorted(names - TARGETS.keys())
    stale = sorted(TARGETS.keys() - names)
    assert not missing, f"describe these URLs in TARGETS of config/tests/test_fuzz.py: {missing}"
    assert not stale, f"no such URLs any more: {stale}"


@pytest.fixture
def staff(make_user):
    return make_user("staff", is_staff=True, is_superuser=True)


def url_of(name: str, target: Target, cast, draw) -> str:
    if name == ADMIN:
        return reverse(draw(st.sampled_from(ADMIN_PAGES)))
    if name == API:
        return reverse(draw(st.sampled_from(["api-v1:openapi-json", "api-v1:openapi-view"])))
    return reverse(name, kwargs=target.kwargs(cast))


class Clients:
    """One logged-in client per person, logged in again after a request that may end a session."""

    ENDS_SESSIONS = frozenset(
        {"login", "logout", "password_change", "password_reset_confirm", "account_delete"}
    )

    def __init__(self, cast, staff) -> None:
        self.users = {
            "booker": cast.booker,
            "provider": cast.provider,
            "other": cast.other,
            "staff": staff,
            "anonymous": None,
        }
        self.clients = {who: Client() for who in self.users}
        for who in self.users:
            self.refresh(who)

    def refresh(self, who: str) -> None:
        client = self.clients[who]
        client.logout()
        if self.users[who] is not None:
            client.force_login(self.users[who])

    def person(self, role: str, target: Target) -> str:
        return target.owner_is if role == "owner" else role


@pytest.fixture
def clients(cast, staff):
    return Clients(cast, staff)


def is_refusal(response) -> bool:
    location = response.get("Location", "")
    return 400 <= response.status_code < 500 or location.startswith(reverse("login"))


@settings(
    max_examples=REQUESTS_PER_PASS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_gives_a_5xx_and_refusals_change_nothing(clients, cast, queue_only, data):
    name = data.draw(st.sampled_from(sorted(TARGETS)), label="url")
    target = TARGETS[name]
    method = data.draw(st.sampled_from(target.methods), label="method")
    role = data.draw(st.sampled_from(ROLES), label="role")
    fields = target.query if method == "get" and target.query else target.fields
    chosen = (
        data.draw(st.lists(st.sampled_from(fields), unique=True), label="fields") if fields else []
    )
    params = {key: data.draw(VALUES, label=key) for key in chosen}
    headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
    url = url_of(name, target, cast, data.draw)
    who = clients.person(role, target)
    cache.clear()  # rate limits and lockouts would turn later examples into plain 429s
    before = fingerprint()

    response = getattr(clients.clients[who], method)(url, params, **headers)
    if name in Clients.ENDS_SESSIONS:
        clients.refresh(who)

    SENT[(name, method)] += 1
    assert response.status_code < 500, f"{method.upper()} {url} as {role} with {params!r}"
    if is_refusal(response):
        assert fingerprint() == before, f"{method.upper()} {url} as {role} refused, but changed"


def test_the_fuzz_sent_enough_requests():
    if not SENT:
        pytest.skip("the fuzz test did not run in this process")
    total = sum(SENT.values())
    print(f"fuzz: {total} requests over {len(SENT)} URL and method pairs, none a 5xx")
    assert total >= REQUESTS_PER_PASS
    assert len({name for name, _ in SENT}) >= 0.9 * len(TARGETS)  # nearly every URL was reached
