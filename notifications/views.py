from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from notifications import selectors, services
from notifications.models import Notification

PAGE_SIZE = 20
# Sent with every response that changes what is unread: the navigation badge (base.html,
# #nav-notifications) and the dashboard's latest notifications listen for it and refresh.
CHANGED_EVENT = "notifications-changed"


def _list_context(request) -> dict:
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"page": page, "notifications": page.object_list}


@login_required
@require_GET
def notification_list(request):
    template = "notifications/notification_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#notification-list"
    return render(request, template, _list_context(request))


@login_required
@require_GET
def notification_detail(request, pk: int):
    """Reading changes nothing (a GET is safe: link previews and prefetches follow it); the page
    offers "Mark as read", a POST."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    return render(request, "notifications/notification_detail.html", {"notification": notification})


@login_required
@require_GET
def notification_badge(request):
    """The navigation link with its unread count, for htmx to swap in after a change."""
    return render(request, "base.html#nav-notifications")


def _after_change(request):
    """HTMX: the refreshed list plus the event the badge listens to. Otherwise post/redirect/get."""
    if not request.htmx:
        return redirect("notification_list")
    response = render(
        request, "notifications/notification_list.html#notification-list", _list_context(request)
    )
    return trigger_client_event(response, CHANGED_EVENT)


@login_required
@require_POST
def notification_mark_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(notification=notification)
    return _after_change(request)


@login_required
@require_POST
def notification_mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return _after_change(request)
