"""Settings come from the environment and fail loudly when a value is wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ostoja.lib import env


def test_it_reads_typed_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_LIST", "a, b,,c ")
    monkeypatch.setenv("X_CHOICE", "redis")
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_bool("X_BOOL", False) is True
    assert env.env_int("X_INT", 0, maximum=100) == 42
    assert env.env_list("X_LIST", []) == ["a", "b", "c"]
    assert env.env_choice("X_CHOICE", "embedded", ("embedded", "redis")) == "redis"
    assert env.env_secret("X_SECRET") == "s3cret"
    assert env.env_secret("X_UNSET") is None
    assert env.env_str("X_UNSET", "default") == "default"
    assert env.env_bool("X_UNSET", True) is True
    assert env.env_int("X_UNSET", 7) == 7
    assert env.env_list("X_UNSET", ["d"]) == ["d"]


@pytest.mark.parametrize(
    ("name", "value", "read", "message"),
    [
        ("X_BOOL", "maybe", lambda: env.env_bool("X_BOOL", False), "true or false"),
        ("X_INT", "ten", lambda: env.env_int("X_INT", 0), "whole number"),
        ("X_INT", "0", lambda: env.env_int("X_INT", 5, minimum=1), "between 1"),
        ("X_INT", "99", lambda: env.env_int("X_INT", 5, maximum=60), "and 60"),
        ("X_CHOICE", "kafka", lambda: env.env_choice("X_CHOICE", "a", ("a", "b")), "one of a, b"),
        ("X_SECRET_FILE", "/nonexistent/file", lambda: env.env_secret("X_SECRET"), "cannot read"),
    ],
)
def test_it_refuses_invalid_values(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, read: object, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        read()  # type: ignore[operator]


def test_a_secret_given_twice_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_SECRET", "a")
    monkeypatch.setenv("X_SECRET_FILE", "/tmp/whatever")  # noqa: S108
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("X_SECRET")


PRODUCTION = {
    "OSTOJA_ENV": "production",
    "OSTOJA_SECRET_KEY": "q8Jf-2mZt_Lw9xVb4NcR7yHs1KdPe6GaUo3TiXj0BnQr5WlMvCzYhEkD",
    "OSTOJA_ALLOWED_HOSTS": "ostoja.example.org",
    "OSTOJA_BASE_URL": "https://ostoja.example.org",
    "OSTOJA_EMAIL_HOST": "smtp.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": "postgres://ostoja@127.0.0.1:5432/ostoja",
    "OSTOJA_FIELD_KEYS": "1:" + "A" * 43 + "=,2:" + "B" * 43 + "=",
    "OSTOJA_INDEX_KEY": "C" * 43 + "=",
    "OSTOJA_AUDIT_KEY": "D" * 43 + "=",
}


def _start(tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """Start Django with the production environment plus ``overrides`` (None unsets)."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DATABASE", "DJANGO_"))
    }
    environ |= PRODUCTION | {"OSTOJA_VAR_DIR": str(tmp_path)}
    for key, value in overrides.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "check", "--deploy"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "identified no issues" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"OSTOJA_SECRET_KEY": None}, "OSTOJA_SECRET_KEY (or OSTOJA_SECRET_KEY_FILE) is required"),
        ({"OSTOJA_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"OSTOJA_ALLOWED_HOSTS": None}, "OSTOJA_ALLOWED_HOSTS is required"),
        ({"DATABASE_URL": None}, "Production needs PostgreSQL"),
        ({"REDIS_URL": None}, "Production needs Redis"),
        ({"OSTOJA_EMAIL_HOST": None}, "OSTOJA_EMAIL_HOST"),
        ({"OSTOJA_BASE_URL": "http://ostoja.example.org"}, "https://"),
        ({"OSTOJA_DEBUG": "true"}, "cannot be on in production"),
        ({"OSTOJA_ENV": "staging"}, "OSTOJA_ENV must be one of"),
        ({"OSTOJA_IDLE_TIMEOUT_MINUTES": "0"}, "OSTOJA_IDLE_TIMEOUT_MINUTES must be between"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not valid"),
        ({"OSTOJA_FIELD_KEYS": None}, "OSTOJA_FIELD_KEYS (or OSTOJA_FIELD_KEYS_FILE) is required"),
        ({"OSTOJA_INDEX_KEY": None}, "OSTOJA_INDEX_KEY (or OSTOJA_INDEX_KEY_FILE) is required"),
        ({"OSTOJA_AUDIT_KEY": None}, "OSTOJA_AUDIT_KEY (or OSTOJA_AUDIT_KEY_FILE) is required"),
        ({"OSTOJA_INDEX_KEY": "c2hvcnQ="}, "OSTOJA_INDEX_KEY is too short"),
        ({"OSTOJA_AUDIT_KEY": "not base64!"}, "OSTOJA_AUDIT_KEY is not valid base64"),
        (
            {"OSTOJA_AUDIT_KEY": "C" * 43 + "="},
            "OSTOJA_AUDIT_KEY must differ from OSTOJA_INDEX_KEY",
        ),
        ({"OSTOJA_FIELD_KEYS": "A" * 43 + "="}, "each key must be written id:base64"),
        ({"OSTOJA_FIELD_KEYS": "1:" + "A" * 43 + "=,1:" + "B" * 43 + "="}, "given twice"),
        ({"OSTOJA_FIELD_KEYS": ","}, "holds no key"),
        (
            {"OSTOJA_SECRET_KEY": "Q" * 64, "OSTOJA_INDEX_KEY": "Q" * 64},
            "OSTOJA_INDEX_KEY must differ from SECRET_KEY",
        ),
    ],
)
def test_production_refuses_to_start_with_bad_settings(
    tmp_path: Path, overrides: dict[str, str | None], message: str
) -> None:
    result = _start(tmp_path, **overrides)
    assert result.returncode != 0
    assert message in result.stderr
