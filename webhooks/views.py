"""The webhook pages of a person (/developer/webhooks/) and of a team (its section on the team
page, /teams/<slug>/webhooks/ for the form): subscriptions (create: the secret is shown once, on
the answer to the POST), and per subscription its delivery log with "send again" and "send a
test ping". One set of views and templates for both: a subscription is found among those the
requesting person may manage (their own, their managed teams'); anything else is a 404, and so
is a team page to a member who does not manage the team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from appointments.models import Team
from appointments.teams import selectors as teams
from webhooks import services
from webhooks.forms import SubscriptionForm
from webhooks.models import Delivery, Subscription

LOG_PAGE = 25


def _managed_team(request, slug: str) -> Team:
    membership = teams.membership(request.user, slug)
    if membership is None or not membership.manages:
        raise Http404("No such team.")
    return membership.team


def _own(request, pk: int) -> Subscription:
    manageable = Subscription.objects.filter(services.manageable_by(request.user))
    return get_object_or_404(manageable.select_related("team"), pk=pk)


def _list_redirect(subscription: Subscription):
    if subscription.team_id is not None:
        return redirect("team_detail", slug=subscription.team.slug)
    return redirect("webhook_list")


def list_context(*, user=None, team=None, form=None) -> dict:
    """The subscriptions and the new-subscription form of a person or a team (the team page
    shows the same section)."""
    owner = services.owned_by(user=user, team=team)
    return {
        "team": team,
        "subscriptions": Subscription.objects.filter(owner),
        "form": form or SubscriptionForm(team=team),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request, slug: str | None = None):
    team = _managed_team(request, slug) if slug is not None else None
    owner = {"team": team} if team is not None else {"user": request.user}
    form = SubscriptionForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(**owner, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            context = {"subscription": subscription, "secret": secret}
            return render(request, "webhooks/created.html", context)
    return render(request, "webhooks/list.html", list_context(**owner, form=form))


@login_required
def subscription_detail(request, pk: int):
    subscription = _own(request, pk)
    page = Paginator(subscription.deliveries.all(), LOG_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {"subscription": subscription, "page": page})


@login_required
@require_POST
def subscription_ping(request, pk: int):
    services.ping(subscription=_own(request, pk))
    messages.success(request, "A test ping is on its way; its result appears in the log.")
    return redirect("webhook_detail", pk=pk)


@login_required
@require_POST
def subscription_active(request, pk: int):
    subscription = _own(request, pk)
    services.subscription_set_active(subscription=subscription, active=not subscription.is_active)
    messages.success(request, "Switched on." if subscription.is_active else "Switched off.")
    return redirect("webhook_detail", pk=pk)


@login_required
@require_POST
def subscription_delete(request, pk: int):
    subscription = _own(request, pk)
    subscription.delete()
    messages.success(request, "The subscription and its log are removed.")
    return _list_redirect(subscription)


@login_required
@require_POST
def delivery_again(request, pk: int):
    manageable = Subscription.objects.filter(services.manageable_by(request.user))
    delivery = get_object_or_404(Delivery, pk=pk, subscription__in=manageable)
    services.send_again(delivery=delivery)
    messages.success(request, "Sent again; the result appears in the log.")
    return redirect("webhook_detail", pk=delivery.subscription_id)
