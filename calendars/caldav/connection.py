"""A caldav client that may only talk to allowed addresses, and errors in the user's words."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import caldav
from caldav.lib import error as dav_errors
from caldav.lib.http_sync import requests as dav_http  # niquests (or requests), as caldav uses

from calendars.deadline import Deadline, watched_pools
from calendars.fetch import MAX_BYTES, FetchError, check_url, ensure_allowed, read_body
from calendars.sources import SourceError

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "The CalDAV server refused the username or password."
NOT_CALDAV = (
    "The server's answer is not what a CalDAV server sends: check the address (an ICS address"
    " belongs under “Add an ICS address”)."
)
logger = logging.getLogger(__name__)


class AddressGuard:
    """Checks every connection caldav opens, on the address it actually connected to.

    caldav makes its own DNS lookups, so we cannot pin an address as fetch.py does.
    Checking the connected socket's address before anything is sent (niquests' pre_send
    hook) defeats DNS rebinding for the first request of each call. Redirects are checked
    on their Location before they are followed; the request that follows a redirect is
    only checked once its answer arrives (niquests fires pre_send once per call), which
    leaves a redirect to a host that rebinds between our check and caldav's connection.
    """

    def __init__(self, *, allow_private: bool, allow_loopback: bool) -> None:
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback
        # caldav sometimes swallows errors while discovering; remember why we refused.
        self.refusal: FetchError | None = None

    def install(self, client: caldav.DAVClient) -> None:
        # caldav requires niquests; plain requests has no pre_send hook and no conn_info.
        if "pre_send" not in client.session.hooks:
            raise RuntimeError("The CalDAV address checks need niquests, which caldav uses.")
        client.session.hooks["pre_send"].append(self.check_connection)
        client.session.hooks["response"].append(self.check_response)

    def check_connection(self, request: Any, **_: Any) -> None:
        conn_info = getattr(request, "conn_info", None)
        if getattr(conn_info, "destination_address", None) is None:
            # Fail closed: an address we cannot see is an address we cannot allow.
            with self._remembering_refusal():
                raise FetchError("Could not check which address the CalDAV server is at.")
        self._check_peer(conn_info)

    def check_response(self, response: Any, **_: Any) -> None:
        self._check_peer(getattr(response, "conn_info", None))
        location = response.headers.get("Location")
        if response.is_redirect and location:
            self.check_url(urljoin(response.url, location))

    def check_url(self, url: str) -> None:
        with self._remembering_refusal():
            check_url(url, allow_private=self.allow_private, allow_loopback=self.allow_loopback)

    def _check_peer(self, conn_info: Any) -> None:
        destination = getattr(conn_info, "destination_address", None)
        if not destination:
            return
        address = ipaddress.ip_address(str(destination[0]).split("%")[0])
        with self._remembering_refusal():
            ensure_allowed(
                address, allow_private=self.allow_private, allow_loopback=self.allow_loopback
            )

    @contextlib.contextmanager
    def _remembering_refusal(self) -> Iterator[None]:
        try:
            yield
        except FetchError as error:
            self.refusal = error
            raise


class LimitedAdapter(dav_http.adapters.HTTPAdapter):
    """niquests' adapter with the limits of fetch.py: every answer is read in chunks and refused
    past MAX_BYTES, and every connection is cut when the call's deadline passes."""

    def __init__(self, deadline: Deadline, guard: AddressGuard, max_bytes: int) -> None:
        self._deadline, self._guard, self._max_bytes = deadline, guard, max_bytes
        super().__init__(max_retries=0)  # calls init_poolmanager

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        manager = self.poolmanager
        manager.pool_classes_by_scheme = watched_pools(
            self._deadline, manager.pool_classes_by_scheme
        )

    def send(self, request: Any, stream: bool = False, **kwargs: Any) -> Any:
        kwargs["timeout"] = self._deadline.remaining() or 0.001
        response = super().send(request, stream=True, **kwargs)
        if stream:
            return response
        try:
            body = read_body(response, max_bytes=self._max_bytes, deadline=self._deadline)
        except FetchError as error:
            response.close()
            self._guard.refusal = error  # caldav swallows some errors; this one ends the call
            raise
        response._content, response._content_consumed = body, True
        return response


def connect(
    url: str,
    username: str,
    password: str,
    *,
    deadline: Deadline,
    guard: AddressGuard,
    max_bytes: int = MAX_BYTES,
) -> caldav.DAVClient:
    with translate_errors(guard, deadline):
        guard.check_url(url)
        # No RFC 6764 discovery: it would look up other hosts than the one the user gave.
        client = caldav.DAVClient(
            url=url,
            username=username,
            password=password,
            timeout=deadline.seconds,
            enable_rfc6764=False,
        )
    guard.install(client)
    adapter = LimitedAdapter(deadline, guard, max_bytes)
    client.session.mount("http://", adapter)
    client.session.mount("https://", adapter)
    return client


@contextlib.contextmanager
def translate_errors(guard: AddressGuard, deadline: Deadline | None = None) -> Iterator[None]:
    """Turn whatever caldav and its HTTP library raise into a SourceError with plain words."""
    guard.refusal = None
    try:
        yield
    except SourceError:
        raise  # already in plain words
    except Exception as error:
        if guard.refusal is not None:
            raise SourceError(str(guard.refusal)) from error
        if deadline is not None and deadline.expired:
            raise SourceError(
                f"The CalDAV server did not answer within {deadline.seconds:g} seconds."
            ) from error
        message = _plain_words(error)
        if message is None:
            # caldav trips over answers that are not WebDAV (an ICS file, a web page): the
            # address is wrong, not our code. Keep the details in the log.
            logger.warning("Unexpected CalDAV failure", exc_info=True)
            message = NOT_CALDAV
        raise SourceError(message) from error
    # caldav falls back quietly when some requests fail; a refused one still ends the call,
    # since the server tried to send us where we must not go.
    if guard.refusal is not None:
        raise SourceError(str(guard.refusal))


def _plain_words(error: Exception) -> str | None:
    if isinstance(error, FetchError):
        return str(error)
    if isinstance(error, dav_errors.AuthorizationError):
        if getattr(error, "status", None) == 403:
            return "The CalDAV server does not allow this account to do that."
        return WRONG_CREDENTIALS
    if isinstance(error, dav_errors.NotFoundError):
        return "The calendar was not found on the CalDAV server."
    if isinstance(error, dav_errors.DAVError):
        # Its text is the library's (class, address, raw reason): for the log, not the page.
        logger.info("CalDAV error: %s", error)
        return "The CalDAV server answered with an error; try again later, or check the address."
    if isinstance(error, dav_http.exceptions.Timeout):
        return "The CalDAV server did not answer in time."
    if isinstance(error, dav_http.exceptions.RequestException):
        return "Could not connect to the CalDAV server."
    return None
