"""Reads of teams: a person's teams and invitations, a team's members, invitations and event
types, and the public team page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from appointments.models import Calendar, Host, Membership, Team, TeamInvitation
from appointments.teams.rules import may_remove, roles_allowed

# Owners first, then admins, then members.
ROLE_ORDER = Case(
    When(role=Membership.Role.OWNER, then=Value(0)),
    When(role=Membership.Role.ADMIN, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def memberships_of(user) -> QuerySet[Membership]:
    """The person's teams, with their role in each."""
    return Membership.objects.filter(user=user).select_related("team").order_by("team__name")


def membership(user, slug: str) -> Membership | None:
    """The person's membership of the team at `slug`, if they are a member."""
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("team").filter(team__slug=slug, user=user).first()


def members(team: Team) -> list[Membership]:
    return list(
        team.memberships.select_related("user").order_by(ROLE_ORDER, "user__username", "pk")
    )


def owner_count(team: Team) -> int:
    return team.memberships.filter(role=Membership.Role.OWNER).count()


def addressed_to(user) -> Q:
    """Invitations meant for `user`: answered by them, or addressed to their username or
    e-mail (matched when read, so an invitation to an address nobody used yet waits for them)."""
    mine = Q(user=user) | Q(user=None, address__iexact=user.get_username())
    if user.email:
        mine |= Q(user=None, address__iexact=user.email)
    return mine


def pending_invitations_for(user) -> QuerySet[TeamInvitation]:
    """What the person is invited to and has not answered, leaving out teams they are in."""
    return (
        TeamInvitation.objects.filter(addressed_to(user), state=TeamInvitation.State.PENDING)
        .exclude(team__memberships__user=user)
        .select_related("team", "invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_invitations(team: Team) -> QuerySet[TeamInvitation]:
    pending = team.invitations.filter(state=TeamInvitation.State.PENDING)
    return pending.select_related("invited_by").order_by("-created_at", "-pk")


def team_event_types(team: Team) -> QuerySet[Calendar]:
    """The team's event types (those deleted with history kept left out), with their hosts."""
    hosts = Prefetch("host_rows", queryset=Host.objects.select_related("user").order_by("user_id"))
    return (
        Calendar.objects.filter(team=team, archived_at=None)
        .prefetch_related(hosts)
        .order_by("name", "pk")
    )


def team_event_type(team: Team, slug: str) -> Calendar | None:
    return team_event_types(team).filter(slug=slug).first()


def public_event_types(team: Team) -> list[Calendar]:
    """What the public team page lists: the event types taking bookings and with a host."""
    return [
        calendar
        for calendar in team_event_types(team).filter(is_active=True)
        if calendar.host_rows.all()
    ]


@dataclass(frozen=True)
class MemberRow:
    """A member as the team page shows them to one viewer: what that viewer may change."""

    membership: Membership
    roles: list[tuple[str, str]]  # the roles the viewer may give (empty: none to choose)
    can_remove: bool


def member_rows(team: Team, viewer: Membership) -> list[MemberRow]:
    people = members(team)
    owners = sum(1 for member in people if member.role == Membership.Role.OWNER)
    rows = []
    for member in people:
        allowed = roles_allowed(viewer.role, member.role, owners=owners)
        choices = [(role, Membership.Role(role).label) for role in allowed]
        is_self = member.pk == viewer.pk
        removable = may_remove(viewer.role, member.role, is_self=is_self)
        rows.append(MemberRow(member, choices if len(choices) > 1 else [], removable))
    return rows
