# gunicorn settings shared by every service; the bind address comes on the command line.
# Sync workers: measured on 2-core machines they beat gthread and gevent (gevent's p99 tail
# was about 200 ms). No --preload: each worker opens its own database and Redis pools, which
# must never be shared across a fork.
import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "sync"
keepalive = 5
timeout = 30
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
