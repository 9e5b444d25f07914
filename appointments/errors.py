from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FreeSlot:
    """A bookable time offered as an alternative: a published slot (slot_id) or a computed one."""

    start: datetime
    end: datetime
    slot_id: int | None = None


@dataclass
class BookingError(Exception):
    """A refused booking or change. `code` names the rule; `message` is for people."""

    code: str
    message: str
    alternatives: Sequence[FreeSlot] = field(default_factory=tuple)

    def __str__(self) -> str:
        return self.message


class SlotError(ValueError):
    """A refused slot publication (overlap, start after end, in the past)."""
