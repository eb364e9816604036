"""gunicorn against granian on Ostoja's own pages (issue #20: "measure both on our pages").

Each server runs ``ostoja.wsgi`` with 2 worker processes (one per core of the project's
machine) on 127.0.0.1, against the demo database DATABASE_URL names (migrated, ``manage.py
demo`` run: the script signs in the demo coordinator by a session of its own). A bounded
load — CLIENTS keep-alive connections, REQUESTS requests in all, spread over the dashboard,
the contact list, the case list, one case page and the portal's front page — then p50/p95,
requests a second, errors, and the workers' resident memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostoja_prod_bench \
        OSTOJA_VAR_DIR=… make bench-servers

Traffic goes to 127.0.0.1 only and stops after REQUESTS requests (or 120 s).
"""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")

import django

django.setup()

from django.conf import settings
from django.test import Client

from ostoja.accounts.models import User
from ostoja.cases.models import Case
from ostoja.test import force_sign_in

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "800"))
DEADLINE_SECONDS = 120
WORKERS = 2
BIN = Path(sys.executable).parent

SERVERS = {
    # Threads let a worker answer while another request waits on PostgreSQL.
    "gunicorn (gthread, 2×4)": [
        *(str(BIN / "gunicorn"), "--workers", str(WORKERS), "--threads", "4"),
        *("--worker-class", "gthread", "--bind", "{bind}", "ostoja.wsgi:application"),
    ],
    "gunicorn (sync, 2)": [
        *(str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", "{bind}"),
        "ostoja.wsgi:application",
    ],
    "granian (wsgi, 2×4)": [
        *(str(BIN / "granian"), "--interface", "wsgi", "--workers", str(WORKERS)),
        *("--blocking-threads", "4", "--host", "127.0.0.1", "--port", "{port}"),
        "ostoja.wsgi:application",
    ],
    "granian (wsgi, 2×1)": [
        *(str(BIN / "granian"), "--interface", "wsgi", "--workers", str(WORKERS)),
        *("--blocking-threads", "1", "--host", "127.0.0.1", "--port", "{port}"),
        "ostoja.wsgi:application",
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no server on port {port}")


def resident_mib(pid: int) -> float:
    """Resident memory of the server and its children (the workers), in MiB."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total_kib = 0
    for each in [str(pid), *children]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def load(port: int, cookie: str, paths: list[tuple[str, bool]]) -> tuple[list[float], int, float]:
    """REQUESTS requests over CLIENTS connections; the timings (ms), errors, wall time."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(REQUESTS))
    deadline = time.monotonic() + DEADLINE_SECONDS

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for number in counter:
            if time.monotonic() > deadline:
                return
            path, signed_in = paths[number % len(paths)]
            headers = {"Cookie": cookie} if signed_in else {}
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - start


def main() -> None:
    coordinator = User.objects.get(email="coordinator@demo.ostoja.invalid")
    client = Client()
    force_sign_in(client, coordinator)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    case = Case.objects.filter(organisation__short_code="KCIK").order_by("opened_on").first()
    assert case is not None, "run `manage.py demo` on this database first"
    paths = [
        ("/", True),
        ("/helpline/", True),
        ("/cases/", True),
        (f"/cases/{case.code}/", True),
        ("/portal/pl/", False),
    ]
    env = os.environ | {"OSTOJA_DEBUG": "false", "PYTHONPATH": str(ROOT)}
    print(f"{CLIENTS} clients, {REQUESTS} requests over {len(paths)} pages, {WORKERS} workers")
    print(f"load before: {os.getloadavg()[0]:.1f}")
    for name, template in SERVERS.items():
        port = free_port()
        command = [part.format(bind=f"127.0.0.1:{port}", port=port) for part in template]
        server = subprocess.Popen(  # noqa: S603 — our own command line
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_until_up(port)
            load(port, cookie, paths[:1] * CLIENTS + paths)  # warm every worker up
            timings, errors, wall = load(port, cookie, paths)
            memory = resident_mib(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        cuts = statistics.quantiles(timings, n=100)
        print(
            f"{name:<26} p50 {cuts[49]:6.1f} ms  p95 {cuts[94]:6.1f} ms  "
            f"{len(timings) / wall:6.1f} req/s  errors {errors}  RSS {memory:5.0f} MiB"
        )
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
