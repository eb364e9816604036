"""The task queue: a real worker process answers, on the embedded store and on Redis."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from ostoja.accounts.tasks import clear_expired_sessions

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _run_worker_and_ping(env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], str]:
    """Start a worker, ask it for a ping, stop it; returns the ping and the worker's log."""
    worker = subprocess.Popen(  # noqa: S603  # our own manage.py
        [sys.executable, MANAGE, "run_huey", "--workers", "1", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ping = subprocess.run(  # noqa: S603
            [sys.executable, MANAGE, "tasks_ping", "--timeout", "30"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        worker.terminate()
        _, log = worker.communicate(timeout=30)
    return ping, log


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The worker's periodic tasks and the ping both open the instance's SQLite database;
    # as on any installed instance, it exists already in WAL mode. (Two processes switching
    # a brand-new file to WAL at once can find it locked.)
    with sqlite3.connect(tmp_path / "ostoja.sqlite3") as database:
        database.execute("PRAGMA journal_mode=WAL")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    return env | {"OSTOJA_VAR_DIR": str(tmp_path), "OSTOJA_ENV": "development"} | extra


def test_the_embedded_queue_needs_no_service(tmp_path: Path) -> None:
    result, log = _run_worker_and_ping(_env(tmp_path, OSTOJA_TASK_QUEUE="embedded"))
    assert result.returncode == 0, result.stderr + log
    assert "A task worker answered." in result.stdout
    assert (tmp_path / "tasks.sqlite3").exists()


def test_the_redis_queue_uses_the_local_redis(tmp_path: Path) -> None:
    redis_url = os.environ.get("OSTOJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    result, log = _run_worker_and_ping(
        _env(tmp_path, OSTOJA_TASK_QUEUE="redis", REDIS_URL=redis_url)
    )
    assert result.returncode == 0, result.stderr + log
    assert "A task worker answered." in result.stdout
    assert not (tmp_path / "tasks.sqlite3").exists()


def test_ping_fails_clearly_when_no_worker_runs(tmp_path: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, "tasks_ping", "--timeout", "1"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "No task worker answered within 1 s." in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.django_db
def test_expired_sessions_are_cleared_nightly() -> None:
    due = HUEY.read_periodic(dt.datetime(2026, 12, 1, 3, 17))  # noqa: DTZ001  # huey: naive UTC
    assert "clear_expired_sessions" in [type(task).__name__ for task in due]
    later = HUEY.read_periodic(dt.datetime(2026, 12, 1, 3, 18))  # noqa: DTZ001
    assert "clear_expired_sessions" not in [type(task).__name__ for task in later]
    live = SessionStore()
    live.create()
    dead = SessionStore()
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    assert clear_expired_sessions.call_local() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_a_worker_starting_on_redis_keeps_the_other_workers_locks_which_expire(
    tmp_path: Path,
) -> None:
    """Several workers share Redis: one restarting must not free a lock another holds (the
    periodic task would run twice at once); a lock left by a killed worker expires."""
    from ostoja.lib.queue import RedisHuey

    redis_url = os.environ.get("OSTOJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = RedisHuey("ostoja", url=redis_url)
    lock = queue.lock_task("interventions-escalation-check")  # held by "another worker"
    lock.acquire()
    try:
        key = queue.storage.result_key("ostoja.lock.interventions-escalation-check")
        assert 0 < queue.storage.conn.ttl(key) <= settings.OSTOJA_TASK_LOCK_SECONDS
        result, log = _run_worker_and_ping(
            _env(tmp_path, OSTOJA_TASK_QUEUE="redis", REDIS_URL=redis_url)
        )
        assert result.returncode == 0, result.stderr + log
        assert lock.is_locked()
    finally:
        lock.release()
    # On the embedded store (one worker process) the locks are still cleared at start.
    embedded = subprocess.run(  # noqa: S603
        [
            sys.executable,
            MANAGE,
            "shell",
            "-c",
            "from django.conf import settings; print(settings.HUEY['consumer']['flush_locks'])",
        ],
        env=_env(tmp_path, OSTOJA_TASK_QUEUE="embedded"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert embedded.stdout.splitlines()[-1] == "True"
