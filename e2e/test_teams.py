"""A round-robin team event type booked in a real browser, with JavaScript and without. The
booking goes to the host the fairness rule picks, and that host sees it in their week view."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from appointments.models import Appointment, Membership
from e2e.test_booking_flows import FREE_DAY, choose_last_free_day, shoot

pytestmark = pytest.mark.e2e
EVERY_DAY = {day: [(time(9), time(17))] for day in range(7)}


@pytest.fixture
def team_world(transactional_db, make_user):
    """Riverside Clinic: Ann (owner), Bob and Cat host "Intro call" round-robin. Each already
    has one booking of it this month; Bob's was made longest ago, so the next goes to Bob: not
    the smallest id (Ann), which is what a tie on counts alone would pick."""
    from appointments.booking import services as booking
    from appointments.event_types.services import schedule_create
    from appointments.teams import services as teams

    ann, bob, cat = (
        make_user(name, first_name=name.title(), last_name="Host") for name in ("ann", "bob", "cat")
    )
    for host in (ann, bob, cat):
        schedule_create(owner=host, time_zone="Europe/London", hours=EVERY_DAY)
    team = teams.team_create(owner=ann, name="Riverside Clinic")
    Membership.objects.bulk_create(Membership(team=team, user=host) for host in (bob, cat))
    calendar, _ = teams.team_event_type_save(
        team=team,
        by=ann,
        name="Intro call",
        length_minutes=30,
        assignment="round_robin",
        hosts=[ann, bob, cat],
    )
    now = timezone.now()
    first = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    made_days_ago = {ann: 1, bob: 10, cat: 5}
    for index, (host, days) in enumerate(made_days_ago.items()):
        earlier = booking.appointment_book(
            user=make_user(f"earlier{index}"),
            calendar=calendar,
            start=first + timedelta(minutes=30 * index),
        )
        assert earlier.host_users == [host]  # none booked yet: the smallest id, in turn
        Appointment.objects.filter(pk=earlier.pk).update(created_at=now - timedelta(days=days))
    return team, calendar, bob, make_user("visitor")


def signed_in_context(browser, live_server, user, **options):
    """A second browser context with its own session (the `page` fixture has one already)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context


def expected_host(calendar, now):
    """What the fairness rule (appointments.scheduling.assignment) picks among all hosts."""
    from appointments.booking.hosts import host_loads
    from appointments.scheduling import round_robin_choice

    hosts = sorted(calendar.host_rows.values_list("user_id", flat=True))
    return round_robin_choice(host_loads(calendar, hosts, now=now))


def test_a_visitor_books_a_round_robin_team_event_type_and_the_fair_host_gets_it(
    page: Page, team_world, login_as, browser, live_server
):
    team, calendar, bob, visitor = team_world
    assert expected_host(calendar, timezone.now()) == bob.pk
    login_as(visitor)

    page.goto(f"/team/{team.slug}/")
    expect(page.get_by_role("heading", name="Riverside Clinic")).to_be_visible()
    page.get_by_role("link", name="Intro call", exact=True).click()
    expect(page.locator(".bk-meta")).to_contain_text("with one of Riverside Clinic's hosts")
    choose_last_free_day(page)
    page.locator(".bk-slot").first.click()
    page.get_by_role("button", name="Book this time").click()

    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator("#booking-confirmation")).to_contain_text(
        "Intro call with Bob Host (Riverside Clinic)"
    )
    shoot(page, "team-book-confirmed")
    booked = Appointment.objects.get(user=visitor)
    assert booked.host_users == [bob]

    # Bob sees it in his week view.
    context = signed_in_context(browser, live_server, bob, timezone_id="Europe/London")
    bobs = context.new_page()
    bobs.goto(f"/provider/schedule/?week={booked.start_time:%G-W%V}")
    expect(bobs.locator(".pv-grid")).to_contain_text("visitor")
    expect(bobs.locator(".pv-grid")).to_contain_text("Intro call")
    context.close()


def test_the_same_booking_works_without_javascript(team_world, browser, live_server):
    team, calendar, bob, visitor = team_world
    assert expected_host(calendar, timezone.now()) == bob.pk
    context = signed_in_context(browser, live_server, visitor, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"/team/{team.slug}/")
    page.get_by_role("link", name="Intro call", exact=True).click()
    page.get_by_role("button", name=FREE_DAY).last.click()
    page.locator(".bk-slot").first.click()
    page.get_by_role("button", name="Book this time").click()

    booked = Appointment.objects.get(user=visitor)
    expect(page).to_have_url(re.compile(rf"/appointments/{booked.pk}/$"))
    expect(page.locator(".details")).to_contain_text("Hosted by")
    expect(page.locator(".details")).to_contain_text("Bob Host")
    assert booked.host_users == [bob]
    context.close()
