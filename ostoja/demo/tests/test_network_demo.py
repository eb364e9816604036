"""The demo partner network: ~150 partners of every kind in every voivodeship, a year of
consultations shaped like the centre's, interpreters for the languages it hears most —
and the HSDS export of that directory validates against the official schemas."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from jsonschema import Draft202012Validator

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.demo import network
from ostoja.network.models import Consultation, Interpreter, Partner, PartnerPhone, Training
from ostoja.network.vocabulary import PartnerKind, Voivodeship
from ostoja.test import make_user

STANDARD = Path(__file__).parents[2] / "network" / "standards" / "hsds-3.0"


@pytest.mark.django_db
def test_the_demo_directory_is_shaped_like_the_centres_and_exports_valid_hsds(
    tmp_path: Path,
) -> None:
    organisation = Organisation.objects.create(short_code="KCIK", name="Demo")
    staff = [
        make_user(organisation, role, mfa=False).user
        for role in (Role.COORDINATOR, Role.COUNSELLOR)
    ]
    today = timezone.localdate()
    made = network.build(organisation, staff, today=today)
    partners = Partner.objects.filter(organisation=organisation)
    assert 140 <= made == partners.count() <= 170
    assert set(partners.values_list("voivodeship", flat=True)) == set(Voivodeship.values)
    kinds = set(partners.values_list("kind", flat=True))
    assert kinds == set(PartnerKind.values) - {PartnerKind.OTHER}
    consultations = Consultation.objects.filter(organisation=organisation)
    assert consultations.count() == 1614
    assert consultations.filter(asked_at__date__lt=today.replace(day=1)).exists()
    assert consultations.filter(partner__kind=PartnerKind.POLICE_THB).count() > 300
    # Each answered (the response time, for the statistics), after it was asked.
    assert not consultations.filter(answered_at__isnull=True).exists()
    assert not consultations.filter(answered_at__lt=F("asked_at")).exists()
    assert PartnerPhone.objects.filter(partner__kind=PartnerKind.POLICE_THB).count() == 16
    assert Training.objects.count() == 24
    languages = {lang for i in Interpreter.objects.all() for lang in i.languages}
    assert {"ukr", "rus", "vie", "eng", "ron", "bul", "spa"} <= languages
    # The directory's HSDS export: every row valid against the official schemas.
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    for path in tmp_path.glob("*.json"):
        folder = STANDARD / "compiled" if path.stem in ("organization", "service") else STANDARD
        schema = json.loads((folder / path.name).read_text())
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        rows = json.loads(path.read_text())
        assert rows or path.stem in ("service_area",), path.name
        for row in rows:
            assert not list(validator.iter_errors(row)), (path.name, row)
    assert len(json.loads((tmp_path / "organization.json").read_text())) == made
