"""A busy-time source that subscribes to an iCalendar feed by URL."""

from __future__ import annotations

from datetime import datetime

from calendars.fetch import FetchError, fetch_url
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
        timeout: float = 15,
    ) -> None:
        self.url = url
        self.timeout = timeout  # for the whole download, redirects included
        self.default_tz = default_tz  # places floating and all-day times
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback

    def busy(self, window_start: datetime, window_end: datetime) -> list[Busy]:
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
            )
        except (FetchError, CalendarFileError) as error:
            raise SourceError(str(error)) from error
