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
    assert set(found) == {"database", "redis", "task_queue", "disk", "backup", "certificate"}
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


def _certificate(folder: Path, days: int) -> tuple[Path, Path]:
    """A self-signed certificate for localhost valid ``days`` more days, and its key."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days, hours=12))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"cert-{days}.pem", folder / f"key-{days}.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _serve_tls(cert_file: Path, key_file: Path) -> int:
    """A TLS server on 127.0.0.1 presenting the certificate to each connection; its port."""
    import socket
    import ssl
    import threading

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])

    def serve() -> None:
        with listener:
            for _ in range(1):
                connection, _address = listener.accept()
                try:
                    with context.wrap_socket(connection, server_side=True) as tls:
                        tls.recv(1)
                except (ssl.SSLError, OSError):
                    connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return port


def test_the_certificate_is_not_checked_in_development(
    client: Client, db: None, backups: Path
) -> None:
    assert checks(client, 200)["certificate"] == {
        "ok": True,
        "detail": "not configured (OSTOJA_READY_CERT)",
    }


def test_a_certificate_file_close_to_expiry(
    client: Client, db: None, backups: Path, settings: Settings, tmp_path: Path
) -> None:
    settings.OSTOJA_READY_CERT_DAYS = 14
    settings.OSTOJA_READY_CERT = str(_certificate(tmp_path, 60)[0])
    assert checks(client, 200)["certificate"] == {
        "ok": True,
        "detail": "expires in 60 days (more than 14 needed)",
    }
    settings.OSTOJA_READY_CERT = str(_certificate(tmp_path, 10)[0])
    assert checks(client, 503)["certificate"] == {
        "ok": False,
        "detail": "expires in 10 days (more than 14 needed)",
    }


def test_the_certificate_served_for_the_base_url(
    client: Client,
    db: None,
    backups: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good, close = _certificate(tmp_path, 90), _certificate(tmp_path, 5)
    settings.OSTOJA_READY_CERT = "url"
    # Trusted as the system's authorities are (OpenSSL reads SSL_CERT_FILE).
    monkeypatch.setenv("SSL_CERT_FILE", str(good[0]))
    settings.BASE_URL = f"https://localhost:{_serve_tls(*good)}/"
    assert checks(client, 200)["certificate"] == {
        "ok": True,
        "detail": "expires in 90 days (more than 14 needed)",
    }
    # A certificate nobody vouches for fails whatever its dates.
    settings.BASE_URL = f"https://localhost:{_serve_tls(*close)}/"
    assert checks(client, 503)["certificate"] == {
        "ok": False,
        "detail": "SSLCertVerificationError",
    }
    monkeypatch.setenv("SSL_CERT_FILE", str(close[0]))
    settings.BASE_URL = f"https://localhost:{_serve_tls(*close)}/"
    assert checks(client, 503)["certificate"] == {
        "ok": False,
        "detail": "expires in 5 days (more than 14 needed)",
    }
