"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines of a .env file into the environment; real variables win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


if os.environ.get("DJANGO_SETTINGS_MODULE", "") != "config.settings.test":
    load_dotenv(BASE_DIR / ".env")
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in e-mails and calendar files. Unset, they follow the port the server listens
# on (`PORT`, which `make run` and the Procfile's web process use), so `PORT=8101 make run` links
# to :8101; behind a proxy or on a real domain, set it.
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ninja",  # before the apps: its docs page and static files come from the package, no CDN
    "accounts",
    "appointments",
    "notifications",
    "calendars",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "config.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.TimezoneMiddleware",
    # A blocked rate limit (django-ratelimit) becomes RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_count",
                "appointments.context_processors.provider_links",
            ],
        },
    }
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured(
                "DATABASE_URL must be a postgres:// URL (or unset for SQLite)."
            )
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        config["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH") or str(VAR_DIR / "db.sqlite3"),
        "OPTIONS": {
            # Every atomic block takes the write lock at BEGIN, so a booking's re-check and its insert
            # cannot interleave with another writer's; waiting writers queue on the busy timeout
            # instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: 5 wrong passwords for one username from one address lock that pair out for
# 15 minutes (the page says how long); a right password resets the count; staff unlock in the
# admin (Axes > Access attempts: delete the row). A username alone is not locked, so nobody can
# lock someone else out of their account from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before anything else
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_VERBOSE = False
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# django-ratelimit on password reset and registration (per client address), counted in the
# shared cache below. Blocked requests get `config.views.rate_limited` (429).
RATELIMIT_VIEW = "config.views.rate_limited"
RATELIMIT_KEY = "config.client_ip.ratelimit_key"
RATE_PASSWORD_RESET = os.environ.get("RATE_PASSWORD_RESET", "5/h")
RATE_REGISTER = os.environ.get("RATE_REGISTER", "10/h")
RATE_EMAIL_VERIFY = os.environ.get("RATE_EMAIL_VERIFY", "5/h")
# Booking without an account, per client address and per e-mail address given.
RATE_GUEST_BOOKING_ADDRESS = os.environ.get("RATE_GUEST_BOOKING_ADDRESS", "20/h")
RATE_GUEST_BOOKING_EMAIL = os.environ.get("RATE_GUEST_BOOKING_EMAIL", "5/h")
# The JSON API (api/): per personal access token, and per client address (anonymous or not).
API_RATE_TOKEN = os.environ.get("API_RATE_TOKEN", "600/m")
API_RATE_ADDRESS = os.environ.get("API_RATE_ADDRESS", "1200/m")

# A cache every process shares (rate limits must count across gunicorn workers and servers):
# Redis when REDIS_URL is set, else a table in the database (`migrate` creates it). The
# database cache's increments are not atomic: under a burst a limit may let one or two more
# requests through, which is fine for a rate limit (and why django_ratelimit's own check, which
# refuses it, is not installed).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "slotwise_cache",
        }
    }

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Slotwise <bookings@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
# Two queues: "default" (e-mails, reminders, the scheduler) and "calendars" (reading and writing
# external calendars), each with its own worker, so a slow calendar server never delays an e-mail.
TASK_QUEUES = ["default", "calendars"]
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": TASK_QUEUES}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    # The Redis alternative to the database queue (`pip install -e ".[rq]"`, workers:
    # `manage.py rqworker default --with-scheduler --job-class django_tasks_rq.Job` and the same
    # with `calendars`).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {queue: {"URL": REDIS_URL} for queue in TASK_QUEUES}

# Calendar integration (see calendars/): the key that encrypts CalDAV passwords at rest, and which
# address ranges a busy-time source may point at.
CALENDAR_SECRET_KEY = os.environ.get("CALENDAR_SECRET_KEY", "") or SECRET_KEY
CALENDAR_FETCH_ALLOW_LOOPBACK = env_bool("CALENDAR_FETCH_ALLOW_LOOPBACK", False)
CALENDAR_FETCH_ALLOW_PRIVATE = env_bool("CALENDAR_FETCH_ALLOW_PRIVATE", False)
CALENDAR_SYNC_MINUTES = int(os.environ.get("CALENDAR_SYNC_MINUTES", "10"))
# The total time one read of a calendar may take (every connection, header and byte of it).
CALENDAR_FETCH_SECONDS = float(os.environ.get("CALENDAR_FETCH_SECONDS", "15"))
# Jobs the notifications scheduler queues on every tick (see notifications/scheduler.py): the
# calendar sync pass syncs the sources whose interval has passed and retries due write-backs.
SCHEDULER_PERIODIC_TASKS = [
    "calendars.tasks.sync_due_sources",
    "webhooks.tasks.deliver_due",
    "appointments.confirmation.tasks.expire_requests",
]

# Every log line carries the request's id (config/observability.py); LOG_FORMAT=json (the
# production default) writes one JSON object a line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT if LOG_FORMAT in {"text", "json"} else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every log-in at INFO; lockouts and failures are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Notifications (see docs/notifications.md): how often the worker's scheduler looks for due
# reminders and e-mails, when an abandoned "sending" claim may be taken over, and the retry policy.
NOTIFY_TICK_SECONDS = float(os.environ.get("NOTIFY_TICK_SECONDS", "30"))
NOTIFY_CLAIM_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_CLAIM_TIMEOUT_SECONDS", "300"))
NOTIFY_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_BATCH_SIZE = int(os.environ.get("NOTIFY_BATCH_SIZE", "500"))
NOTIFY_SENDER_THREADS = int(os.environ.get("NOTIFY_SENDER_THREADS", "4"))

CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Content-Security-Policy (django-csp), in every environment, so development and the browser
# tests run under the policy production sends. No inline script or style anywhere: Alpine is its
# CSP build, htmx's own indicator style is switched off (base.html's htmx-config; app.css has it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The embeddable booking page (/embed/<slug>/, docs/web.md "Embedding the booking page"): the
# sites that may frame it, as CSP frame-ancestors sources separated by spaces. "*" is any http(s)
# site, as Calendly allows; "https://example.org https://*.example.org" narrows it. Every other
# page stays unframeable (frame-ancestors 'none' above, X-Frame-Options DENY).
EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*").split()
# How long an embed booking form's signed token (the CSRF cookie's stand-in in a frame) is good.
EMBED_FORM_MAX_AGE = int(os.environ.get("EMBED_FORM_MAX_AGE", str(6 * 3600)))
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Features the pages never use, switched off for them and anything they might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
