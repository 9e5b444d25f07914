from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils.timesince import timesince

from calendars.feed import feed_token_get
from calendars.models import BusySource
from calendars.views.feed import feed_links

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed_links(context) -> dict[str, str]:
    """The viewer's feed addresses, for pages (the profile) that include the feed panel."""
    request = context["request"]
    token = feed_token_get(request.user)
    return feed_links(request, token.token if token else None)


@register.filter
def stale(source: BusySource, now: datetime) -> bool:
    return source.is_stale(now)


@register.filter
def ago(instant: datetime | None, now: datetime) -> str:
    """'just now' under a minute, else Django's '3 minutes ago'."""
    if instant is None:
        return "never"
    if now - instant < timedelta(minutes=1):
        return "just now"
    return f"{timesince(instant, now)} ago"
