from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from notifications.models import Notification


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("appointment")
    return render(request, "notifications/notification_list.html", {"notifications": notifications})


@login_required
def notification_detail(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if not notification.is_read:
        notification.is_read = True
        notification.save(update_fields=["is_read"])
    return render(request, "notifications/notification_detail.html", {"notification": notification})


@login_required
@require_POST
def notification_mark_all_read(request):
    request.user.notifications.filter(is_read=False).update(is_read=True)
    return redirect("notification_list")
