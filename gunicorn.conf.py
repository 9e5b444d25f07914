"""gunicorn's settings for Slotwise (`gunicorn -c gunicorn.conf.py`, as the Procfile and
`make serve` start it). Every value can be overridden from the environment."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers, two per core plus one (gunicorn's rule of thumb: requests wait on the database
# and on SMTP-free I/O, so a core keeps about two busy). WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer than this is killed and logged: no page waits on a remote server
# (calendar reads run in the worker), so 30 s means something is wrong.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Access log on stdout, with the time taken and the request id (config/observability.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
# Addresses of the proxies whose X-Forwarded-* headers gunicorn may trust.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
