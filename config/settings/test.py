"""Tests: fast hashing, plain static storage (the manifest one 404s under live_server)."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES, TASK_QUEUES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The worker tests start `manage.py db_worker` as a subprocess with these settings and point it at
# the test database, the database task backend and a test SMTP server through the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}
CALENDAR_FETCH_ALLOW_LOOPBACK = True
WHITENOISE_AUTOREFRESH = True
# Rate-limit counters must not leak between tests (nor between runs through a shared Redis).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
