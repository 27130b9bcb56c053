"""gunicorn settings for Diaodu: ``gunicorn -c deploy/gunicorn.conf.py diaodu.wsgi``.
Every value can be overridden on the command line or with GUNICORN_CMD_ARGS."""

import multiprocessing
import os

# nginx on the same host connects here; in a multi-host layout, bind the host's private
# address instead and let the load balancer reach it.
bind = os.environ.get("DIAODU_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one database connection; 2 per core plus one is
# gunicorn's own advice and keeps PostgreSQL's connection count predictable.
workers = int(os.environ.get("DIAODU_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Importing or exporting a large ledger takes seconds, not minutes.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows large.
max_requests = 2000
max_requests_jitter = 200
# Only nginx (on this host) may say that the client used HTTPS.
forwarded_allow_ips = os.environ.get("DIAODU_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
