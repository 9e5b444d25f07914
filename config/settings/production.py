"""Production: DEBUG off (SECRET_KEY then required), HTTPS enforced (redirect, HSTS for a year,
secure cookies), JSON logs. `manage.py check --deploy` reports nothing with these defaults.

Behind a proxy that terminates TLS and itself redirects to HTTPS and sends HSTS, say so with
TLS_BY_PROXY=true: Django then does neither (the proxy does), and the two checks that would
warn about it are silenced, since the proxy covers them. SECURE_SSL_REDIRECT and
SECURE_HSTS_SECONDS can also be set one by one."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_FORMAT", "json")

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

TLS_BY_PROXY = env_bool("TLS_BY_PROXY", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TLS_BY_PROXY)
# Load balancers probe over plain HTTP: the health check answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if TLS_BY_PROXY else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
if TLS_BY_PROXY:
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]
