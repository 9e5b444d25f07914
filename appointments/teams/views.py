"""The team pages: a person's teams and invitations, creating a team, the team page of its
members (members, invitations, event types), the team event type form, and the public team
page. Every management page is a 404 to anyone not in the team; the pages that change the team
or its event types are a 404 to members who do not manage it. Forms are plain POST forms
(post/redirect/get), so everything works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.embed.snippets import embed_snippets
from appointments.models import Membership, Team
from appointments.provider.views import add_service_errors
from appointments.teams import selectors
from appointments.teams import services as teams
from appointments.teams.forms import InviteForm, RoleForm, TeamEventTypeForm, TeamForm
from webhooks import views as webhook_views

# Said whatever the address: whether an account uses it is nobody's business.
INVITED = (
    "Invitation recorded for “{address}”. If that is someone's username or e-mail, they see "
    "it on their dashboard."
)


def member_of(request, slug: str) -> Membership:
    membership = selectors.membership(request.user, slug)
    if membership is None:
        raise Http404("No such team.")
    return membership


def manager_of(request, slug: str) -> Membership:
    membership = member_of(request, slug)
    if not membership.manages:
        raise Http404("No such team.")
    return membership


def refusal_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def team_list(request):
    context = {
        "memberships": selectors.memberships_of(request.user),
        "invitations": selectors.pending_invitations_for(request.user),
        "form": TeamForm(),
    }
    return render(request, "appointments/teams/team_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = teams.team_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Team “{team.name}” created. Invite its members here.")
            return redirect("team_detail", slug=team.slug)
    return render(request, "appointments/teams/team_create.html", {"form": form})


def detail_context(membership: Membership, *, invite_form=None) -> dict:
    team = membership.team
    return {
        "team": team,
        "me": membership,
        "rows": selectors.member_rows(team, membership),
        "invitations": selectors.pending_invitations(team) if membership.manages else [],
        "event_types": selectors.team_event_types(team),
        "invite_form": invite_form or InviteForm(),
        # The webhooks section (only its managers see it): the same list and form as a person's.
        "webhooks": webhook_views.list_context(team=team) if membership.manages else None,
    }


@login_required
@require_GET
def team_detail(request, slug: str):
    membership = member_of(request, slug)
    return render(request, "appointments/teams/team_detail.html", detail_context(membership))


@login_required
@require_POST
def team_invite(request, slug: str):
    membership = manager_of(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            teams.team_invite(team=membership.team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, INVITED.format(address=form.cleaned_data["address"]))
            return redirect("team_detail", slug=slug)
    context = detail_context(membership, invite_form=form)
    return render(request, "appointments/teams/team_detail.html", context)


def team_action(request, slug: str, action, success: str, **kwargs):
    """Run one team service for a manager, then back to the team page with its outcome."""
    membership = manager_of(request, slug)
    try:
        action(team=membership.team, by=request.user, **kwargs)
    except ValidationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, success)
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def team_invitation_withdraw(request, slug: str, pk: int):
    return team_action(
        request, slug, teams.invitation_withdraw, "Invitation withdrawn.", invitation_pk=pk
    )


@login_required
@require_POST
def team_member_role(request, slug: str, pk: int):
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    return team_action(
        request, slug, teams.member_set_role, "Role changed.", membership_pk=pk, role=role
    )


@login_required
@require_POST
def team_member_remove(request, slug: str, pk: int):
    return team_action(
        request,
        slug,
        teams.member_remove,
        "Removed from the team; they no longer host its event types.",
        membership_pk=pk,
    )


@login_required
@require_POST
def team_leave(request, slug: str):
    membership = member_of(request, slug)
    try:
        teams.member_leave(team=membership.team, user=request.user)
    except ValidationError as error:
        refusal_message(request, error)
        return redirect("team_detail", slug=slug)
    messages.success(request, f"You left “{membership.team.name}”.")
    return redirect("team_list")


def answer(request, pk: int, service, success: str):
    """Accept or decline one's own invitation; anyone else's (or an answered one) is a 404."""
    if not selectors.pending_invitations_for(request.user).filter(pk=pk).exists():
        raise Http404("No such invitation.")
    try:
        result = service(user=request.user, invitation_pk=pk)
    except ValidationError as error:
        refusal_message(request, error)
        return redirect("team_list")
    messages.success(request, success)
    if isinstance(result, Membership):
        return redirect("team_detail", slug=result.team.slug)
    return redirect("dashboard" if request.POST.get("back") == "dashboard" else "team_list")


@login_required
@require_POST
def team_invitation_accept(request, pk: int):
    return answer(request, pk, teams.invitation_accept, "Welcome to the team.")


@login_required
@require_POST
def team_invitation_decline(request, pk: int):
    return answer(request, pk, teams.invitation_decline, "Invitation declined.")


def save_event_type(request, membership: Membership, form, calendar=None):
    """The form's event type saved by the service; None when the form or the service refused."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        saved, given_schedule = teams.team_event_type_save(
            team=membership.team, by=request.user, calendar=calendar, **data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    names = ", ".join(host.get_full_name() or host.get_username() for host in given_schedule)
    if names:
        messages.info(
            request,
            f"{names} had no working hours yet: they now work Mon–Fri 09:00–17:00 in their "
            "own time zone.",
        )
    messages.success(request, f"“{saved.name}” saved.")
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def team_event_type_create(request, slug: str):
    membership = manager_of(request, slug)
    form = TeamEventTypeForm(request.POST or None, team=membership.team)
    if request.method == "POST" and save_event_type(request, membership, form):
        return redirect("team_detail", slug=slug)
    context = {"team": membership.team, "form": form, "calendar": None}
    return render(request, "appointments/teams/event_type_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_event_type_edit(request, slug: str, event_slug: str):
    membership = manager_of(request, slug)
    calendar = selectors.team_event_type(membership.team, event_slug)
    if calendar is None:
        raise Http404("No such event type.")
    initial = TeamEventTypeForm.initial_from(calendar)
    form = TeamEventTypeForm(request.POST or None, team=membership.team, initial=initial)
    if request.method == "POST" and save_event_type(request, membership, form, calendar):
        return redirect("team_detail", slug=slug)
    context = {
        "team": membership.team,
        "form": form,
        "calendar": calendar,
        "snippets": embed_snippets(request, calendar),
    }
    return render(request, "appointments/teams/event_type_form.html", context)


@require_GET
def team_public(request, slug: str):
    team = get_object_or_404(Team, slug=slug)
    context = {"team": team, "event_types": selectors.public_event_types(team)}
    return render(request, "appointments/teams/team_public.html", context)
