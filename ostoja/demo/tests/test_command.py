"""``manage.py demo``: one user per role, a year of contacts shaped like the centre's, run
twice without making anything twice; never in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from ostoja.accounts.mfa import totp_now
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.demo.management.commands.demo import totp_secret
from ostoja.helpline.models import Contact, ContactPurpose


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
