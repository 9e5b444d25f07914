"""Requests no view should see."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


class RejectNulMiddleware:
    """A NUL character in a query parameter or form field is refused (400) before any view runs:
    PostgreSQL cannot store or compare text containing one, so it would otherwise surface as a
    DataError (a 500) in whichever lookup met it first. No person types one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            if request.path.startswith("/api/"):
                from api.problems import problem_response

                return problem_response(400, "The request contains a NUL character.")
            return HttpResponseBadRequest("The request contains a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)
