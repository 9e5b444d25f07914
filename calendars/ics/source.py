"""A busy-time source that subscribes to an iCalendar feed by URL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from calendars.fetch import FetchError, fetch_url
from calendars.ics.expand import ExpansionBudget
from calendars.ics.parse import CalendarFileError, busy_from_ics
from calendars.sources import Busy, SourceError


class IcsSource:
    def __init__(
        self,
        url: str,
        *,
        default_tz: str,
        allow_private: bool = False,
        allow_loopback: bool = False,
        ignore_uids: Collection[str] = frozenset(),
        timeout: float = 15,
    ) -> None:
        self.url = url
        self.timeout = timeout  # for the whole download, redirects included
        self.budget = ExpansionBudget()
        self.default_tz = default_tz  # places floating and all-day times
        self.ignore_uids = frozenset(ignore_uids)  # our own bookings, if written back here
        self.notes: list[str] = []  # what the last read skipped or repaired
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback

    @property
    def warning(self) -> str:
        """Why the last read counted part of the window as busy without reading it, if it did."""
        return self.budget.warning

    def busy(self, window_start: datetime, window_end: datetime) -> list[Busy]:
        self.notes = []
        self.budget = ExpansionBudget()
        try:
            data = fetch_url(
                self.url,
                allow_private=self.allow_private,
                allow_loopback=self.allow_loopback,
                timeout=self.timeout,
            )
            return busy_from_ics(
                data,
                window_start=window_start,
                window_end=window_end,
                default_tz=self.default_tz,
                ignore_uids=self.ignore_uids,
                notes=self.notes,
                budget=self.budget,
            )
        except (FetchError, CalendarFileError) as error:
            raise SourceError(str(error)) from error
