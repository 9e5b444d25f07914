from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from appointments.templatetags.timefmt import local_clock, local_range, local_time


@pytest.fixture
def new_york():
    with timezone.override(ZoneInfo("America/New_York")):
        yield


@pytest.fixture
def london():
    with timezone.override(ZoneInfo("Europe/London")):
        yield


def test_it_names_the_zone_of_an_unambiguous_time(london):
    assert local_time(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)) == "Tue 24 Nov 2026, 09:00 GMT"


def test_it_shows_the_offset_of_the_first_repeated_autumn_hour(new_york):
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert local_time(first) == "Sun 1 Nov 2026, 01:30 EDT (UTC-04:00)"


def test_it_shows_the_offset_of_the_second_repeated_autumn_hour(new_york):
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert local_time(second) == "Sun 1 Nov 2026, 01:30 EST (UTC-05:00)"


def test_it_leaves_the_hour_after_the_repeat_without_an_offset(new_york):
    assert local_time(datetime(2026, 11, 1, 7, 0, tzinfo=UTC)) == "Sun 1 Nov 2026, 02:00 EST"


def test_it_renders_in_the_viewer_zone_not_utc(new_york):
    assert local_clock(datetime(2026, 11, 24, 14, 0, tzinfo=UTC)) == "09:00 EST"


def test_a_range_on_one_day_names_the_zone_once(london):
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    end = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert local_range(start, end) == "Tue 24 Nov 2026, 09:00–09:30 GMT"


def test_a_range_in_the_repeated_hour_shows_both_offsets(new_york):
    start = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    end = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    assert local_range(start, end) == (
        "Sun 1 Nov 2026, 01:30 EDT (UTC-04:00) – 01:00 EST (UTC-05:00)"
    )


def test_a_range_over_midnight_gives_both_dates(london):
    start = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    end = datetime(2026, 11, 25, 0, 30, tzinfo=UTC)
    assert local_range(start, end) == "Tue 24 Nov 2026, 23:30 GMT – Wed 25 Nov 2026, 00:30 GMT"


def test_the_filters_work_in_templates(london):
    template = Template("{% load timefmt %}{{ start|local_range:end }} / {{ start|local_time }}")
    start = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    end = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    rendered = template.render(Context({"start": start, "end": end}))
    assert rendered == "Wed 1 Jul 2026, 09:00–10:00 BST / Wed 1 Jul 2026, 09:00 BST"


def test_an_empty_value_renders_nothing(london):
    assert local_time(None) == ""
