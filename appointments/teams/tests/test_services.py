"""The team services: creating a team, invitations (neutral about accounts), roles, removing
members and leaving, and team event types."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from appointments.models import Calendar, Host, Membership, Schedule, TeamInvitation
from appointments.teams import selectors
from appointments.teams import services as teams
from appointments.teams.rules import may_remove, roles_allowed

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def owner(make_user):
    return make_user("olga")


@pytest.fixture
def team(owner):
    return teams.team_create(owner=owner, name="Riverside Clinic")


def join(team, user, role=Role.MEMBER) -> Membership:
    return Membership.objects.create(team=team, user=user, role=role)


def test_creating_a_team_makes_its_creator_the_owner_and_the_address_from_the_name(team, owner):
    assert team.slug == "riverside-clinic"
    assert team.memberships.get().user == owner
    assert team.memberships.get().role == Role.OWNER


@pytest.mark.parametrize("slug", ["new", "invitations", "riverside-clinic"])
def test_a_reserved_or_taken_address_is_refused_and_nothing_is_created(team, owner, slug):
    with pytest.raises(ValidationError) as refusal:
        teams.team_create(owner=owner, name="Another", slug=slug)

    assert "slug" in refusal.value.error_dict
    assert selectors.memberships_of(owner).count() == 1


def test_a_team_needs_a_name(owner):
    with pytest.raises(ValidationError):
        teams.team_create(owner=owner, name="   ")


def test_an_invitation_by_username_or_e_mail_reaches_the_person(team, owner, make_user):
    bob = make_user("bob", email="Bob@Example.com")
    cat = make_user("cat")
    teams.team_invite(team=team, by=owner, address="BOB")
    teams.team_invite(team=team, by=owner, address="cat@example.com")

    assert [i.team for i in selectors.pending_invitations_for(bob)] == [team]
    assert [i.team for i in selectors.pending_invitations_for(cat)] == [team]
    assert not selectors.pending_invitations_for(owner).exists()


def test_an_unknown_address_is_recorded_exactly_like_a_known_one(team, owner, make_user):
    make_user("bob")
    known = teams.team_invite(team=team, by=owner, address="bob")
    unknown = teams.team_invite(team=team, by=owner, address="nobody@example.com")

    assert (known.user, known.address, known.state) == (None, "bob", "pending")
    assert (unknown.user, unknown.address, unknown.state) == (None, "nobody@example.com", "pending")
    assert [i.address for i in selectors.pending_invitations(team)] == [
        "nobody@example.com",
        "bob",
    ]


def test_an_invitation_to_an_address_nobody_uses_yet_waits_for_whoever_signs_up_with_it(
    team, owner, make_user
):
    teams.team_invite(team=team, by=owner, address="newcomer@example.com")

    newcomer = make_user("newcomer")

    assert selectors.pending_invitations_for(newcomer).count() == 1


def test_inviting_a_waiting_address_again_changes_nothing(team, owner):
    teams.team_invite(team=team, by=owner, address="ann@example.com")
    assert teams.team_invite(team=team, by=owner, address="ANN@example.com") is None
    assert TeamInvitation.objects.count() == 1


def test_a_plain_member_cannot_invite(team, make_user):
    member = make_user("mo")
    join(team, member)

    with pytest.raises(ValidationError):
        teams.team_invite(team=team, by=member, address="x@example.com")
    assert not TeamInvitation.objects.exists()


def test_accepting_joins_as_a_member_and_answers_every_invitation_to_that_person(
    team, owner, make_user
):
    bob = make_user("bob")
    teams.team_invite(team=team, by=owner, address="bob")
    teams.team_invite(team=team, by=owner, address="bob@example.com")
    invitation = selectors.pending_invitations_for(bob).first()

    membership = teams.invitation_accept(user=bob, invitation_pk=invitation.pk)

    assert (membership.user, membership.role) == (bob, Role.MEMBER)
    assert not selectors.pending_invitations(team).exists()
    assert set(TeamInvitation.objects.values_list("state", "user")) == {("accepted", bob.pk)}


def test_declining_leaves_the_team_as_it_was(team, owner, make_user):
    bob = make_user("bob")
    invitation = teams.team_invite(team=team, by=owner, address="bob")

    teams.invitation_decline(user=bob, invitation_pk=invitation.pk)

    invitation.refresh_from_db()
    assert (invitation.state, invitation.user) == ("declined", bob)
    assert not team.memberships.filter(user=bob).exists()


def test_nobody_answers_an_invitation_meant_for_someone_else(team, owner, make_user):
    make_user("bob")
    mallory = make_user("mallory")
    invitation = teams.team_invite(team=team, by=owner, address="bob")

    with pytest.raises(ValidationError):
        teams.invitation_accept(user=mallory, invitation_pk=invitation.pk)
    assert not team.memberships.filter(user=mallory).exists()


def test_a_withdrawn_invitation_can_no_longer_be_accepted(team, owner, make_user):
    bob = make_user("bob")
    invitation = teams.team_invite(team=team, by=owner, address="bob")
    teams.invitation_withdraw(team=team, by=owner, invitation_pk=invitation.pk)

    with pytest.raises(ValidationError):
        teams.invitation_accept(user=bob, invitation_pk=invitation.pk)


def test_the_last_owner_can_neither_leave_nor_be_demoted(team, owner):
    mine = team.memberships.get(user=owner)
    with pytest.raises(ValidationError, match="needs an owner"):
        teams.member_leave(team=team, user=owner)
    with pytest.raises(ValidationError, match="needs an owner"):
        teams.member_set_role(team=team, by=owner, membership_pk=mine.pk, role=Role.ADMIN)
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_with_a_second_owner_an_owner_can_step_down_and_leave(team, owner, make_user):
    second = join(team, make_user("sam"), Role.OWNER)
    mine = team.memberships.get(user=owner)

    teams.member_set_role(team=team, by=owner, membership_pk=mine.pk, role=Role.ADMIN)
    teams.member_leave(team=team, user=owner)

    assert list(team.memberships.all()) == [second]


def test_admins_manage_members_and_admins_but_not_owners(team, owner, make_user):
    admin = join(team, make_user("ada"), Role.ADMIN)
    member = join(team, make_user("mo"))
    owners = team.memberships.get(user=owner)

    teams.member_set_role(team=team, by=admin.user, membership_pk=member.pk, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="Only an owner"):
        teams.member_set_role(team=team, by=admin.user, membership_pk=member.pk, role=Role.OWNER)
    with pytest.raises(ValidationError, match="Only an owner"):
        teams.member_set_role(team=team, by=admin.user, membership_pk=owners.pk, role=Role.MEMBER)
    with pytest.raises(ValidationError, match="Only an owner"):
        teams.member_remove(team=team, by=admin.user, membership_pk=owners.pk)
    member.refresh_from_db()
    assert member.role == Role.ADMIN


def test_a_member_manages_nobody_but_can_leave(team, owner, make_user):
    member = join(team, make_user("mo"))
    other = join(team, make_user("max"))

    with pytest.raises(ValidationError):
        teams.member_remove(team=team, by=member.user, membership_pk=other.pk)
    with pytest.raises(ValidationError):
        teams.member_set_role(team=team, by=member.user, membership_pk=member.pk, role="admin")
    teams.member_leave(team=team, user=member.user)

    assert set(team.memberships.values_list("user__username", flat=True)) == {"olga", "max"}


def test_an_unknown_role_is_refused(team, owner, make_user):
    member = join(team, make_user("mo"))
    with pytest.raises(ValidationError):
        teams.member_set_role(team=team, by=owner, membership_pk=member.pk, role="king")


def test_a_member_of_another_team_cannot_be_changed_through_this_one(team, owner, make_user):
    elsewhere = teams.team_create(owner=make_user("eve"), name="Elsewhere")
    theirs = elsewhere.memberships.get()

    with pytest.raises(ValidationError, match="not a member"):
        teams.member_remove(team=team, by=owner, membership_pk=theirs.pk)


def test_the_rules_offer_what_the_services_allow():
    assert roles_allowed(Role.OWNER, Role.OWNER, owners=1) == [Role.OWNER]
    assert roles_allowed(Role.OWNER, Role.OWNER, owners=2) == list(Role.values)
    assert roles_allowed(Role.ADMIN, Role.OWNER, owners=2) == []
    assert roles_allowed(Role.ADMIN, Role.MEMBER, owners=1) == [Role.ADMIN, Role.MEMBER]
    assert roles_allowed(Role.MEMBER, Role.MEMBER, owners=1) == []
    assert may_remove(Role.OWNER, Role.OWNER, is_self=False)
    assert not may_remove(Role.ADMIN, Role.OWNER, is_self=False)
    assert not may_remove(Role.OWNER, Role.MEMBER, is_self=True)
    assert not may_remove(Role.MEMBER, Role.MEMBER, is_self=False)


def save(team, by, hosts, **extra):
    fields = {"name": "Intro call", "length_minutes": 30, "assignment": "round_robin"}
    return teams.team_event_type_save(team=team, by=by, hosts=hosts, **(fields | extra))


def test_a_team_event_type_has_the_chosen_members_as_hosts(team, owner, make_user):
    bob = join(team, make_user("bob")).user

    calendar, _ = save(team, owner, [owner, bob])

    assert (calendar.team, calendar.assignment, calendar.schedule) == (team, "round_robin", None)
    assert calendar.slug == "riverside-clinic-intro-call"
    assert set(calendar.hosts.all()) == {owner, bob}


def test_a_team_event_types_text_is_cleaned_for_calendar_files(team, owner):
    calendar, _ = save(team, owner, [owner], name="Intro\x0b call\x00", description="a\x0bb\x7f")

    assert (calendar.name, calendar.description) == ("Intro call", "a\nb")


def test_a_host_without_a_schedule_gets_office_hours_and_is_named(team, owner, make_user):
    bob = join(team, make_user("bob")).user
    bob.profile.time_zone = "Europe/Paris"
    bob.profile.save()
    Schedule.objects.create(owner=owner, name="Mine", time_zone="UTC", is_default=True)

    _, given_schedule = save(team, owner, [owner, bob])

    assert given_schedule == [bob]
    schedule = bob.schedules.get()
    assert (schedule.is_default, schedule.time_zone) == (True, "Europe/Paris")
    assert schedule.working_hours.count() == 5
    assert owner.schedules.count() == 1


def test_hosts_must_be_members_and_there_must_be_one(team, owner, make_user):
    outsider = make_user("out")
    with pytest.raises(ValidationError) as refusal:
        save(team, owner, [owner, outsider])
    assert "hosts" in refusal.value.error_dict
    with pytest.raises(ValidationError):
        save(team, owner, [])
    with pytest.raises(ValidationError):
        save(team, owner, [owner], assignment="single")
    assert not Calendar.objects.exists()


def test_editing_changes_the_hosts_and_the_assignment(team, owner, make_user):
    bob = join(team, make_user("bob")).user
    calendar, _ = save(team, owner, [owner, bob])

    edited, _ = save(
        team, owner, [bob], calendar=calendar, assignment="collective", is_active=False
    )

    assert edited.pk == calendar.pk
    assert (edited.assignment, edited.is_active) == ("collective", False)
    assert list(edited.hosts.all()) == [bob]


def test_a_plain_member_cannot_create_a_team_event_type(team, owner, make_user):
    member = join(team, make_user("mo")).user
    with pytest.raises(ValidationError):
        save(team, member, [member])


def test_a_removed_member_stops_hosting_the_teams_event_types_only(
    team, owner, make_user, make_calendar
):
    bob = join(team, make_user("bob")).user
    calendar, _ = save(team, owner, [owner, bob])
    own = make_calendar(bob, name="Bob's own", slug="bobs-own")

    teams.member_remove(team=team, by=owner, membership_pk=team.memberships.get(user=bob).pk)

    assert list(calendar.hosts.all()) == [owner]
    assert Host.objects.filter(calendar=own, user=bob).exists()
