"""Writes of teams: creating one, inviting people and answering invitations, roles, removing
members and leaving, and the team's event types. Each runs in one transaction and raises
ValidationError with a message for people; a refusal changes nothing.

Rules: the owners and admins manage a team; only an owner makes someone an owner or changes or
removes an owner; a team always keeps an owner (the last one can neither leave nor be demoted
or removed). The team row is locked first, so two owners demoting each other at once cannot
both succeed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from appointments.event_types.services import default_schedule, ensure_default_schedule, unique_slug
from appointments.models import Calendar, Host, Membership, Team, TeamInvitation
from appointments.teams import selectors
from appointments.teams.rules import may_remove, roles_allowed
from calendars.text import calendar_text

Role = Membership.Role
# Addresses under /teams/ that a team's slug would shadow.
RESERVED_SLUGS = frozenset({"new", "invitations"})
TEAM_ASSIGNMENTS = (Calendar.Assignment.ROUND_ROBIN, Calendar.Assignment.COLLECTIVE)
ADDRESS_MAX = 254


def _locked_team(team: Team) -> Team:
    return Team.objects.select_for_update().get(pk=team.pk)


def _role_of(team: Team, user) -> str | None:
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


def _require_manager(team: Team, user) -> str:
    role = _role_of(team, user)
    if role not in (Role.OWNER, Role.ADMIN):
        raise ValidationError("Only the team's owners and admins can do that.")
    return role


def _team_slug(name: str, slug: str) -> str:
    slug = slug.strip().lower() or slugify(name)[:80].strip("-")
    if not slug:
        raise ValidationError({"slug": "Give the team an address of letters, digits or dashes."})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{slug}” is reserved; choose another address."})
    if Team.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "Another team already uses this address."})
    return slug


def team_create(*, owner, name: str, slug: str = "") -> Team:
    """A new team with `owner` as its first owner."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    with transaction.atomic():
        team = Team(name=name, slug=_team_slug(name, slug))
        team.full_clean()
        team.save()
        Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def team_invite(*, team: Team, by, address: str) -> TeamInvitation | None:
    """Invite whoever uses `address` (a username or an e-mail). The invitation is recorded the
    same way whether or not an account uses the address (see TeamInvitation); inviting an
    address already waiting for an answer changes nothing."""
    address = address.strip()
    if not address or len(address) > ADDRESS_MAX:
        raise ValidationError({"address": "Give a username or an e-mail address."})
    with transaction.atomic():
        _locked_team(team)
        _require_manager(team, by)
        waiting = selectors.pending_invitations(team).filter(address__iexact=address)
        if waiting.exists():
            return None
        return TeamInvitation.objects.create(team=team, address=address, invited_by=by)


def _invitation_for(user, invitation_pk: int) -> TeamInvitation:
    invitation = selectors.pending_invitations_for(user).filter(pk=invitation_pk).first()
    if invitation is None:
        raise ValidationError("This invitation is no longer open.")
    return invitation


def invitation_accept(*, user, invitation_pk: int, now: datetime | None = None) -> Membership:
    """Join the team as a member. Every other open invitation of that team addressed to the
    person (by their username and by their e-mail) is answered with it."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _invitation_for(user, invitation_pk)
        team = _locked_team(invitation.team)
        TeamInvitation.objects.filter(
            selectors.addressed_to(user), team=team, state=TeamInvitation.State.PENDING
        ).update(state=TeamInvitation.State.ACCEPTED, user=user, answered_at=now)
        membership, _ = Membership.objects.get_or_create(
            team=team, user=user, defaults={"role": Role.MEMBER}
        )
    return membership


def invitation_decline(*, user, invitation_pk: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _invitation_for(user, invitation_pk)
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            state=TeamInvitation.State.DECLINED, user=user, answered_at=now
        )


def invitation_withdraw(*, team: Team, by, invitation_pk: int, now: datetime | None = None):
    now = now or timezone.now()
    with transaction.atomic():
        _locked_team(team)
        _require_manager(team, by)
        withdrawn = selectors.pending_invitations(team).filter(pk=invitation_pk)
        if not withdrawn.update(state=TeamInvitation.State.WITHDRAWN, answered_at=now):
            raise ValidationError("This invitation is no longer open.")


def _member(team: Team, membership_pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user").filter(team=team, pk=membership_pk).first()
    )
    if membership is None:
        raise ValidationError("That person is not a member of this team.")
    return membership


def member_set_role(*, team: Team, by, membership_pk: int, role: str) -> Membership:
    """Give a member another role, within `roles_allowed`."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, admin or member."})
    with transaction.atomic():
        _locked_team(team)
        by_role = _require_manager(team, by)
        membership = _member(team, membership_pk)
        allowed = roles_allowed(by_role, membership.role, owners=selectors.owner_count(team))
        if role not in allowed:
            if by_role != Role.OWNER:
                raise ValidationError(
                    "Only an owner can make someone an owner or change an owner's role."
                )
            raise ValidationError(
                "A team needs an owner: make someone else an owner before changing the last "
                "owner's role."
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def _drop_member(team: Team, membership: Membership) -> None:
    """The person stops hosting the team's event types (bookings they already hold stay
    theirs), then leaves."""
    Host.objects.filter(calendar__team=team, user_id=membership.user_id).delete()
    membership.delete()


def member_remove(*, team: Team, by, membership_pk: int) -> None:
    with transaction.atomic():
        _locked_team(team)
        by_role = _require_manager(team, by)
        membership = _member(team, membership_pk)
        is_self = membership.user_id == by.pk
        if not may_remove(by_role, membership.role, is_self=is_self):
            if is_self:
                raise ValidationError("To leave the team yourself, use “Leave team”.")
            raise ValidationError("Only an owner can remove an owner.")
        _drop_member(team, membership)


def member_leave(*, team: Team, user) -> None:
    with transaction.atomic():
        _locked_team(team)
        membership = Membership.objects.filter(team=team, user=user).first()
        if membership is None:
            raise ValidationError("You are not a member of this team.")
        if membership.role == Role.OWNER and selectors.owner_count(team) <= 1:
            raise ValidationError(
                "A team needs an owner: make someone else an owner before you leave."
            )
        _drop_member(team, membership)


def _team_hosts(team: Team, hosts: Sequence) -> list:
    """The chosen hosts, each a member of the team; at least one."""
    pks = sorted({host.pk for host in hosts})
    if not pks:
        raise ValidationError({"hosts": "Choose at least one host."})
    members = set(
        Membership.objects.filter(team=team, user_id__in=pks).values_list("user_id", flat=True)
    )
    if members != set(pks):
        raise ValidationError({"hosts": "Hosts must be members of the team."})
    return list(get_user_model().objects.filter(pk__in=pks).order_by("pk"))


def _set_hosts(calendar: Calendar, hosts: list) -> list:
    """Make `hosts` the event type's hosts. A host without a default schedule gets one (Mon-Fri
    09:00-17:00 in their profile's zone, as for a first personal event type): returned, so the
    page can say so."""
    given_schedule = []
    for host in hosts:
        if default_schedule(host) is None:
            ensure_default_schedule(host)
            given_schedule.append(host)
    Host.objects.filter(calendar=calendar).exclude(user__in=hosts).delete()
    current = set(Host.objects.filter(calendar=calendar).values_list("user_id", flat=True))
    Host.objects.bulk_create(
        Host(calendar=calendar, user=host) for host in hosts if host.pk not in current
    )
    return given_schedule


def team_event_type_save(
    *,
    team: Team,
    by,
    name: str,
    length_minutes: int,
    assignment: str,
    hosts: Sequence,
    description: str = "",
    is_active: bool = True,
    calendar: Calendar | None = None,
) -> tuple[Calendar, list]:
    """Create (no `calendar`) or edit a team event type; returns it and the hosts who were
    given a default schedule. Its hosts work to their own default schedules."""
    if assignment not in TEAM_ASSIGNMENTS:
        raise ValidationError({"assignment": "Choose round-robin or collective."})
    with transaction.atomic():
        _locked_team(team)
        _require_manager(team, by)
        chosen = _team_hosts(team, hosts)
        if calendar is None:
            calendar = Calendar(
                provider=by, team=team, slug=unique_slug(f"{team.slug} {name.strip()}")
            )
        elif calendar.team_id != team.pk:
            raise ValidationError("That event type belongs to another team.")
        calendar.name = calendar_text(name, single_line=True).strip()
        calendar.description = calendar_text(description).strip()
        calendar.length_minutes = length_minutes
        calendar.assignment = assignment
        calendar.is_active = is_active
        calendar.full_clean(exclude=["reminder_offsets"])
        calendar.save()
        given_schedule = _set_hosts(calendar, chosen)
    return calendar, given_schedule
