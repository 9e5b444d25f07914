"""Who may do what to whom in a team: the services enforce these and the team page offers
exactly what they allow."""

from __future__ import annotations

from appointments.models import Membership

Role = Membership.Role


def roles_allowed(by_role: str | None, target_role: str, *, owners: int) -> list[str]:
    """The roles a manager with `by_role` may give a member who has `target_role` (their
    current one included): admins handle admins and members, owners everyone, and the last
    owner stays one. The team page offers exactly these."""
    if by_role == Role.OWNER:
        if target_role == Role.OWNER and owners <= 1:
            return [Role.OWNER]
        return list(Role.values)
    if by_role == Role.ADMIN and target_role != Role.OWNER:
        return [Role.ADMIN, Role.MEMBER]
    return []


def may_remove(by_role: str | None, target_role: str, *, is_self: bool) -> bool:
    """Managers remove others (leaving is for oneself); only an owner removes an owner."""
    if is_self or by_role not in (Role.OWNER, Role.ADMIN):
        return False
    return target_role != Role.OWNER or by_role == Role.OWNER
