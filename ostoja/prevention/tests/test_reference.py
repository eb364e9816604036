"""The red-flag checklist as versioned reference data: the shipped version, its checks,
a new version for new counselling only, and the risk levels."""

import copy
from typing import Any

import pytest
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.prevention.models import Flag, FlagCatalogue
from ostoja.prevention.reference import (
    Level,
    load_catalogue,
    read_shipped,
    risk_of,
    validate_catalogue,
)
from ostoja.prevention.services import counselling_save
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


def test_the_shipped_version_is_loaded_by_the_migrations() -> None:
    data = read_shipped()
    assert validate_catalogue(data) == []
    catalogue = FlagCatalogue.current()
    assert catalogue is not None and catalogue.version == 1
    codes = list(catalogue.flags.values_list("code", flat=True))
    assert codes == [flag["code"] for flag in data["flags"]]
    for flag in catalogue.flags.all():
        assert set(flag.text) >= {"pl", "en"} and flag.weight >= 1


def test_it_lists_every_problem() -> None:
    data: Any = copy.deepcopy(read_shipped())
    data["version"] = 0
    data["high_from"] = data["medium_from"]
    data["flags"][0]["weight"] = "3"
    data["flags"][1]["code"] = data["flags"][0]["code"]
    del data["flags"][2]["advice"]["pl"]
    data["flags"][3]["colour"] = "red"
    with translation.override("en"):
        errors = validate_catalogue(data)
        bare = validate_catalogue([])
        empty = validate_catalogue({**data, "flags": []})
    assert len(errors) == 6, errors
    assert any("“advice”" in e and "“pl”" in e for e in errors)
    assert bare == ["The checklist must be a JSON object."]
    assert "The checklist needs at least one flag." in empty
    with pytest.raises(ValueError, match="1"):
        load_catalogue(data)
    assert FlagCatalogue.objects.count() == 1


def test_a_new_version_serves_new_counselling_only(centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    first = FlagCatalogue.current()
    assert first is not None
    fee = first.flags.get(code="fee-in-advance")
    old = counselling_save(
        data={},
        flags=[fee],
        organisation=counsellor.organisation,
        catalogue=first,
        acting_user=counsellor,
    )
    data = copy.deepcopy(read_shipped())
    data["version"] = 2
    data["flags"][0]["weight"] = 5
    second = load_catalogue(data)
    assert FlagCatalogue.current() == second
    old.refresh_from_db()
    assert old.catalogue == first and risk_of(first, old.flags.all()).score == 3
    # A flag of another version is not ticked on a record of this one.
    counselling_save(
        counselling=old,
        data={},
        flags=[second.flags.get(code="fee-in-advance")],
        acting_user=counsellor,
    )
    assert not old.flags.exists()


def test_the_level_follows_the_thresholds() -> None:
    catalogue = FlagCatalogue.current()
    assert catalogue is not None
    flags = {flag.code: flag for flag in catalogue.flags.all()}

    def level(*codes: str) -> Level:
        return risk_of(catalogue, [flags[c] for c in codes]).level

    assert level() == Level.LOW
    assert level("too-good", "pressure") == Level.LOW  # 2
    assert level("fee-in-advance") == Level.MEDIUM  # 3
    assert level("fee-in-advance", "no-written-contract") == Level.MEDIUM  # 5
    assert level("fee-in-advance", "passport-kept") == Level.HIGH  # 6
    risk = risk_of(catalogue, [flags["pressure"], flags["fee-in-advance"]])
    assert [f.code for f in risk.flags] == ["fee-in-advance", "pressure"]  # catalogue order
    assert risk.advice == [flags["fee-in-advance"].advice_text, flags["pressure"].advice_text]


def test_a_flag_reads_in_the_current_language() -> None:
    flag = Flag.objects.get(catalogue__version=1, code="passport-kept")
    with translation.override("en"):
        assert str(flag).startswith("The employer or agency wants")
    with translation.override("pl"):
        assert str(flag).startswith("Pracodawca lub agencja chce")
    with translation.override("uk"):  # not in the staff's languages: English
        assert str(flag).startswith("The employer or agency wants")
