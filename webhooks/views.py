"""The owner's webhook pages: subscriptions (create: the secret is shown once, on the answer to
the POST), and per subscription its delivery log with "send again" and "send a test ping"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from webhooks import services
from webhooks.forms import SubscriptionForm
from webhooks.models import Delivery, Subscription

LOG_PAGE = 25


def _own(request, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, user=request.user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            context = {"subscription": subscription, "secret": secret}
            return render(request, "webhooks/created.html", context)
    subscriptions = Subscription.objects.filter(user=request.user)
    return render(request, "webhooks/list.html", {"form": form, "subscriptions": subscriptions})


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
    _own(request, pk).delete()
    messages.success(request, "The subscription and its log are removed.")
    return redirect("webhook_list")


@login_required
@require_POST
def delivery_again(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk, subscription__user=request.user)
    services.send_again(delivery=delivery)
    messages.success(request, "Sent again; the result appears in the log.")
    return redirect("webhook_detail", pk=delivery.subscription_id)
