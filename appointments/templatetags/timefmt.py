"""Times as the viewer reads them: in the active zone (the viewer's, set by TimezoneMiddleware),
with the zone named, and with the UTC offset when the wall time alone is ambiguous (the hour
that repeats when clocks go back)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django import template
from django.utils import timezone

register = template.Library()


def _local(value: datetime, zone: tzinfo | None = None) -> datetime:
    return timezone.localtime(value, zone or timezone.get_current_timezone())


def is_ambiguous(local: datetime) -> bool:
    """True when this wall time occurs twice in its zone (fold=0 and fold=1 differ)."""
    wall = local.replace(tzinfo=None)
    zone = local.tzinfo
    return (
        wall.replace(tzinfo=zone, fold=0).utcoffset()
        != wall.replace(tzinfo=zone, fold=1).utcoffset()
    )


def utc_offset(local: datetime) -> str:
    """'UTC-04:00' style; whole minutes are enough for every zone in use today."""
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_suffix(local: datetime) -> str:
    suffix = local.tzname() or utc_offset(local)
    if is_ambiguous(local):
        suffix += f" ({utc_offset(local)})"
    return suffix


def clock(local: datetime) -> str:
    return f"{local:%H:%M}"


def day(local: datetime) -> str:
    # No %-d: it is not portable; strip the leading zero by hand.
    return f"{local:%a} {local.day} {local:%b %Y}"


@register.filter
def local_time(value: datetime | None) -> str:
    """'Tue 24 Nov 2026, 09:00 GMT', or 'Sun 1 Nov 2026, 01:30 EDT (UTC-04:00)' when ambiguous."""
    if not value:
        return ""
    local = _local(value)
    return f"{day(local)}, {clock(local)} {zone_suffix(local)}"


@register.filter
def local_clock(value: datetime | None) -> str:
    """Only the wall clock and zone: '09:00 GMT' (with the offset when ambiguous)."""
    if not value:
        return ""
    local = _local(value)
    return f"{clock(local)} {zone_suffix(local)}"


@register.filter
def local_date(value: datetime | None) -> str:
    """'Tue 24 Nov 2026' in the viewer's zone."""
    if not value:
        return ""
    return day(_local(value))


@register.filter
def local_range(start: datetime | None, end: datetime | None) -> str:
    """'Tue 24 Nov 2026, 09:00–09:30 GMT'; the end gets its own date when it falls on another day
    and each end its own offset when either is ambiguous."""
    if not start or not end:
        return local_time(start)
    first, last = _local(start), _local(end)
    if first.date() != last.date():
        return f"{local_time(start)} – {local_time(end)}"
    if is_ambiguous(first) or first.tzname() != last.tzname():
        return (
            f"{day(first)}, {clock(first)} {zone_suffix(first)} – {clock(last)} {zone_suffix(last)}"
        )
    return f"{day(first)}, {clock(first)}–{clock(last)} {zone_suffix(last)}"


@register.filter
def iso(value: datetime | None) -> str:
    """Machine-readable instant for <time datetime=...>."""
    return value.isoformat() if value else ""


@register.simple_tag(takes_context=True)
def viewer_zone(context) -> str:
    """The zone times are shown in, by name (e.g. 'Europe/London')."""
    request = context.get("request")
    return getattr(request, "viewer_zone", None) or timezone.get_current_timezone_name()
