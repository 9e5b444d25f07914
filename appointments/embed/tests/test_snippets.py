"""The embed snippets on the event type's edit page: what its owner pastes on their own site."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_edit_page_offers_the_inline_and_the_popup_snippet(client, provider, make_calendar):
    calendar = make_calendar(provider, name="Tea & <talk>", slug="tea")
    client.force_login(provider)

    response = client.get(reverse("event_type_edit", args=[calendar.pk]))

    assert "Embed on your site" in response.text
    codes = [
        html.unescape(code)
        for code in re.findall(r"<textarea id=\"embed-[^>]*>(.*?)</textarea>", response.text, re.S)
    ]
    script = '<script src="http://testserver/static/js/embed.js" async></script>'
    assert codes == [
        f'{script}\n<div data-slotwise-embed="http://testserver/embed/tea/"></div>',
        f'{script}\n<button type="button" data-slotwise-popup="http://testserver/embed/tea/">'
        "Book Tea &amp; &lt;talk&gt;</button>",
    ]
    assert client.get("/embed/tea/").status_code == 200


def test_another_person_sees_no_snippet_of_the_event_type(client, calendar, other_user):
    client.force_login(other_user)

    response = client.get(reverse("event_type_edit", args=[calendar.pk]))

    assert response.status_code == 404


def test_a_team_event_type_edit_page_offers_the_snippets_too(client, owner, team, round_robin):
    client.force_login(owner)

    response = client.get(reverse("team_event_type_edit", args=[team.slug, round_robin.slug]))

    assert "Embed on your site" in response.text
    embed = f"http://testserver/embed/{round_robin.slug}/"
    assert f'data-slotwise-embed="{embed}"' in html.unescape(response.text)
