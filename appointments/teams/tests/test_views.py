"""The team pages through the test client: owner / member / outsider / anonymous, the neutral
invitation message, answering on the dashboard, and team bookings on the booking page, the
host's week view and appointment list."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from appointments.booking import services as booking
from appointments.event_types.services import schedule_create
from appointments.models import Calendar, Membership, TeamInvitation
from appointments.teams import services as teams

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WED_10 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVERY_DAY = {day: [(time(9), time(17))] for day in range(7)}


@pytest.fixture
def owner(make_user):
    return make_user("olga", first_name="Olga", last_name="Owner")


@pytest.fixture
def team(owner):
    return teams.team_create(owner=owner, name="Riverside Clinic", slug="riverside")


@pytest.fixture
def member(team, make_user):
    user = make_user("mo", first_name="Mo", last_name="Member")
    Membership.objects.create(team=team, user=user)
    return user


@pytest.fixture
def round_robin(team, owner, member):
    for host in (owner, member):
        schedule_create(owner=host, time_zone="UTC", hours=EVERY_DAY)
    calendar, _ = teams.team_event_type_save(
        team=team,
        by=owner,
        name="Intro call",
        length_minutes=30,
        assignment="round_robin",
        hosts=[owner, member],
    )
    return calendar


def detail(team) -> str:
    return reverse("team_detail", args=[team.slug])


def test_the_team_page_lists_members_with_roles_and_waiting_invitations(
    client, team, owner, member
):
    teams.team_invite(team=team, by=owner, address="someone@example.com")
    client.force_login(owner)

    response = client.get(detail(team))

    assert response.status_code == 200
    text = response.text
    assert "Riverside Clinic" in text and "mo · Member" in text
    assert '<span class="role">Owner</span>' in text  # the last owner: no role to choose
    assert "someone@example.com" in text
    assert (
        reverse("team_member_remove", args=[team.slug, team.memberships.get(user=member).pk])
        in text
    )


def test_a_member_sees_the_team_but_no_management_and_no_invitations(client, team, owner, member):
    teams.team_invite(team=team, by=owner, address="someone@example.com")
    client.force_login(member)

    response = client.get(detail(team))

    assert response.status_code == 200
    assert "someone@example.com" not in response.text
    assert "Invite someone" not in response.text
    assert "/remove/" not in response.text
    for name in ("team_event_type_create",):
        assert client.get(reverse(name, args=[team.slug])).status_code == 404
    assert (
        client.post(reverse("team_invite", args=[team.slug]), {"address": "x"}).status_code == 404
    )
    assert not TeamInvitation.objects.filter(address="x").exists()


def test_an_outsider_gets_a_404_on_every_management_page(client, team, owner, make_user):
    client.force_login(make_user("outsider"))
    mine = team.memberships.get(user=owner)

    assert client.get(detail(team)).status_code == 404
    assert client.post(reverse("team_leave", args=[team.slug])).status_code == 404
    assert client.post(reverse("team_member_remove", args=[team.slug, mine.pk])).status_code == 404
    assert team.memberships.count() == 1


def test_inviting_says_the_same_for_a_known_and_an_unknown_address(client, team, owner, make_user):
    make_user("bob")
    client.force_login(owner)
    url = reverse("team_invite", args=[team.slug])

    known = client.post(url, {"address": "bob"}, follow=True)
    unknown = client.post(url, {"address": "nobody"}, follow=True)

    def message(response):
        return [str(m) for m in response.context["messages"]]

    assert message(known) == [m.replace("nobody", "bob") for m in message(unknown)]
    assert "If that is someone's username or e-mail" in message(known)[0]
    # Both wait in the same list, shown as typed.
    pending = [i.address for i in unknown.context["invitations"]]
    assert pending == ["nobody", "bob"]
    assert TeamInvitation.objects.filter(user=None).count() == 2


def test_an_empty_invitation_is_shown_as_an_error_and_changes_nothing(client, team, owner):
    client.force_login(owner)

    response = client.post(reverse("team_invite", args=[team.slug]), {"address": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not TeamInvitation.objects.exists()


def test_the_invitee_accepts_from_the_dashboard(client, team, owner, make_user):
    bob = make_user("bob")
    invitation = teams.team_invite(team=team, by=owner, address="bob@example.com")
    client.force_login(bob)

    dashboard = client.get(reverse("dashboard"))
    assert "Team invitations" in dashboard.text and "Riverside Clinic" in dashboard.text
    response = client.post(reverse("team_invitation_accept", args=[invitation.pk]))

    assert response["Location"] == detail(team)
    assert team.memberships.filter(user=bob, role="member").exists()
    assert "Team invitations" not in client.get(reverse("dashboard")).text


def test_declining_from_the_dashboard_goes_back_there(client, team, owner, make_user):
    bob = make_user("bob")
    invitation = teams.team_invite(team=team, by=owner, address="bob")
    client.force_login(bob)

    response = client.post(
        reverse("team_invitation_decline", args=[invitation.pk]), {"back": "dashboard"}
    )

    assert response["Location"] == reverse("dashboard")
    assert not team.memberships.filter(user=bob).exists()


def test_someone_elses_invitation_is_a_404(client, team, owner, make_user):
    make_user("bob")
    invitation = teams.team_invite(team=team, by=owner, address="bob")
    client.force_login(make_user("mallory"))

    assert client.post(reverse("team_invitation_accept", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_the_last_owner_is_told_they_cannot_leave(client, team, owner):
    client.force_login(owner)

    response = client.post(reverse("team_leave", args=[team.slug]), follow=True)

    assert "make someone else an owner before you leave" in response.text
    assert team.memberships.filter(user=owner).exists()


def test_a_member_leaves(client, team, member):
    client.force_login(member)

    response = client.post(reverse("team_leave", args=[team.slug]))

    assert response["Location"] == reverse("team_list")
    assert not team.memberships.filter(user=member).exists()


def test_an_owner_changes_a_role_and_removes_a_member(client, team, owner, member):
    client.force_login(owner)
    theirs = team.memberships.get(user=member)

    client.post(reverse("team_member_role", args=[team.slug, theirs.pk]), {"role": "admin"})
    theirs.refresh_from_db()
    assert theirs.role == "admin"
    client.post(reverse("team_member_remove", args=[team.slug, theirs.pk]))
    assert not team.memberships.filter(user=member).exists()


def test_creating_a_team_from_the_teams_page(client, owner):
    client.force_login(owner)
    assert "Create a team" in client.get(reverse("team_list")).text

    response = client.post(reverse("team_create"), {"name": "Night Shift", "slug": ""})

    assert response["Location"] == reverse("team_detail", args=["night-shift"])
    refused = client.post(reverse("team_create"), {"name": "Again", "slug": "night-shift"})
    assert refused.status_code == 200 and "Another team already uses this address" in refused.text


def test_an_admin_creates_a_team_event_type_and_a_host_without_hours_is_told(
    client, team, owner, member
):
    client.force_login(owner)
    url = reverse("team_event_type_create", args=[team.slug])
    data = {
        "name": "Intro call",
        "length_minutes": "30",
        "assignment": "collective",
        "hosts": [owner.pk, member.pk],
        "is_active": "on",
    }

    response = client.post(url, data, follow=True)

    calendar = Calendar.objects.get(team=team)
    assert (calendar.assignment, set(calendar.hosts.all())) == ("collective", {owner, member})
    assert "Olga Owner, Mo Member had no working hours yet" in response.text
    edit = reverse("team_event_type_edit", args=[team.slug, calendar.slug])
    assert edit in response.text
    changed = client.post(edit, data | {"hosts": [member.pk], "assignment": "round_robin"})
    assert changed.status_code == 302
    assert list(calendar.hosts.all()) == [member]


def test_a_team_event_type_form_with_an_outsider_as_host_changes_nothing(
    client, team, owner, make_user
):
    outsider = make_user("out")
    client.force_login(owner)
    data = {"name": "X", "length_minutes": "30", "assignment": "round_robin"}

    response = client.post(
        reverse("team_event_type_create", args=[team.slug]), data | {"hosts": [outsider.pk]}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Calendar.objects.exists()


def test_the_public_team_page_lists_active_event_types_with_their_booking_links(
    client, team, round_robin, owner
):
    teams.team_event_type_save(
        team=team,
        by=owner,
        name="Closed",
        length_minutes=30,
        assignment="round_robin",
        hosts=[owner],
        is_active=False,
    )

    response = client.get(reverse("team_public", args=[team.slug]))

    assert response.status_code == 200
    assert reverse("book_calendar", args=[round_robin.slug]) in response.text
    assert "with one of the team's hosts" in response.text
    assert "Closed" not in response.text
    assert client.get(reverse("team_public", args=["no-such-team"])).status_code == 404


def test_the_booking_page_names_the_team_and_a_collective_one_its_hosts(client, team, round_robin):
    page = client.get(reverse("book_calendar", args=[round_robin.slug]))
    assert 'of <a href="/team/riverside/">Riverside Clinic</a>' in page.text

    round_robin.assignment = Calendar.Assignment.COLLECTIVE
    round_robin.save()
    page = client.get(reverse("book_calendar", args=[round_robin.slug]))
    assert "with Olga Owner and Mo Member of" in page.text


def test_the_confirmation_names_the_assigned_host_and_the_host_sees_the_booking(
    client, team, round_robin, owner, member, client_user
):
    # Olga has the smallest id and no booking: the first booking is hers; the next goes to Mo.
    booking.appointment_book(user=client_user, calendar=round_robin, start=WED_10)
    client.force_login(client_user)
    data = {"slot": "start:2026-11-25T11:00:00Z", "day": "2026-11-25"}

    response = client.post(
        reverse("book_calendar", args=[round_robin.slug]), data, HTTP_HX_REQUEST="true"
    )

    assert "Intro call with Mo Member (Riverside Clinic)" in response.text
    client.force_login(member)
    week = client.get(reverse("provider_schedule"), {"week": "2026-W48"})
    assert week.status_code == 200 and "client" in week.text and "Intro call" in week.text
    listed = client.get(reverse("appointment_list"))
    assert "client booked Intro call" in listed.text and "Team booking" in listed.text
