"""Fixtures of the audit trail's tests."""

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: Settings, tmp_path: Path) -> Path:
    """Each test its own (not yet existing) checkpoint directory, and no checkpoint mail
    unless the test turns it on: never the instance's own ``var/``."""
    settings.OSTOJA_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = False
    return tmp_path / "checkpoints"
