from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.validators import time_zone_names

BROWSER_ZONE_COOKIE = "tz"
# A zone the visitor picked on a page (the booking page's switcher): it wins over the browser's,
# which the front end writes into BROWSER_ZONE_COOKIE on every page.
CHOSEN_ZONE_COOKIE = "tz_chosen"


def picked_zone(request) -> str:
    """A zone picked on this request (`?tz=Europe/Paris`, the booking page's switcher)."""
    picked = request.GET.get("tz", "") if request.method == "GET" else ""
    return picked if picked in time_zone_names() else ""


def viewer_zone_name(request) -> str:
    """The zone a viewer sees times in: one just picked on the page, else their profile's, else
    one they picked before (cookie), else the browser's (cookie), else UTC."""
    picked = picked_zone(request)
    if picked:
        return picked
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.time_zone:
            return profile.time_zone
    for cookie in (CHOSEN_ZONE_COOKIE, BROWSER_ZONE_COOKIE):
        zone = request.COOKIES.get(cookie, "")
        if zone in time_zone_names():
            return zone
    return "UTC"


class TimezoneMiddleware:
    """Activates the viewer's zone so every template renders times in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer_zone = viewer_zone_name(request)
        timezone.activate(ZoneInfo(request.viewer_zone))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        picked = picked_zone(request)
        if picked and request.COOKIES.get(CHOSEN_ZONE_COOKIE) != picked:
            # The pick lasts: later pages (and a guest's booking) use it over the browser's.
            response.set_cookie(CHOSEN_ZONE_COOKIE, picked, max_age=365 * 24 * 3600, samesite="Lax")
        return response
