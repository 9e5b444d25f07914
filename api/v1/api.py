"""The versioned API at /api/v1/: OpenAPI document at openapi.json, interactive docs at docs
(Swagger UI served from the installed django-ninja, no CDN)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from api import problems
from api.auth import throttles
from api.parser import StorableJsonParser
from api.problems import CONTENT_TYPE
from api.v1 import bookings, event_types, me, schedules, teams

DESCRIPTION = """\
Slotwise's JSON API. Authenticate with a personal access token (Profile › API tokens, or
`manage.py api_token_create <username>`): `Authorization: Bearer <token>`. Public event types
and their free times can be read without one. Errors are RFC 9457 problem details
(`application/problem+json`); a refused booking names its rule in `code` and offers the
nearest free times in `alternatives`. Times are RFC 3339 with an offset."""


class SlotwiseAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data, **kwargs) -> HttpResponse:
        response = super().create_response(request, data, **kwargs)
        if response.status_code >= 400:
            response["Content-Type"] = CONTENT_TYPE
        return response

    def get_openapi_schema(self, *args, **kwargs):
        """Problem responses are `application/problem+json`, as they are sent; every operation
        may be rate limited (429), and one with a body refuses a body that is not JSON (400)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                responses.setdefault("429", problem_response("Too many requests (see Retry-After)"))
                # A body that is not JSON, or a NUL character (config.middleware) anywhere.
                responses.setdefault("400", problem_response("The request cannot be read"))
                responses.setdefault("422", problem_response("A parameter is not valid"))
                for code, response in responses.items():
                    if int(code) >= 400 and "application/json" in response.get("content", {}):
                        response["content"] = {
                            CONTENT_TYPE: response["content"]["application/json"]
                        }
        return schema


def problem_response(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {CONTENT_TYPE: {"schema": schema}}}


def docs_decorator(view):
    # Swagger UI sets inline styles on its elements; its scripts are the package's own files.
    return csp_update({"style-src": ["'unsafe-inline'"]})(view)


api = SlotwiseAPI(
    title="Slotwise API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    throttle=throttles,
    docs_decorator=docs_decorator,
    parser=StorableJsonParser(),
)
problems.install(api)
api.add_router("", me.router)
api.add_router("", event_types.router)
api.add_router("", schedules.router)
api.add_router("", bookings.router)
api.add_router("", teams.router)
