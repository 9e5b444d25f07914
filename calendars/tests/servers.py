"""Real servers for tests: Radicale and Xandikos (CalDAV) in subprocesses, a tiny HTTP server
in a thread.

Plain functions and context managers, so other test packages (notifications, e2e) can reuse
them from their own fixtures without importing this package's conftest.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port that is free right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


# --- Radicale ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadicaleServer:
    url: str  # e.g. "http://127.0.0.1:5232/"
    username: str
    password: str
    storage: Path
    log: Path


def radicale_command(port: int, storage: Path, htpasswd: Path) -> list[str]:
    # `--config ""` ignores any system configuration; Radicale's default is `denyall`.
    return [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"{LOOPBACK}:{port}",
        "--storage-filesystem-folder",
        str(storage),
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(htpasswd),
        "--auth-htpasswd-encryption",
        "plain",
        # Radicale sleeps after a failed login by default; tests of wrong passwords need not.
        "--auth-delay",
        "0",
        "--rights-type",
        "owner_only",
        "--logging-level",
        "warning",
    ]


@contextlib.contextmanager
def run_radicale(
    workdir: Path, *, username: str = "alice", password: str = "wonderland"
) -> Iterator[RadicaleServer]:
    """Start Radicale on a free loopback port, wait until it answers, stop it afterwards."""
    storage = workdir / "collections"
    htpasswd = workdir / "users"
    htpasswd.write_text(f"{username}:{password}\n")
    port = free_port()
    log = workdir / "radicale.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            radicale_command(port, storage, htpasswd), stdout=log_file, stderr=log_file
        )
        try:
            url = f"http://{LOOPBACK}:{port}/"
            _wait_until_answering(url, process, log)
            yield RadicaleServer(url, username, password, storage, log)
        finally:
            _stop(process)  # Radicale takes 1-2 s to stop on SIGTERM


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server exited early:\n{log.read_text()}")
        with contextlib.suppress(requests.ConnectionError):
            requests.get(url, timeout=1)
            return
        time.sleep(0.1)
    raise RuntimeError(f"The server did not answer within 20 s:\n{log.read_text()}")


# --- Xandikos ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class XandikosServer:
    url: str  # e.g. "http://127.0.0.1:8080/"
    log: Path


@contextlib.contextmanager
def run_xandikos(workdir: Path) -> Iterator[XandikosServer]:
    """Start Xandikos, a second CalDAV server (stricter than Radicale about what it stores),
    with its default principal (/user/), on a free loopback port; stop it afterwards. It has no log-in of
    its own (it leaves that to a proxy), so any username and password get in."""
    port = free_port()
    log = workdir / "xandikos.log"
    command = [
        sys.executable,
        "-m",
        "xandikos",
        "serve",
        "--directory",
        str(workdir / "dav"),
        "--state-dir",
        str(workdir / "state"),
        "--defaults",
        "--no-detect-systemd",
        "--listen-address",
        LOOPBACK,
        "--port",
        str(port),
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=log_file)
        try:
            url = f"http://{LOOPBACK}:{port}/"
            _wait_until_answering(url, process, log)
            yield XandikosServer(url, log)
        finally:
            _stop(process)


# --- a small HTTP server ----------------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0  # seconds to wait before answering


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]


class HttpServer:
    """Serves fixed routes (any method) from a thread; records the requests it received."""

    def __init__(self, host: str = LOOPBACK, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.received: list[ReceivedRequest] = []
        self._server = http.server.ThreadingHTTPServer((host, 0), _handler_for(self))
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.base_url = f"{'https' if tls else 'http'}://{host}:{self.port}"

    @property
    def requested(self) -> list[str]:
        return [request.path for request in self.received]

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def serve(self, path: str, body: bytes, content_type: str = "text/calendar") -> str:
        return self.add(path, Route(body=body, headers={"Content-Type": content_type}))

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add(path, Route(status=status, headers={"Location": location}))

    def start(self) -> None:
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler_for(server: HttpServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        # HTTP/1.0: the connection closes after each answer, so a body without
        # Content-Length simply ends when the server closes the socket.
        protocol_version = "HTTP/1.0"

        def handle_one_request(self) -> None:
            # Answer every method (GET, PROPFIND, REPORT, PUT, ...) the same way.
            with contextlib.suppress(ssl.SSLError, ConnectionResetError):
                super().handle_one_request()

        def __getattr__(self, name: str) -> Callable[[], None]:
            if name.startswith("do_"):
                return self._answer
            raise AttributeError(name)

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)  # an unread request body would reset the connection
            server.received.append(ReceivedRequest(self.command, self.path, dict(self.headers)))
            route = server.routes.get(self.path, Route(status=404, body=b"not here"))
            time.sleep(route.delay)
            self._send(route)

        def _send(self, route: Route) -> None:
            self.send_response(route.status)
            headers = dict(route.headers)
            if isinstance(route.body, bytes):
                headers.setdefault("Content-Length", str(len(route.body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            chunks = [route.body] if isinstance(route.body, bytes) else route.body()
            # The client under test hangs up on purpose once it has read enough.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
                for chunk in chunks:
                    self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@contextlib.contextmanager
def run_http_server(
    host: str = LOOPBACK, tls: ssl.SSLContext | None = None
) -> Iterator[HttpServer]:
    server = HttpServer(host, tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- TLS ----------------------------------------------------------------------------------------


def self_signed_certificate(workdir: Path, host_name: str) -> tuple[Path, Path]:
    """A certificate for `host_name` and its key, as PEM files; the certificate is its own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path = workdir / f"{host_name}.crt"
    key_path = workdir / f"{host_name}.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


def server_tls_context(certificate: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return context


# --- a server that answers too slowly, a byte at a time ----------------------------------------


@dataclass
class TrickleServer:
    """Answers every request with `head` at once, then `trickle` one byte every `every` seconds,
    for at most `limit` seconds. `hung_up` tells whether the client left before the end."""

    head: bytes
    trickle: bytes
    every: float = 0.2
    limit: float = 30.0
    port: int = 0
    connections: int = 0
    hung_up: int = 0
    _sock: socket.socket | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/"

    def start(self) -> None:
        self._sock = socket.create_server((LOOPBACK, 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            self._sock.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(client,), daemon=True).start()

    def _answer(self, client: socket.socket) -> None:
        with client:
            client.settimeout(5)
            request = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in request:
                    chunk = client.recv(65536)
                    if not chunk:
                        return
                    request += chunk
            ends = time.monotonic() + self.limit
            try:
                client.sendall(self.head)
                for index in range(len(self.trickle)):
                    if self._stopping.is_set() or time.monotonic() > ends:
                        return
                    client.sendall(self.trickle[index : index + 1])
                    time.sleep(self.every)
            except OSError:
                self.hung_up += 1


@contextlib.contextmanager
def run_trickle_server(head: bytes, trickle: bytes, **options: float) -> Iterator[TrickleServer]:
    server = TrickleServer(head, trickle, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def slow_headers(count: int = 400) -> tuple[bytes, bytes]:
    """A status line at once, then headers that never end (each byte well within any timeout)."""
    return b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"z" * count


def slow_body(status: str, content_type: str, body: bytes) -> tuple[bytes, bytes]:
    """Complete headers at once, then the body a byte at a time."""
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head, body
