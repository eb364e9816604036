"""Readiness (``/ready/``, README "Deployment"): is everything this server needs there?

For the monitoring on the server itself, never the internet (the proxy refuses the path,
and the view answers only a request made straight to the application from this machine).
Each check says ``ok`` or what is wrong; one failure makes the whole answer 503.
"""

import datetime as dt
import shutil
import socket
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from huey.contrib.djhuey import HUEY

Check = Callable[[], tuple[bool, str]]


def database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "ok"


def redis() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "not used"
    cache.set("ostoja:ready", "1", 10)
    return cache.get("ostoja:ready") == "1", "ok"


def task_queue() -> tuple[bool, str]:
    """The queue answers, and is not piling up (a queue no worker takes from grows)."""
    waiting = int(HUEY.pending_count())
    limit = settings.OSTOJA_READY_MAX_QUEUE
    return waiting <= limit, f"{waiting} waiting (at most {limit})"


def disk() -> tuple[bool, str]:
    """Free space where documents are kept (and the task store, the checkpoints)."""
    folder = Path(settings.PRIVATE_FILES_ROOT)
    while not folder.exists():
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free // 2**20
    limit = settings.OSTOJA_READY_MIN_FREE_MB
    return free_mb >= limit, f"{free_mb} MB free (at least {limit})"


def backup() -> tuple[bool, str]:
    """The last complete backup (``deploy/backup.sh`` writes LATEST when one is done)."""
    if not settings.OSTOJA_BACKUP_DIR:
        return not settings.PRODUCTION, "not configured (OSTOJA_BACKUP_DIR)"
    latest = Path(settings.OSTOJA_BACKUP_DIR) / "LATEST"
    if not latest.exists():
        return False, "no complete backup yet"
    hours = (time.time() - latest.stat().st_mtime) / 3600
    limit = settings.OSTOJA_BACKUP_MAX_AGE_HOURS
    return hours <= limit, f"{hours:.1f} h old (at most {limit})"


def served_certificate(url: str) -> x509.Certificate:
    """The certificate the server at ``url`` presents, verified against the system's
    authorities and the host name (an invalid one raises ``ssl.SSLError``)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    context = ssl.create_default_context()
    with (
        socket.create_connection((host, port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der or b"")


def certificate() -> tuple[bool, str]:
    """The TLS certificate stays valid for more than ``OSTOJA_READY_CERT_DAYS``: Caddy
    renews it a month ahead, so one close to expiry means renewal keeps failing."""
    where = settings.OSTOJA_READY_CERT
    if not where:
        return True, "not configured (OSTOJA_READY_CERT)"
    if where == "url":
        cert = served_certificate(settings.BASE_URL)
    else:
        cert = x509.load_pem_x509_certificate(Path(where).read_bytes())
    days = (cert.not_valid_after_utc - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    limit = settings.OSTOJA_READY_CERT_DAYS
    return days > limit, f"expires in {days:.0f} days (more than {limit} needed)"


CHECKS: dict[str, Check] = {
    "database": database,
    "redis": redis,
    "task_queue": task_queue,
    "disk": disk,
    "backup": backup,
    "certificate": certificate,
}


def run() -> dict[str, tuple[bool, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # any failure of a dependency is an answer, not a crash
            results[name] = (False, f"{type(error).__name__}")
    return results
