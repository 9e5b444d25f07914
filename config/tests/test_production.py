"""The documented production start really starts: gunicorn as the Procfile's `web` line says,
with config.settings.production, serving the health check, pages with the security headers, an
access log and JSON logs carrying the request id."""

from __future__ import annotations

import json

import pytest
import requests

from config.tests.processes import (
    collectstatic,
    free_port,
    procfile,
    production_env,
    started,
    wait_for_http,
)

pytestmark = pytest.mark.django_db(transaction=True)
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy says


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = production_env(tmp_path, PORT=str(port))
    collectstatic(env)
    with started(procfile()["web"], env, tmp_path / "gunicorn.log") as process:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/healthz", process)
        yield base, process


def test_gunicorn_serves_the_site_with_the_production_settings(server):
    base, process = server

    health = requests.get(base + "/healthz", timeout=10)
    plain = requests.get(base + "/book/", timeout=10, allow_redirects=False)
    page = requests.get(base + "/book/", headers={**HTTPS, "X-Request-ID": "probe-42"}, timeout=10)
    missing = requests.get(base + "/no/such/page/", headers=HTTPS, timeout=10)

    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["pending_migrations"] == 0
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Request-ID"] == "probe-42"
    assert missing.status_code == 404
    log = process.output()
    assert '"GET /book/ HTTP/1.1" 200' in log and "request_id=probe-42" in log
    warnings = [json.loads(line) for line in log.splitlines() if line.startswith('{"time"')]
    assert any(entry["message"].startswith("Not Found: /no/such/page/") for entry in warnings)
    assert all("request_id" in entry for entry in warnings)


@pytest.mark.parametrize("proxy", [{}, {"TLS_BY_PROXY": "true"}], ids=["tls-here", "tls-by-proxy"])
def test_check_deploy_reports_nothing_with_the_production_settings(tmp_path, proxy):
    import subprocess
    import sys

    from config.tests.processes import BASE_DIR

    env = production_env(tmp_path, ALLOWED_HOSTS="slotwise.example.com", **proxy)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    # Behind a TLS-terminating proxy the HSTS and redirect checks are the proxy's (2 silenced).
    silenced = 2 if proxy else 0
    assert f"System check identified no issues ({silenced} silenced)." in result.stdout
