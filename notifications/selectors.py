"""Reads for the notification pages."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each group."""
    return user.notifications.select_related("appointment").order_by("is_read", "-timestamp")


def unread_count(user) -> int:
    return user.notifications.filter(is_read=False).count()
