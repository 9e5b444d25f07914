"""JSON reads for scripts and the benchmark: a calendar's free times for a window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.validators import time_zone_names
from appointments.availability import selectors as availability
from appointments.models import Calendar
from config.bounds import parse_date

MAX_DAYS = 31


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def calendar_slots(request, slug: str):
    """GET ?from=YYYY-MM-DD&days=7&tz=Area/City: free times, in UTC and in the viewer's zone."""
    calendar = get_object_or_404(Calendar, slug=slug, is_active=True, archived_at=None)
    zone_name = request.GET.get("tz") or request.viewer_zone
    if zone_name not in time_zone_names():
        return _bad_request("Unknown time zone; use an IANA name such as Europe/Paris.")
    zone = ZoneInfo(zone_name)
    now = timezone.now()
    first = (
        parse_date(request.GET["from"]) if "from" in request.GET else now.astimezone(zone).date()
    )
    try:
        days = int(request.GET.get("days", "7"))
    except ValueError:
        days = None
    if first is None or days is None:
        return _bad_request(
            "Give `from` as YYYY-MM-DD (years 1900 to 2199) and `days` as a whole number."
        )
    if not 1 <= days <= MAX_DAYS:
        return _bad_request(f"`days` must be between 1 and {MAX_DAYS}.")
    start = datetime.combine(first, datetime.min.time(), zone)
    slots = availability.available_slots(
        calendar, window_start=start, window_end=start + timedelta(days=days), now=now
    )
    payload = [
        {
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
            "local_start": slot.start.astimezone(zone).isoformat(),
            "slot_id": slot.slot_id,
        }
        for slot in slots
    ]
    return JsonResponse({"calendar": calendar.slug, "time_zone": zone_name, "slots": payload})
