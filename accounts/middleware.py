from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.validators import time_zone_names

BROWSER_ZONE_COOKIE = "tz"


def viewer_zone_name(request) -> str:
    """The zone a viewer sees times in: their profile's, else the browser's (cookie), else UTC."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.time_zone:
            return profile.time_zone
    browser = request.COOKIES.get(BROWSER_ZONE_COOKIE, "")
    if browser in time_zone_names():
        return browser
    return "UTC"


class TimezoneMiddleware:
    """Activates the viewer's zone so every template renders times in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer_zone = viewer_zone_name(request)
        timezone.activate(ZoneInfo(request.viewer_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
