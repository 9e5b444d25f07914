"""The API's JSON parser: text the database cannot hold (a NUL character, which PostgreSQL
refuses, or a lone surrogate, which is not UTF-8) is refused as a 400, like a NUL in a form
field is refused by config.middleware.RejectNulMiddleware."""

from __future__ import annotations

import json

from ninja.parser import Parser


def _storable(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    return True


class StorableJsonParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if not _storable(data):
            raise ValueError("The body contains a NUL character or text that is not UTF-8.")
        return data
