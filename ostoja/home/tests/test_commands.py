"""Management commands: the first administrator, the translation check (the demo's are
``ostoja/demo/tests/``)."""

import shutil
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation
from pytest_django.fixtures import Settings

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.test import Persona


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_admin_invites_the_first_administrator(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        out = _call(
            "create_admin",
            "--organisation",
            "Centrum",
            "--short-code",
            "kcik",
            "--email",
            "Boss@Centre.test",
            "--name",
            "Szefowa",
        )
    assert "Invitation sent to boss@centre.test" in out
    admin = User.objects.get(email="boss@centre.test")
    assert admin.role == Role.ADMINISTRATOR
    assert admin.organisation is not None and admin.organisation.short_code == "KCIK"
    assert not admin.has_usable_password()
    assert mail.outbox[0].to == ["boss@centre.test"]
    with translation.override("en"), pytest.raises(CommandError, match="already exists"):
        _call(
            "create_admin",
            "--organisation",
            "C",
            "--short-code",
            "KCIK",
            "--email",
            "boss@centre.test",
            "--name",
            "X",
        )
    with pytest.raises(CommandError, match="letters and digits"):
        _call(
            "create_admin",
            "--organisation",
            "C",
            "--short-code",
            "K/1",
            "--email",
            "x@centre.test",
            "--name",
            "X",
        )


def test_translation_check_names_untranslated_messages(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(Path(settings.BASE_DIR) / "locale", tmp_path / "locale")
    # The portal's catalogue is checked too (its own five languages).
    shutil.copytree(
        Path(settings.BASE_DIR) / "ostoja" / "portal",
        tmp_path / "ostoja" / "portal",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "module.py").write_text(
        "from django.utils.translation import gettext as _\n_('A brand new message')\n"
    )
    settings.BASE_DIR = tmp_path
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    # New, or "fuzzy" when gettext guesses from a similar message: either way, named.
    with pytest.raises(CommandError, match="(untranslated|fuzzy): 'A brand new message'"):
        _call("translations", "check")
    english = polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))
    assert english.find("A brand new message").msgstr == "A brand new message"
    polish = polib.pofile(str(tmp_path / "locale/pl/LC_MESSAGES/django.po"))
    entry = polish.find("A brand new message")
    entry.msgstr = "Zupełnie nowy komunikat"
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    polish.save()
    assert "Translations compiled" in _call("translations", "check")
    assert (tmp_path / "locale/pl/LC_MESSAGES/django.mo").exists()


def test_a_failed_backup_is_mailed_to_every_administrator(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    out = _call("notify_failure", "ostoja-backup.service")
    assert "2 administrators told" in out
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        persona.email for persona in (centre[Role.ADMINISTRATOR], other_centre[Role.ADMINISTRATOR])
    )
    message = mail.outbox[0]
    assert message.to == [centre[Role.ADMINISTRATOR].email]  # one each, nobody else's address
    assert "ostoja-backup.service" in message.subject
    assert "journalctl -u ostoja-backup.service" in message.body
    # Nobody's name (not even the recipient's).
    for persona in centre.values():
        if persona.user.full_name:
            assert persona.user.full_name not in message.body


def test_notify_failure_refuses_what_is_not_a_unit_and_says_when_nobody_is_told(
    db: None,
) -> None:
    with pytest.raises(CommandError, match="Not a systemd unit"):
        _call("notify_failure", "backup failed for Olena Shevchenko")
    with pytest.raises(CommandError, match="no active administrator"):
        _call("notify_failure", "ostoja-restore-drill.service")
    assert mail.outbox == []
