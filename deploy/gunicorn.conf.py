# gunicorn settings shared by every service; the bind address comes on the command line, and so
# does the worker class of the services behind the gateway (deploy/processes.py: threaded
# workers that keep the gateway's connections alive). Sync workers for the gateway: measured on
# 2-core machines they beat gthread and gevent for clients that do not reuse connections
# (gevent's p99 tail was about 200 ms). No --preload: each worker opens its own database and
# Redis pools, which must never be shared across a fork.
from services.settings import Settings

_settings = Settings.from_env()

workers = _settings.web_workers
worker_class = "sync"
# Longer than any pause in the gateway's traffic, so that a pooled connection is rarely closed
# by the service at the moment the gateway reuses it (the gateway checks before reuse).
keepalive = 75
timeout = 30
# The longest request line gunicorn takes (its default is 4094). Past it gunicorn answers 414
# itself, in HTML: raised to the maximum so that long but valid queries reach the JSON API.
limit_request_line = 8190
graceful_timeout = 10
accesslog = None
# gunicorn believes X-Forwarded-Proto from loopback by default, so any local client could claim
# https. The gateway alone decides whom to believe (TRUSTED_PROXIES, gateway/__init__.py).
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""
errorlog = "-"
loglevel = _settings.log_level


# Metrics in multiprocess mode (services/common/metrics.py): prometheus_client picks the mode
# when first imported, so it is imported in these hooks only, never at the top: gunicorn has set
# PROMETHEUS_MULTIPROC_DIR (--env, deploy/processes.py) by the time they run, and the workers
# forked afterwards inherit the right mode.
def on_starting(server):  # type: ignore[no-untyped-def]
    """Before any worker: empty the group's directory of an earlier run's samples."""
    from pathlib import Path

    from services.common.metrics import MULTIPROC_VARIABLE, fresh_multiproc_dir

    directory = server.cfg.env.get(MULTIPROC_VARIABLE)
    if directory:
        fresh_multiproc_dir(Path(directory))


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A dead worker's live gauges leave the sums; its counts stay in them."""
    from prometheus_client import multiprocess

    from services.common.metrics import MULTIPROC_VARIABLE

    if server.cfg.env.get(MULTIPROC_VARIABLE):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
