"""Production: DEBUG off (SECRET_KEY then required), secure cookies, HSTS behind TLS."""

import os

os.environ.setdefault("DEBUG", "false")

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy that already redirects to HTTPS, leave SECURE_SSL_REDIRECT off; set
# SECURE_HSTS_SECONDS once the whole site is served over HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
