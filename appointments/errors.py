from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class BookingError(Exception):
    """A refused booking or change. `code` names the rule; `message` is for people."""

    code: str
    message: str
    alternatives: Sequence = field(default_factory=tuple)  # FreeSlots to offer instead

    def __str__(self) -> str:
        return self.message


class SlotError(ValueError):
    """A refused slot publication (overlap, start after end, in the past)."""
