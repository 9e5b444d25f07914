from __future__ import annotations

from django import template

from api.tokens import user_tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def api_tokens(context) -> list:
    """The viewer's tokens, for the profile page's panel."""
    return list(user_tokens(context["request"].user))
