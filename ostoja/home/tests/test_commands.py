"""Management commands: the demo, the first administrator, the translation check."""

import shutil
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation
from pytest_django.fixtures import Settings

from ostoja.accounts.mfa import totp_now
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.helpline.models import Contact, ContactPurpose
from ostoja.home.management.commands.demo import totp_secret


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_one_user_per_role_and_can_run_twice() -> None:
    first = _call("demo")
    contacts = Contact.objects.count()
    second = _call("demo")
    assert first.endswith(second) and "Demo helpline contacts: 9105" in first
    assert Contact.objects.count() == contacts  # nothing twice
    assert Organisation.objects.count() == 1
    # Shaped like the centre's year (DOMAIN.md §6, 2012).
    assert ContactPurpose.objects.filter(purpose="institution").count() >= 1614
    assert ContactPurpose.objects.filter(purpose="prevention").count() == 393
    duty = Contact.objects.filter(line="duty").count()
    assert 0.1 < duty / contacts < 0.5
    users = User.objects.all()
    assert sorted(str(u.role) for u in users) == sorted(Role.values)
    assert all(u.email.endswith(".invalid") for u in users)
    counsellor = User.objects.get(membership__role=Role.COUNSELLOR)
    assert counsellor.email in first and totp_secret(counsellor) in first
    code = _call("demo", "--totp", counsellor.email).strip()
    assert code == totp_now(totp_secret(counsellor))


@pytest.mark.django_db
def test_demo_refuses_production_and_unknown_users(settings: Settings) -> None:
    with pytest.raises(CommandError, match="No demo user"):
        _call("demo", "--totp", "someone@else.test")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not for production"):
        _call("demo")


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
