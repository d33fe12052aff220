"""gunicorn settings for production web workers.

    gunicorn -c python:nhs_citizen.config.gunicorn

Every value can be changed on the command line or with ``GUNICORN_CMD_ARGS``. Workers are
recycled after ``max_requests`` requests (with jitter, so they do not all restart at once), which
caps any slow growth of a worker's memory; each worker should stay under 350 MB.
"""

import os

wsgi_app = "nhs_citizen.config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes per core is plenty for sync workers whose pages take a few milliseconds.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front sets X-Forwarded-Proto; trust it only from the same machine by default.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a disk that may be slow in a container.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
