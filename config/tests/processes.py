"""The production processes, started as the Procfile says, against the test database: gunicorn
(web) and the workers. Shared by the production test and the scale-out test."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def procfile() -> dict[str, str]:
    lines = (BASE_DIR / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_env() -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = db["PORT"] or 5432
    return {"DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{port}/{db['NAME']}"}


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        **database_env(),
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "production-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(var_dir),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "WEB_CONCURRENCY": "2",
        **extra,
    }
    env.pop("REDIS_URL", None)  # the database cache: nothing shared with other test runs
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    return env


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


class Process:
    def __init__(self, command: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("wb")
        self.popen = subprocess.Popen(
            shlex.split(command), cwd=BASE_DIR, env=env, stdout=self._file, stderr=self._file
        )

    def output(self) -> str:
        self._file.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._file.close()


@contextlib.contextmanager
def started(command: str, env: dict[str, str], log: Path) -> Iterator[Process]:
    process = Process(command, env, log)
    try:
        yield process
    finally:
        process.stop()


def wait_for_http(url: str, process: Process, timeout: float = 30) -> None:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if process.popen.poll() is not None:
            raise RuntimeError(f"exited early:\n{process.output()}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            requests.get(url, timeout=5)
            return
        time.sleep(0.2)
    raise RuntimeError(f"no answer within {timeout} s:\n{process.output()}")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(session: requests.Session, base: str, username: str, password: str) -> None:
    """Sign in through the real log-in form, as a browser does (CSRF cookie and token)."""
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = CSRF.search(page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"log-in of {username} refused: {answer.text[:500]}")
