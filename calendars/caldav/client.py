"""Read busy time from a CalDAV account, and write appointments back into one calendar."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

import caldav
import icalendar
from caldav.lib import error as dav_errors

from calendars.caldav.connection import AddressGuard, connect, translate_errors
from calendars.deadline import Deadline
from calendars.ics.expand import ExpansionBudget
from calendars.ics.parse import CalendarFileError, busy_from_ics
from calendars.sources import Busy, RemoteCalendar, SourceError
from calendars.text import calendar_text

# Servers filter floating and all-day events by their own idea of the zone; ask for a day
# more on each side and let busy_from_ics decide exactly, with the user's zone.
_SEARCH_MARGIN = timedelta(days=1)
# UIDs safe to use as a file name unchanged, like "appointment-42@slotwise".
_PLAIN_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._-]{0,200}")


class CalDavSource:
    """Busy time from the chosen calendars of one CalDAV account (all of them if none chosen)."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        calendar_urls: Sequence[str] = (),
        default_tz: str,
        timeout: float = 10,
        allow_private: bool = False,
        allow_loopback: bool = False,
        ignore_uids: Collection[str] = frozenset(),
    ) -> None:
        self.url = url
        self.username = username
        self.password = password
        self.calendar_urls = tuple(calendar_urls)
        self.default_tz = default_tz
        self.ignore_uids = frozenset(ignore_uids)  # our own bookings, if written back here
        self.notes: list[str] = []  # what the last read skipped or repaired
        self.timeout = timeout
        self.guard = AddressGuard(allow_private=allow_private, allow_loopback=allow_loopback)
        self.budget = ExpansionBudget()  # one for all the chosen calendars of a read

    @property
    def warning(self) -> str:
        return self.budget.warning

    def calendars(self) -> list[RemoteCalendar]:
        """The account's calendars, for the user to choose which ones count."""
        with Deadline(self.timeout) as deadline, translate_errors(self.guard, deadline):
            client = self._connect(deadline)
            found = client.principal().calendars()
            # caldav reads any web page as an account without calendars; say what is wrong.
            if not found and not client.supports_caldav():
                raise SourceError("The address does not look like a CalDAV server.")
            return [
                RemoteCalendar(str(calendar.url), _display_name(calendar)) for calendar in found
            ]

    def busy(self, window_start: datetime, window_end: datetime) -> list[Busy]:
        self.notes = []
        self.budget = ExpansionBudget()
        with Deadline(self.timeout) as deadline, translate_errors(self.guard, deadline):
            client = self._connect(deadline)
            busy: list[Busy] = []
            for calendar in self._chosen_calendars(client):
                busy.extend(self._calendar_busy(calendar, window_start, window_end))
            return sorted(busy)

    def _connect(self, deadline: Deadline) -> caldav.DAVClient:
        return connect(self.url, self.username, self.password, deadline=deadline, guard=self.guard)

    def _chosen_calendars(self, client: caldav.DAVClient) -> list[caldav.Calendar]:
        if not self.calendar_urls:
            return client.principal().calendars()
        for url in self.calendar_urls:
            self.guard.check_url(url)  # stored URLs come from user input too
        return [client.calendar(url=url) for url in self.calendar_urls]

    def _calendar_busy(
        self, calendar: caldav.Calendar, window_start: datetime, window_end: datetime
    ) -> list[Busy]:
        # The server picks the objects (whole series, with their overrides); expanding and
        # judging them is left to busy_from_ics, so feeds and CalDAV follow the same rules.
        found = calendar.search(
            start=window_start - _SEARCH_MARGIN, end=window_end + _SEARCH_MARGIN, event=True
        )
        busy: list[Busy] = []
        for calendar_object in found:
            try:
                busy += busy_from_ics(
                    _as_bytes(calendar_object.data),
                    window_start=window_start,
                    window_end=window_end,
                    default_tz=self.default_tz,
                    ignore_uids=self.ignore_uids,
                    notes=self.notes,
                    budget=self.budget,
                )
            except CalendarFileError as error:
                raise SourceError(f"In the calendar at {calendar.url}: {error}") from error
        return busy


class CalDavWriter:
    """Keeps copies of appointments in one CalDAV calendar, one object per UID: new ones
    under `<uid>.ics`, existing ones (whatever their name) where they are."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        calendar_url: str,
        *,
        timeout: float = 10,
        allow_private: bool = False,
        allow_loopback: bool = False,
    ) -> None:
        self.url = url
        self.username = username
        self.password = password
        self.calendar_url = calendar_url
        self.timeout = timeout
        self.guard = AddressGuard(allow_private=allow_private, allow_loopback=allow_loopback)

    def put(self, uid: str, ics: bytes) -> None:
        """Create or replace the event with this UID, wherever the calendar holds it."""
        body = _storable(uid, ics)
        with Deadline(self.timeout) as deadline, translate_errors(self.guard, deadline):
            client = self._connect(deadline)
            url = self._existing_url(client, uid) or self._object_url(uid)
            response = client.put(url, body, {"Content-Type": "text/calendar; charset=utf-8"})
        _require_status(response.status, {200, 201, 204}, "save the event")

    def delete(self, uid: str) -> None:
        """Remove the event with this UID; one that is already gone is fine."""
        with Deadline(self.timeout) as deadline, translate_errors(self.guard, deadline):
            client = self._connect(deadline)
            url = self._existing_url(client, uid) or self._object_url(uid)
            response = client.delete(url)
        _require_status(response.status, {200, 204, 404, 410}, "delete the event")

    def _existing_url(self, client: caldav.DAVClient, uid: str) -> str | None:
        """Where the calendar already holds the event with `uid`, found with a calendar-query
        REPORT (RFC 4791 7.8). Usually `<uid>.ics`, which we wrote; but a mail client that
        accepted the invitation files the same UID under a name of its own, and a PUT of a
        second object with that UID is refused (Radicale 409, Xandikos 412, RFC 4791 5.3.2.1
        no-uid-conflict)."""
        self.guard.check_url(self.calendar_url)
        try:
            found = client.calendar(url=self.calendar_url).get_event_by_uid(uid)
        except dav_errors.NotFoundError:
            return None
        url = str(found.url)
        self.guard.check_url(url)  # the server names it; it must be allowed like any address
        return url

    def _connect(self, deadline: Deadline) -> caldav.DAVClient:
        self.guard.check_url(self.calendar_url)
        return connect(self.url, self.username, self.password, deadline=deadline, guard=self.guard)

    def _object_url(self, uid: str) -> str:
        return self.calendar_url.rstrip("/") + "/" + _resource_name(uid)


def _resource_name(uid: str) -> str:
    """The file name of the event in the calendar: the same for the same UID, so retries
    overwrite instead of duplicating."""
    if _PLAIN_UID.fullmatch(uid):
        return f"{uid}.ics"
    # Servers disagree on decoding "%2F" and friends in paths (Radicale turns it into a
    # sub-collection); a hash keeps any other UID inside the calendar.
    return hashlib.sha256(uid.encode("utf-8")).hexdigest() + ".ics"


def _display_name(calendar: caldav.Calendar) -> str:
    # Text from another server is cleaned as it enters, like what people type.
    name = calendar_text(str(calendar.get_display_name() or ""), single_line=True).strip()
    return name or str(calendar.url).rstrip("/").rsplit("/", 1)[-1]


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _storable(uid: str, ics: bytes) -> str:
    """The calendar object as CalDAV wants it: one UID, no iTIP METHOD (RFC 4791 4.1)."""
    try:
        calendar = icalendar.Calendar.from_ical(ics)
    except ValueError as error:
        raise ValueError(f"Not an iCalendar file: {error}") from error
    uids = {str(component.get("UID")) for component in calendar.walk("VEVENT")}
    if uids != {uid}:
        raise ValueError(f"The file must hold events with UID {uid!r} only, not {uids!r}.")
    calendar.pop("METHOD", None)
    return calendar.to_ical().decode("utf-8")


def _require_status(status: int, accepted: set[int], action: str) -> None:
    if status not in accepted:
        raise SourceError(f"The CalDAV server did not {action} (it answered {status}).")
