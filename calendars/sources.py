"""Where busy time comes from: one small interface that ICS feeds and CalDAV accounts share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

Busy = tuple[datetime, datetime]


@dataclass(frozen=True)
class RemoteCalendar:
    """A calendar in a remote account, offered to the user to choose which ones count."""

    url: str
    name: str


class BusySource(Protocol):
    # After busy(): what the read skipped or repaired, in plain words for the provider.
    notes: list[str]

    def busy(self, window_start: datetime, window_end: datetime) -> list[Busy]:
        """Aware UTC intervals, sorted, of everything that overlaps the window."""
        ...


class SourceError(Exception):
    """A calendar could not be read or written; the message is meant for the user."""
