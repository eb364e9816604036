"""gunicorn's settings for Ostoja (deploy/systemd/ostoja-web.service; README "Deployment").

Sync workers, as many as gunicorn's rule for CPU-bound applications gives (2 × cores + 1):
a page costs Ostoja 20-70 ms of CPU (README "Performance"), so threads would only queue on
the interpreter's lock (bench/servers.py measured them no faster).
"""

import multiprocessing
import os
from typing import Any

bind = os.environ.get("OSTOJA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("OSTOJA_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request still running after a minute (a stuck PDF, a dead peer) loses its worker; the
# master starts another.
timeout = 60
graceful_timeout = 30
# Workers are replaced now and then, at different moments, so that no slow leak grows.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this machine is believed about the scheme (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"
# No access log: requests are logged by Ostoja (ostoja.lib.logs), without addresses or
# query strings; gunicorn's own errors go to the journal.
accesslog = None
errorlog = "-"
# Header limits well above any browser's needs; an oversized request is refused.
limit_request_line = 8190
limit_request_fields = 100


def child_exit(server: Any, worker: Any) -> None:
    """A worker gone: its live gauges leave the Prometheus files (``ostoja.lib.metrics``);
    its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]  # untyped
