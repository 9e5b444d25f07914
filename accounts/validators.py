from __future__ import annotations

import re
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError

# E.164-ish: an optional +, then 7 to 15 digits; spaces, dots, dashes and brackets are allowed as
# separators and stripped before counting.
PHONE_SEPARATORS = re.compile(r"[\s().-]")
PHONE_DIGITS = re.compile(r"^\+?[0-9]{7,15}$")


@cache
def time_zone_names() -> frozenset[str]:
    """The zones people choose from: the tz database's places (zone.tab, one or more per
    country) and UTC. Not `localtime` (the server's own zone), `Factory`, `Etc/GMT+5` (whose
    sign is inverted) or old aliases such as `US/Eastern`."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    places = {
        line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")
    }
    return frozenset((places | {"UTC"}) & available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a known time zone; choose one such as Europe/Paris.",
            params={"value": value},
            code="invalid_time_zone",
        )


def normalise_phone(value: str) -> str:
    return PHONE_SEPARATORS.sub("", value or "")


def validate_phone_number(value: str) -> None:
    if value and not PHONE_DIGITS.match(normalise_phone(value)):
        raise ValidationError(
            "Enter a phone number of 7 to 15 digits, optionally starting with +, e.g. +44 20 7946 0958.",
            code="invalid_phone",
        )
