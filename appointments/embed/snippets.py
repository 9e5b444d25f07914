"""The HTML an event type's owner pastes on their own site to show its booking page there."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape


def embed_snippets(request, calendar) -> list[tuple[str, str, str]]:
    """(kind, label, HTML) of the inline and the pop-up snippet of `calendar`, with this site's
    absolute addresses."""
    script = request.build_absolute_uri(static("js/embed.js"))
    page = request.build_absolute_uri(reverse("embed_calendar", args=[calendar.slug]))
    loader = f'<script src="{script}" async></script>'
    button = (
        f'<button type="button" data-slotwise-popup="{page}">Book {escape(calendar.name)}</button>'
    )
    return [
        ("inline", "Inline", f'{loader}\n<div data-slotwise-embed="{page}"></div>'),
        ("popup", "Pop-up button", f"{loader}\n{button}"),
    ]
