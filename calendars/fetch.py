"""Fetch a calendar by URL without letting the URL reach into our own network (SSRF).

Every hop is checked before anything is sent: the host name is resolved once, every address
it resolves to must be public (unless allowed), and the connection goes to one of exactly
those checked addresses, so a DNS answer that changes between check and connect (DNS
rebinding) cannot redirect us. Redirects are followed by hand and checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from calendars.deadline import Deadline, watched_pools

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024
_USER_AGENT = "Slotwise calendar sync"
MAX_BYTES = 5 * 1024 * 1024


class FetchError(Exception):
    """The calendar could not be fetched; the message is meant for the user."""


@dataclass(frozen=True)
class CheckedUrl:
    url: str  # as the user gave it (webcal:// rewritten)
    scheme: str
    host: str  # without brackets for IPv6
    port: int
    addresses: tuple[IPAddress, ...]  # all resolved, all allowed


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    allow_loopback: bool = False,
    timeout: float = 10,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
    ca_bundle: str | None = None,
) -> bytes:
    """The body of a 2xx answer, at most `max_bytes` long, within `timeout` seconds in total:
    every hop's connection, headers and body count against the one deadline.

    `ca_bundle`: a file of CA certificates to trust instead of the usual ones, for servers
    with a private certificate authority (and for tests).
    """
    with Deadline(timeout) as deadline:
        for _hop in range(max_redirects + 1):
            target = check_url(url, allow_private=allow_private, allow_loopback=allow_loopback)
            response = _get_pinned(target, deadline=deadline, verify=ca_bundle or True)
            with response:
                if response.status_code not in _REDIRECTS:
                    _require_success(response)
                    return read_body(response, max_bytes=max_bytes, deadline=deadline)
                url = _redirect_location(url, response)
    raise FetchError(f"The server redirected more than {max_redirects} times.")


def too_slow(deadline: Deadline) -> FetchError:
    return FetchError(f"The server did not answer within {deadline.seconds:g} seconds.")


def too_large(max_bytes: int) -> FetchError:
    return FetchError(f"The calendar is larger than {_megabytes(max_bytes)}.")


def check_url(url: str, *, allow_private: bool = False, allow_loopback: bool = False) -> CheckedUrl:
    """Parse and resolve `url`; raise FetchError unless every address it names is allowed."""
    url = _rewrite_webcal(url.strip())
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError("Only http://, https:// and webcal:// addresses are supported.")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:  # e.g. a port that is not a number
        raise FetchError("That is not a valid web address.") from error
    if not host:
        raise FetchError("That is not a valid web address.")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port)
    for address in addresses:
        ensure_allowed(address, allow_private=allow_private, allow_loopback=allow_loopback)
    return CheckedUrl(url, parts.scheme, host, port, addresses)


def _rewrite_webcal(url: str) -> str:
    # webcal:// is a hint to open a calendar app; the transport is HTTP(S). Subscribing
    # apps use TLS for it today, so we do too.
    lowered = url.lower()
    for prefix in ("webcal://", "webcals://"):
        if lowered.startswith(prefix):
            return "https://" + url[len(prefix) :]
    return url


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The server name {host} could not be found.") from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"), which ipaddress rejects.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return tuple(addresses)


def ensure_allowed(address: IPAddress, *, allow_private: bool, allow_loopback: bool) -> None:
    """Raise FetchError unless we may connect to `address`."""
    # "::ffff:10.0.0.1" reaches 10.0.0.1; judge the IPv4 address inside.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # is_global alone lets multicast through (224.0.0.0/4 counts as global).
    if allow_private or (address.is_global and not address.is_multicast):
        return
    if address.is_loopback:
        if allow_loopback:
            return
        kind = "this server itself"
    elif address.is_link_local:
        kind = "a link-local address"
    elif address.is_multicast:
        kind = "a multicast address"
    elif address.is_unspecified:
        kind = "an unspecified address"
    elif address.is_private:
        kind = "a private network"
    else:
        kind = "a reserved address"
    raise FetchError(f"The address points to {kind} ({address}), which is not allowed.")


class _PinnedHostAdapter(HTTPAdapter):
    """Connects to a checked IP address, while TLS still checks the certificate of the host name."""

    def __init__(self, host: str, deadline: Deadline) -> None:
        self._host = host
        self._deadline = deadline
        super().__init__(max_retries=0)  # calls init_poolmanager

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        manager = self.poolmanager
        manager.pool_classes_by_scheme = watched_pools(
            self._deadline, manager.pool_classes_by_scheme
        )

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self._host  # SNI
            pool_kwargs["assert_hostname"] = self._host  # certificate check
        return host_params, pool_kwargs


def post_url(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    allow_private: bool = False,
    allow_loopback: bool = False,
    timeout: float = 10,
) -> int:
    """POST `body` to `url` under the same checks as a calendar read (every address public
    unless allowed, the connection pinned to a checked address, one deadline for all of it);
    a redirect is not followed. Returns the status; the response body is not read."""
    with Deadline(timeout) as deadline:
        target = check_url(url, allow_private=allow_private, allow_loopback=allow_loopback)
        request = {"method": "POST", "data": body, "headers": headers}
        with _get_pinned(target, deadline=deadline, verify=True, request=request) as response:
            return response.status_code


def _get_pinned(
    target: CheckedUrl, *, deadline: Deadline, verify: bool | str, request: dict | None = None
) -> requests.Response:
    """GET the URL (or send `request`) from the first checked address that accepts a connection."""
    failure: requests.RequestException | None = None
    for address in target.addresses:
        if deadline.expired:
            raise too_slow(deadline)
        try:
            return _get_from(target, address, deadline=deadline, verify=verify, **(request or {}))
        except requests.exceptions.SSLError as error:
            if deadline.expired:
                raise too_slow(deadline) from error
            raise FetchError(
                f"The secure connection to {target.host} failed: its certificate is not valid."
            ) from error
        except requests.Timeout as error:
            raise too_slow(deadline) from error
        except requests.ConnectionError as error:
            if deadline.expired:
                raise too_slow(deadline) from error
            failure = error  # try the host's next address, as browsers do
    raise FetchError(f"Could not connect to {target.host}.") from failure


def _get_from(
    target: CheckedUrl,
    address: IPAddress,
    *,
    deadline: Deadline,
    verify: bool | str,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    parts = urlsplit(target.url)
    session = requests.Session()
    # No environment proxies or .netrc: a proxy would make its own DNS lookup, undoing the pin.
    session.trust_env = False
    session.mount(f"{target.scheme}://", _PinnedHostAdapter(target.host, deadline))
    return session.request(
        method,
        _pinned_url(target, address),
        data=data,
        headers={
            "Host": _host_header(target),
            "User-Agent": _USER_AGENT,
            "Accept": "text/calendar, */*;q=0.5",
            **(headers or {}),
        },
        # Credentials come from this hop's URL only, so a redirect never carries them along.
        auth=(unquote(parts.username), unquote(parts.password or "")) if parts.username else None,
        # Each socket operation may take what is left; the deadline's timer ends a trickle.
        timeout=deadline.remaining(),
        verify=verify,
        allow_redirects=False,
        stream=True,
    )


def _pinned_url(target: CheckedUrl, address: IPAddress) -> str:
    parts = urlsplit(target.url)
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{literal}:{target.port}"
    return urlunsplit((target.scheme, netloc, parts.path or "/", parts.query, ""))


def _host_header(target: CheckedUrl) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host  # IPv6 literal
    default_port = 443 if target.scheme == "https" else 80
    return host if target.port == default_port else f"{host}:{target.port}"


def _require_success(response: requests.Response) -> None:
    if 200 <= response.status_code < 300:
        return
    raise FetchError(f"The server answered {_status_text(response)}.")


def _status_text(response: requests.Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason or ""
    return f"{response.status_code} {phrase}".strip()


def _redirect_location(url: str, response: requests.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise FetchError(f"The server answered {_status_text(response)} without a new address.")
    return urljoin(url, location)


def read_body(response: Any, *, max_bytes: int, deadline: Deadline) -> bytes:
    """The body, read chunk by chunk: refused as soon as it passes `max_bytes` or the deadline.
    Shared with the CalDAV client (niquests' responses read the same way)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    body = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=_CHUNK_BYTES):
            body += chunk
            if len(body) > max_bytes:
                raise too_large(max_bytes)
            if deadline.expired:
                raise too_slow(deadline)
    except FetchError:
        raise
    except Exception as error:  # requests' or niquests' errors: the connection broke or was cut
        if deadline.expired:
            raise too_slow(deadline) from error
        raise FetchError("The connection broke while the calendar was being downloaded.") from error
    return bytes(body)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
