"""Template helpers of the team pages: people's names in a sentence, whether a viewer hosts an
appointment, and the open invitations shown on the dashboard."""

from __future__ import annotations

from django import template

from appointments.teams.selectors import pending_invitations_for

register = template.Library()


@register.filter
def people(rows) -> str:
    """ "Ann", "Ann and Bob", "Ann, Bob and Cat" from users (or rows with a `user`)."""
    names = []
    for row in rows:
        person = getattr(row, "user", row)
        names.append(person.get_full_name() or person.get_username())
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@register.filter
def hosted_by(appointment, user) -> bool:
    """Whether `user` hosts the appointment (a team booking's host, not only the event type's
    owner). Uses the prefetched host rows."""
    return user.is_authenticated and appointment.is_hosted_by(user)


@register.inclusion_tag("appointments/teams/_dashboard_invitations.html", takes_context=True)
def team_invitations(context) -> dict:
    user = context["user"]
    return {
        "invitations": list(pending_invitations_for(user)) if user.is_authenticated else [],
        "csrf_token": context.get("csrf_token"),
    }
