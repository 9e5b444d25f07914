"""The pages the accessibility check (test_accessibility.py) and the screenshots
(test_screenshots.py) go through. Add your pages here: one entry per page and login state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse


@dataclass(frozen=True)
class PageSpec:
    name: str  # unique; also the screenshot file name
    path: Callable  # world -> URL path
    login: str | None = None  # None (anonymous), or a World attribute: "booker", "provider"
    main: bool = False  # a main page: screenshotted at both widths

    def __str__(self) -> str:
        return self.name


def url(name: str, **kwargs) -> Callable:
    return lambda world: reverse(name, kwargs={k: v(world) for k, v in kwargs.items()})


PAGES: list[PageSpec] = [
    # Logged out
    PageSpec("login", url("login"), main=True),
    PageSpec("register", url("register"), main=True),
    PageSpec("password-reset", url("password_reset"), main=True),
    PageSpec("password-reset-done", url("password_reset_done")),
    PageSpec(
        "password-reset-expired-link",
        lambda world: reverse(
            "password_reset_confirm", kwargs={"uidb64": "MQ", "token": "expired-token"}
        ),
    ),
    PageSpec("password-reset-complete", url("password_reset_complete")),
    PageSpec("not-found-anonymous", lambda world: "/no-such-page/"),
    # Logged in
    PageSpec("dashboard", url("dashboard"), login="booker", main=True),
    PageSpec("appointments", url("appointment_list"), login="booker", main=True),
    PageSpec(
        "appointments-past", lambda world: reverse("appointment_list") + "?tab=past", "booker"
    ),
    PageSpec(
        "appointment-detail",
        url("appointment_detail", pk=lambda world: world.appointment.pk),
        login="booker",
        main=True,
    ),
    PageSpec(
        "appointment-cancel",
        url("appointment_cancel", pk=lambda world: world.appointment.pk),
        login="booker",
        main=True,
    ),
    PageSpec("notifications", url("notification_list"), login="booker", main=True),
    PageSpec(
        "notification-detail",
        url("notification_detail", pk=lambda world: world.notification.pk),
        login="booker",
    ),
    PageSpec("profile", url("profile"), login="booker", main=True),
    PageSpec("password-change", url("password_change"), login="booker"),
    PageSpec("provider-dashboard", url("dashboard"), login="provider", main=True),
    PageSpec("not-found", lambda world: "/no-such-page/", login="booker", main=True),
    # Booking (the day with free times is chosen so the time list shows)
    PageSpec("book-index-anonymous", url("book_index"), main=True),
    PageSpec("book-index", lambda world: reverse("book_index") + "?q=demo", login="booker"),
    PageSpec("book-calendar-anonymous", lambda world: booking_day(world), main=True),
    PageSpec("book-calendar", lambda world: booking_day(world), login="booker", main=True),
    PageSpec("embed-calendar", lambda world: booking_day(world, "embed_calendar")),
    PageSpec(
        "book-calendar-next-month",
        lambda world: (
            reverse("book_calendar", args=[world.calendar.slug])
            + "?month="
            + f"{next_month(world):%Y-%m}"
        ),
        login="booker",
    ),
    PageSpec(
        "appointment-reschedule",
        lambda world: (
            reverse("appointment_reschedule", args=[world.appointment.pk])
            + f"?day={world.appointment.start_time:%Y-%m-%d}"
        ),
        login="booker",
        main=True,
    ),
    # The provider area
    PageSpec(
        "provider-schedule",
        lambda world: reverse("provider_schedule") + f"?week={world.appointment.start_time:%G-W%V}",
        login="provider",
        main=True,
    ),
    PageSpec("provider-availability", url("provider_availability"), login="provider", main=True),
    PageSpec(
        "provider-why",
        lambda world: (
            reverse("provider_why")
            + f"?calendar={world.calendar.slug}&date={world.appointment.start_time:%Y-%m-%d}&time=10:00"
        ),
        login="provider",
        main=True,
    ),
    PageSpec("provider-publish-slots", url("publish_slots"), login="provider", main=True),
    # Calendar integration
    PageSpec("calendar-feed", url("calendar_feed_page"), login="booker", main=True),
    PageSpec("calendar-sources", url("calendar_sources"), login="provider", main=True),
    PageSpec(
        "calendar-source-add-ics", url("calendar_source_add_ics"), login="provider", main=True
    ),
    PageSpec("calendar-source-add-caldav", url("calendar_source_add_caldav"), login="provider"),
    PageSpec("calendar-push", url("calendar_push"), login="provider", main=True),
    # Offering appointments (appointments/event_types)
    PageSpec("event-type-start", url("event_type_start"), login="booker", main=True),
    PageSpec("event-types", url("event_type_list"), login="provider", main=True),
    PageSpec("event-types-none", url("event_type_list"), login="booker"),
    PageSpec("event-type-new", url("event_type_create"), login="provider"),
    PageSpec(
        "event-type-edit",
        url("event_type_edit", pk=lambda world: world.calendar.pk),
        login="provider",
        main=True,
    ),
    PageSpec(
        "event-type-delete-blocked",
        url("event_type_delete", pk=lambda world: world.calendar.pk),
        login="provider",
    ),
    PageSpec("schedules", url("schedule_list"), login="provider", main=True),
    PageSpec(
        "schedule-edit",
        url("schedule_edit", pk=lambda world: world.calendar.schedule_id),
        login="provider",
    ),
    PageSpec(
        "schedule-availability",
        lambda world: reverse("provider_availability") + f"?schedule={world.calendar.schedule_id}",
        login="provider",
    ),
    PageSpec(
        "person-page", url("person_page", username=lambda world: world.provider.username), main=True
    ),
    # Teams (the provider owns "Riverside Clinic"; the booker is invited to it)
    PageSpec("teams", lambda world: team_page(world, "team_list"), login="provider", main=True),
    PageSpec("teams-invited", lambda world: team_page(world, "team_list"), login="booker"),
    PageSpec(
        "dashboard-team-invitation",
        lambda world: team_page(world, "dashboard"),
        login="booker",
        main=True,
    ),
    PageSpec("team-create", lambda world: team_page(world, "team_create"), "provider", True),
    PageSpec(
        "team-detail", lambda world: team_page(world, "team_detail", "slug"), "provider", True
    ),
    PageSpec(
        "team-event-type-new",
        lambda world: team_page(world, "team_event_type_create", "slug"),
        login="provider",
        main=True,
    ),
    PageSpec(
        "team-event-type-edit",
        lambda world: team_page(world, "team_event_type_edit", "slug", "event_slug"),
        login="provider",
        main=True,
    ),
    PageSpec("team-public", lambda world: team_page(world, "team_public", "slug"), main=True),
    PageSpec(
        "book-team-calendar",
        lambda world: reverse("book_calendar", args=[team_of(world)[1].slug]),
        main=True,
    ),
]


def booking_day(world, page: str = "book_calendar") -> str:
    day = world.appointment.start_time.date()
    return reverse(page, args=[world.calendar.slug]) + f"?day={day:%Y-%m-%d}"


def next_month(world):
    first = world.appointment.start_time.date().replace(day=28) + timedelta(days=4)
    return first.replace(day=1)


def team_of(world):
    """The provider's team with a round-robin event type hosted by the provider and the other
    user, and an invitation of the booker waiting (made on first use)."""
    from appointments.models import Membership, Team
    from appointments.teams import services as teams

    team = Team.objects.filter(slug="riverside").first()
    if team is None:
        team = teams.team_create(owner=world.provider, name="Riverside Clinic", slug="riverside")
        Membership.objects.create(team=team, user=world.other)
        teams.team_event_type_save(
            team=team,
            by=world.provider,
            name="Intro call",
            length_minutes=30,
            assignment="round_robin",
            hosts=[world.provider, world.other],
            description="A first talk with one of our clinicians.",
        )
        teams.team_invite(team=team, by=world.provider, address=world.booker.email)
        teams.team_invite(team=team, by=world.provider, address="new.colleague@example.com")
    return team, team.event_types.get()


def team_page(world, name: str, *keys: str) -> str:
    team, calendar = team_of(world)
    values = {"slug": team.slug, "event_slug": calendar.slug}
    return reverse(name, kwargs={key: values[key] for key in keys})
