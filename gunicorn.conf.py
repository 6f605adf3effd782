"""Production settings for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
# The portal sizes each worker's database pool from PORTAL_THREADS too (portal/config.py):
# workers x (threads + 2) connections at most must stay below PostgreSQL's max_connections.
threads = int(os.environ.get("PORTAL_THREADS", "1"))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# The master loads the app once and forks ready workers: a worker that dies (or is recycled)
# is replaced in milliseconds, and a restarted master serves again after one app import
# instead of one per worker (make faults: 4 s instead of 11 s on a busy two-core machine).
# Nothing may connect to the database at import time, or the workers would share it.
# A new release needs a restart (systemctl restart), not a HUP.
preload_app = True
max_requests = 5000  # recycle workers now and then: no slow leak lives forever
max_requests_jitter = 500
# The path only, never the query string: search terms can hold names.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
