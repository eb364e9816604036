"""Ostoja under load as deployed (issue #20: "50 simulated staff users and 5 portal
submissions a second for 10 minutes: p95 < 500 ms, 0 errors, audit_verify passes after").

Builds the production stack on this machine (``ostoja/home/tests/stack.py``): a scratch
PostgreSQL cluster, Redis, gunicorn with ``deploy/gunicorn_conf.py``, a task worker and the
scheduler, Caddy with ``deploy/Caddyfile`` (TLS from Caddy's local authority), all in
production mode; fills it with the demo centre and STAFF more members of staff (invited
through the accounts service, each with a password and an authenticator app). Then STAFF
people sign in (password and TOTP code) and work (``ostoja/home/tests/traffic.py``) while
portal visitors send PORTAL_RATE messages and self-checks a second, for ``--minutes``.
Reports p50/p95/p99 by kind of page, errors, throughput and the load average, next to the
minimal signed-in page (``bench/urls.py``) measured in the same run, then runs
``audit_verify``. Everything is removed afterwards.

    make bench-load                          # 10 minutes
    .venv/bin/python bench/load.py --minutes 1

Traffic goes to 127.0.0.1 only (the host names are sent, never looked up).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ostoja.home.tests import traffic
from ostoja.home.tests.stack import SEED, Stack

# A centre's day: counsellors on the helpline, coordinators over the cases, shelter staff.
ROLES = {"counsellor": 0.4, "coordinator": 0.4, "shelter_staff": 0.2}
PASSWORD = "load-test-password-2026"  # noqa: S105  # synthetic accounts of a scratch database


def roles(count: int) -> list[str]:
    found: list[str] = []
    for role, share in ROLES.items():
        found += [role] * round(count * share)
    return (found + ["counsellor"] * count)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--portal-rate", type=float, default=5.0, help="submissions a second")
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between pages, s")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ostoja-load-"))
    stack = Stack(folder, settings_module="bench.load_settings")
    try:
        started = time.monotonic()
        world = json.loads(
            stack.prepare(SEED, roles=roles(options.staff), password=PASSWORD, demo=True)
        )
        people = [
            traffic.Person(**{k: s[k] for k in ("email", "password", "secret", "role")})
            for s in world["staff"]
        ]
        scene = traffic.World(staff=people, cases=world["cases"], people=world["people"])
        stack.start()
        print(
            f"stack ready in {time.monotonic() - started:.0f} s: {len(people)} staff, "
            f"{len(scene.cases)} cases, {len(scene.people)} people; "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"
        )
        recorder = traffic.Recorder()
        loads: list[float] = []
        stop = threading.Event()

        def sample_load() -> None:
            while not stop.wait(15):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample_load, daemon=True)
        sampler.start()
        recovery = RecoveryPoint(stack)
        recovery.start()
        begin = time.monotonic()
        seconds = options.minutes * 60
        traffic.run(
            scene,
            recorder,
            stack.https_port,
            stack.tls(),
            seconds=seconds,
            think=options.think,
            portal_rate=options.portal_rate,
            minimal="/bench/minimal/",
            stop=stop,
        )
        wall = time.monotonic() - begin
        report(recorder, wall, loads)
        print(recovery.finish())
        verified = stack.manage("audit_verify")
        print(
            f"audit_verify: exit {verified.returncode}: "
            f"{(verified.stdout + verified.stderr).strip()}"
        )
        problems = stack.tracebacks()
        if problems:
            print("tracebacks in the services' logs:\n" + problems)
    finally:
        stack.stop()
        if options.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


class RecoveryPoint(threading.Thread):
    """The recovery point under load (issue #20: "RPO measured ≤ 60 s with the archive
    timeout set"): every 5 s, the WAL segment holding everything committed so far; each
    sample's lag is the time until that segment is in the archive (``archive_command`` =
    ``deploy/archive-wal.sh``, ``archive_timeout`` = 60 s, as ``deploy/install.sh`` sets
    them). The largest lag is what a server lost at the worst moment would have lost."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.pending: list[tuple[float, str]] = []
        self.lags: list[float] = []
        self.halt = threading.Event()
        self.sampling = True

    def run(self) -> None:
        tick = 0
        while not self.halt.wait(1):
            if self.sampling and tick % 5 == 0:
                self.pending.append((time.monotonic(), self.stack.postgres.wal_position()))
            tick += 1
            self._settle()

    def _settle(self) -> None:
        now = time.monotonic()
        waiting = []
        for taken, segment in self.pending:
            if self.stack.postgres.archived(segment):
                self.lags.append(now - taken)
            else:
                waiting.append((taken, segment))
        self.pending = waiting

    def finish(self, patience: float = 90) -> str:
        """Wait (at most ``patience`` s, as the stack idles) for the last samples' segments."""
        self.sampling = False
        deadline = time.monotonic() + patience
        while self.pending and time.monotonic() < deadline:
            time.sleep(1)
        self.halt.set()
        self.join()
        self._settle()
        unarchived = [time.monotonic() - taken for taken, _ in self.pending]
        if not self.lags:
            return "recovery point: no sample was archived"
        text = (
            f"recovery point (WAL archived, archive_timeout 60 s): {len(self.lags)} samples, "
            f"lag median {statistics.median(self.lags):.0f} s, largest {max(self.lags):.0f} s"
        )
        if unarchived:
            text += f"; {len(unarchived)} not archived after {max(unarchived):.0f} s"
        return text


def report(recorder: traffic.Recorder, wall: float, loads: list[float]) -> None:
    rows = recorder.table()
    work = [s for s in recorder.samples if s.kind != "sign-in"]
    if work:
        rows.append(traffic.summary("all but sign-in", work))
    minimal = next((r for r in rows if r["kind"] == "minimal page"), None)
    print(
        f"\n{'kind of page':<26}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'p50 ×min':>10}{'p95 ×min':>10}"
    )
    for row in rows:
        ratio = f"{row['p50'] / minimal['p50']:.1f}" if minimal else "-"
        ratio95 = f"{row['p95'] / minimal['p95']:.1f}" if minimal else "-"
        print(
            f"{row['kind']:<26}{row['requests']:>9}{row['errors']:>8}{row['p50']:>9.0f}"
            f"{row['p95']:>9.0f}{row['p99']:>9.0f}{ratio:>10}{ratio95:>10}"
        )
    total = len(recorder.samples)
    print(f"\n{total} requests in {wall:.0f} s: {total / wall:.1f} requests a second")
    for what, codes in sorted(recorder.confirmed.items()):
        print(f"{what}: {len(codes)}")
    if loads:
        print(
            f"load average (1 min) during the run: mean {sum(loads) / len(loads):.1f}, "
            f"max {max(loads):.1f}"
        )
    for failure in recorder.failures[:20]:
        print("error:", failure)


if __name__ == "__main__":
    main()
