"""The subscription feed (public, by secret token) and the page that manages its address."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from calendars import feed

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _head_without_body(view):
    """HEAD gets GET's answer without its body, but with GET's Content-Length (RFC 9110 9.3.2
    allows no other); calendar apps send HEAD to see whether the feed changed."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return answer


@require_http_methods(["GET", "HEAD"])
@_head_without_body
@gzip_page  # when the app asks (Accept-Encoding); a feed of thousands of events is megabytes
def feed_ics(request, token: str):
    """Anyone with the address can read it (calendar apps cannot log in); a wrong or revoked
    token is a 404, as if the address never existed."""
    user = feed.feed_user(token)
    if user is None:
        raise Http404("No such feed.")
    now = timezone.now()
    version = feed.feed_version(user, now=now)
    # HTTP dates have whole seconds: compare those, or a stored time with microseconds would
    # always look newer than the If-Modified-Since the app sends back.
    modified = int(version.last_modified.timestamp()) if version.last_modified else None
    unchanged = get_conditional_response(request, etag=version.etag, last_modified=modified)
    if unchanged is None:
        response = HttpResponse(feed.feed_ics(user, now=now), content_type=CONTENT_TYPE)
    else:
        response = unchanged  # 304: the app's copy is current
    response["ETag"] = version.etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, private=True, max_age=300)
    return response


def feed_links(request, token: str | None) -> dict[str, str]:
    if token is None:
        return {}
    url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@login_required
@require_GET
def feed_page(request):
    return render(request, "calendars/feed.html")


def _back_url(request) -> str:
    """Where to go after the change: `next` if it is a path on this site, else the feed page.
    Worked out before acting, so a `next` that cannot be followed never fails after the change."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe and target.startswith("/") else reverse("calendar_feed_page")


@login_required
@require_POST
def feed_regenerate(request):
    back = _back_url(request)
    feed.feed_token_regenerate(user=request.user)
    messages.success(request, "Your calendar address is new; the previous one no longer works.")
    return HttpResponseRedirect(back)


@login_required
@require_POST
def feed_revoke(request):
    back = _back_url(request)
    feed.feed_token_revoke(user=request.user)
    messages.success(request, "Your calendar address is switched off.")
    return HttpResponseRedirect(back)
