"""Writes for busy-time sources: connect, choose, sync, delete. Fetching happens outside any
transaction; a sync then replaces the source's busy blocks in one transaction, so readers see
either the old busy times or the new ones, and a failed fetch changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from appointments.access import involving
from appointments.models import Appointment, Calendar
from calendars.caldav.client import CalDavSource
from calendars.crypto import DecryptError
from calendars.events import ical_uid_of
from calendars.ics.expand import merge_busy
from calendars.ics.source import IcsSource
from calendars.models import BusyBlock, BusySource
from calendars.sources import Busy, RemoteCalendar, SourceError

logger = logging.getLogger(__name__)

# Busy time that started a day ago may still reach into today's slots (buffers, overnight).
LOOKBEHIND = timedelta(days=1)
DEFAULT_HORIZON_DAYS = 60  # a person who hosts nothing yet: the event types' default
CLAIM_LEASE = timedelta(minutes=5)
OWN_EVENTS_CHANGED = timedelta(days=30)
PASSWORD_UNREADABLE = (
    "The stored password can no longer be read (the encryption key changed); enter it again."
)


def fetch_limits() -> dict[str, bool | float]:
    return {
        "allow_loopback": settings.CALENDAR_FETCH_ALLOW_LOOPBACK,
        "allow_private": settings.CALENDAR_FETCH_ALLOW_PRIVATE,
        "timeout": settings.CALENDAR_FETCH_SECONDS,
    }


def caldav_account(
    url: str,
    username: str,
    password: str,
    *,
    zone: str,
    calendar_urls: Sequence[str] = (),
    ignore_uids: Collection[str] = frozenset(),
) -> CalDavSource:
    return CalDavSource(
        url,
        username,
        password,
        calendar_urls=calendar_urls,
        default_tz=zone,
        ignore_uids=ignore_uids,
        **fetch_limits(),
    )


def owner_zone(user) -> str:
    """Floating times of a person's calendars are read in their default schedule's zone (else
    their profile's, else UTC)."""
    schedule = user.schedules.filter(is_default=True).first()
    if schedule is not None:
        return schedule.time_zone
    profile = getattr(user, "profile", None)
    return (profile.time_zone if profile is not None else "") or "UTC"


def owner_horizon_days(user) -> int:
    """How far ahead anyone can book the person: the longest horizon of what they host."""
    horizons = Calendar.objects.filter(host_rows__user=user, is_active=True).values_list(
        "horizon_days", flat=True
    )
    return max(horizons, default=DEFAULT_HORIZON_DAYS)


def own_event_uids(user, *, since: datetime) -> frozenset[str]:
    """The UIDs of the person's own bookings that a source may hold (write-back, or an
    invitation they accepted): every appointment they take part in, as host or booker,
    cancelled ones too, that ends after `since` or changed since a month before it (a moved
    booking's copy may still be at its old time). They are occupancy already; read back as busy
    time they would block their own rescheduling, and a cancelled one would stay busy until the
    next sync."""
    recent = Q(end_time__gte=since) | Q(updated_at__gte=since - OWN_EVENTS_CHANGED)
    uids = Appointment.objects.filter(recent, involving(user)).values_list("uid", flat=True)
    return frozenset(ical_uid_of(uid) for uid in uids)


def source_reader(source: BusySource, *, now: datetime) -> IcsSource | CalDavSource:
    """The protocol object that reads `source`; SourceError if it cannot be built."""
    zone = owner_zone(source.user)
    own = own_event_uids(source.user, since=sync_window(source.user, now)[0])
    if source.kind == BusySource.Kind.ICS:
        return IcsSource(source.url, default_tz=zone, ignore_uids=own, **fetch_limits())
    try:
        password = source.password()
    except DecryptError as error:
        raise SourceError(PASSWORD_UNREADABLE) from error
    if not source.calendar_urls:
        raise SourceError("Choose which calendars of the account count as busy.")
    return caldav_account(
        source.url,
        source.username,
        password,
        zone=zone,
        calendar_urls=source.calendar_urls,
        ignore_uids=own,
    )


def sync_window(user, now: datetime) -> tuple[datetime, datetime]:
    """Only what bookings can reach is expanded and stored."""
    return now - LOOKBEHIND, now + timedelta(days=owner_horizon_days(user) + 1)


def source_sync(source: BusySource, *, now: datetime) -> bool:
    """Read the source and replace its busy blocks; on failure keep them and record why."""
    try:
        reader = source_reader(source, now=now)
        # A provider is either busy or not: overlapping events are stored as one block.
        busy = merge_busy(reader.busy(*sync_window(source.user, now)))
    except SourceError as error:
        _record_failure(source, str(error), now=now)
        return False
    with transaction.atomic():
        # Lock the source: two syncs of it at once (the schedule and "Sync now") must not
        # both delete and then both insert.
        locked = BusySource.objects.select_for_update().filter(pk=source.pk).first()
        if locked is None:
            return False  # deleted while we were fetching
        BusyBlock.objects.filter(source=source).delete()
        BusyBlock.objects.bulk_create(_blocks(source, busy), batch_size=1000)
        source.last_notice = " ".join(reader.notes)
        _save_state(source, now=now, success=True, block_count=len(busy), warning=reader.warning)
    return True


def _blocks(source: BusySource, busy: Sequence[Busy]) -> list[BusyBlock]:
    return [
        BusyBlock(source=source, user_id=source.user_id, start_time=start, end_time=end)
        for start, end in busy
    ]


def _record_failure(source: BusySource, message: str, *, now: datetime) -> None:
    source.last_error, source.last_error_at = message, now
    _save_state(source, now=now, success=False, block_count=source.block_count)


def _save_state(
    source: BusySource, *, now: datetime, success: bool, block_count: int, warning: str = ""
) -> None:
    """A successful read clears the last problem, unless it read only part of the calendar
    (`warning`): then that is the problem the provider sees."""
    source.last_synced_at = now
    source.next_sync_at = now + timedelta(minutes=source.sync_minutes)
    fields = ["last_synced_at", "next_sync_at", "last_error", "last_error_at"]
    if success:
        source.last_success_at, source.block_count = now, block_count
        source.last_error, source.last_error_at = warning, now if warning else None
        fields += ["last_success_at", "block_count", "last_notice"]
    BusySource.objects.filter(pk=source.pk).update(
        **{field: getattr(source, field) for field in fields}
    )


def sources_due(now: datetime) -> list[int]:
    """Ids of the active sources whose next sync time has come (or that never synced)."""
    return list(
        BusySource.objects.filter(is_active=True)
        .exclude(next_sync_at__gt=now)
        .order_by("next_sync_at")
        .values_list("pk", flat=True)
    )


def _claim(pk: int, now: datetime) -> bool:
    """Passes may overlap (several workers); the one whose conditional UPDATE moves the next
    sync time syncs the source. The lease ends the claim if that worker dies mid-sync."""
    due = BusySource.objects.filter(pk=pk, is_active=True).exclude(next_sync_at__gt=now)
    return due.update(next_sync_at=now + CLAIM_LEASE) == 1


def sources_sync_due(*, now: datetime) -> dict[str, int]:
    """One pass of the periodic sync. One broken source never stops the others."""
    report = {"synced": 0, "failed": 0}
    for pk in sources_due(now):
        if not _claim(pk, now):
            continue  # another worker's pass took it
        source = BusySource.objects.select_related("user").get(pk=pk)
        try:
            ok = source_sync(source, now=now)
        except Exception:
            # A bug, not a calendar problem: log it, tell the provider in plain words, go on.
            logger.exception("Syncing busy source %s failed unexpectedly", pk)
            _record_failure(source, "An unexpected error happened while reading it.", now=now)
            ok = False
        report["synced" if ok else "failed"] += 1
    return report


def source_sync_request(*, source: BusySource, now: datetime) -> datetime:
    """Queue a read of the source on the worker's calendar queue ("Sync now", a new source) and
    return when it was asked for: the page shows progress until `last_synced_at` passes it.

    A web request never waits on a calendar server: a slow one would hold a server thread for as
    long as its deadline. The row is committed already (views run in autocommit), so the task
    is queued at once; the immediate backend of the tests runs it right here."""
    from calendars.tasks import sync_source

    sync_source.enqueue(source.pk)
    return now


def sync_finished(source: BusySource, asked_at: datetime) -> bool:
    return source.last_synced_at is not None and source.last_synced_at >= asked_at


def source_create_ics(*, user, name: str, url: str, now: datetime) -> BusySource:
    """Add an ICS address and queue its first read, so the provider soon sees whether it works."""
    source = BusySource.objects.create(
        user=user, kind=BusySource.Kind.ICS, name=name, url=url.strip()
    )
    source_sync_request(source=source, now=now)
    source.refresh_from_db()
    return source


def caldav_calendars(url: str, username: str, password: str, *, zone: str) -> list[RemoteCalendar]:
    """The account's calendars; SourceError in plain words if it cannot be reached."""
    return caldav_account(url, username, password, zone=zone).calendars()


def source_connect_caldav(
    *, user, name: str, url: str, username: str, password: str
) -> tuple[BusySource, list[RemoteCalendar]]:
    """Check the account, then keep it (password encrypted) until the provider chooses which
    of its calendars count; nothing is stored if the account cannot be reached."""
    found = caldav_calendars(url, username, password, zone=owner_zone(user))
    source = BusySource(
        user=user,
        kind=BusySource.Kind.CALDAV,
        name=name,
        url=url.strip(),
        username=username,
        is_active=False,
    )
    source.set_password(password)
    source.save()
    return source, found


def source_choose_calendars(
    *, source: BusySource, calendar_urls: Sequence[str], password: str = "", now: datetime
) -> BusySource:
    """Save which remote calendars count (and a new password if one is given), then sync."""
    if password:
        source.set_password(password)
    source.calendar_urls = list(calendar_urls)
    source.is_active = bool(calendar_urls)
    source.save(update_fields=["encrypted_password", "calendar_urls", "is_active"])
    if source.is_active:
        source_sync_request(source=source, now=now)
        source.refresh_from_db()
    return source


def source_remote_calendars(source: BusySource) -> list[RemoteCalendar]:
    try:
        password = source.password()
    except DecryptError as error:
        raise SourceError(PASSWORD_UNREADABLE) from error
    return caldav_calendars(source.url, source.username, password, zone=owner_zone(source.user))


def source_delete(*, source: BusySource) -> None:
    """The source and its busy blocks go; the slots they blocked are free again."""
    source.delete()
