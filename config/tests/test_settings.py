"""Settings read from the environment, as `make run` starts the processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config.tests.processes import BASE_DIR


def site_url(**env: str) -> str:
    variables = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env}
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=variables,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8101", "SITE_URL": ""}, "http://127.0.0.1:8101"),
        ({"PORT": "", "SITE_URL": ""}, "http://127.0.0.1:8000"),
        ({"PORT": "8101", "SITE_URL": "https://book.example.com/"}, "https://book.example.com"),
    ],
)
def test_links_follow_the_port_the_server_runs_on_unless_site_url_is_set(env, expected):
    assert site_url(**env) == expected
