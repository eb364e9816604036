"""``/ready/`` (README "Deployment"): each check through the real dependency, and the
answer only for a request made on the server itself."""

import os
import time
from pathlib import Path

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY
from pytest_django.fixtures import Settings

from ostoja.interventions.tests.test_notify import free_port


@pytest.fixture
def backups(tmp_path: Path, settings: Settings) -> Path:
    settings.OSTOJA_BACKUP_DIR = str(tmp_path)
    (tmp_path / "LATEST").write_text("20261206T023000Z\n", encoding="utf-8")
    return tmp_path / "LATEST"


def checks(client: Client, status: int) -> dict[str, dict[str, object]]:
    response = client.get("/ready/")
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == ("ok" if status == 200 else "unavailable")
    return dict(body["checks"])


def test_everything_ready(client: Client, db: None, backups: Path) -> None:
    found = checks(client, 200)
    assert set(found) == {"database", "redis", "task_queue", "disk", "backup"}
    assert all(check["ok"] for check in found.values())
    assert str(found["backup"]["detail"]).startswith("0.0 h old")


def test_an_old_or_missing_backup(client: Client, db: None, backups: Path) -> None:
    day_and_a_half = time.time() - 36 * 3600
    os.utime(backups, (day_and_a_half, day_and_a_half))
    found = checks(client, 503)
    assert found["backup"] == {"ok": False, "detail": "36.0 h old (at most 26)"}
    assert found["database"]["ok"] is True
    backups.unlink()
    assert checks(client, 503)["backup"] == {"ok": False, "detail": "no complete backup yet"}


def test_backups_must_be_configured_in_production(
    client: Client, db: None, settings: Settings
) -> None:
    settings.OSTOJA_BACKUP_DIR = ""
    assert checks(client, 200)["backup"]["ok"] is True  # development
    settings.PRODUCTION = True
    assert checks(client, 503)["backup"]["ok"] is False


def test_a_full_disk(client: Client, db: None, backups: Path, settings: Settings) -> None:
    settings.OSTOJA_READY_MIN_FREE_MB = 2**40
    assert checks(client, 503)["disk"]["ok"] is False


def test_a_queue_no_worker_takes_from(
    client: Client, db: None, backups: Path, settings: Settings
) -> None:
    settings.OSTOJA_READY_MAX_QUEUE = 2
    try:
        for _ in range(3):
            HUEY.storage.enqueue(b"task")
        found = checks(client, 503)
        assert found["task_queue"] == {"ok": False, "detail": "3 waiting (at most 2)"}
    finally:
        HUEY.storage.flush_queue()


def test_redis_down(client: Client, db: None, backups: Path, settings: Settings) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    before = settings.CACHES
    settings.REDIS_URL = nowhere
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": nowhere}
    }
    try:
        found = checks(client, 503)
    finally:
        settings.CACHES = before  # the test's clean-up clears the cache
    assert found["redis"] == {"ok": False, "detail": "ConnectionError"}
    assert found["database"]["ok"] is True


def test_redis_up(client: Client, db: None, backups: Path, settings: Settings) -> None:
    local = os.environ.get("OSTOJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    settings.REDIS_URL = local
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": local}
    }
    assert checks(client, 200)["redis"] == {"ok": True, "detail": "ok"}


def test_only_for_the_server_itself(client: Client, db: None, backups: Path) -> None:
    # Through the proxy (the staff host or the portal's), or from another machine: not found.
    assert client.get("/ready/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404
    assert client.get("/ready/", HTTP_FORWARDED="for=203.0.113.7").status_code == 404
    assert client.get("/ready/", REMOTE_ADDR="203.0.113.7").status_code == 404
    assert client.get("/ready/", REMOTE_ADDR="::1").status_code == 200
    assert client.post("/ready/").status_code == 405
