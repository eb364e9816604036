"""The statistics exports' pseudonymisation domain (EDPB Guidelines 01/2025): no export
holds a name, a case number, a record's code, a date of birth or a free text; the HTCDS
rows carry keyed pseudonyms of the person and the case, the same in two exports of the same
organisation, different under another key or for another organisation, and not the codes
they are made from."""

import csv
import io
import re

import pytest
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.lib.crypto.keys import generate_key, parse_key
from ostoja.reports.exports.models import Kind
from ostoja.reports.exports.pseudonyms import Pseudonyms
from ostoja.reports.exports.services import export_files
from ostoja.reports.tests.exports_world import BOTH_YEARS, YEAR_2025, Period, World, build
from ostoja.test import Persona, make_organisation

pytestmark = pytest.mark.django_db
PSEUDONYM = re.compile(r"^[a-z2-7]{16}$")  # 80 bits, base32


@pytest.fixture
def world(centre: dict[Role, Persona]) -> World:
    return build(centre[Role.CASE_MANAGER].user)


def _export(world: World, kind: str, period: Period = YEAR_2025) -> dict[str, str]:
    start, end = period
    return export_files(
        kind=kind,
        organisation=world.organisation,
        start=start,
        end=end,
        recipient="IOM",
        acting_user=None,
    )


def _htcds(world: World, period: Period = YEAR_2025) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_export(world, Kind.HTCDS, period)["htcds.csv"])))


@pytest.mark.parametrize("period", [YEAR_2025, BOTH_YEARS])
def test_no_export_holds_a_name_a_case_number_a_code_or_a_birth_date(
    world: World, period: Period
) -> None:
    forbidden = {"Osoba", "Testowa", world.organisation.short_code, str(world.organisation.code)}
    for person in world.people:
        forbidden |= {person.name, str(person.code), str(person.code).replace("-", "")}
        if person.birth_date:
            forbidden |= {person.birth_date.isoformat(), person.birth_date.strftime("%d.%m.%Y")}
    for case in world.cases:
        number = case.reference.rsplit("/", 1)[-1]  # KCIK/2025/0042 -> 0042
        forbidden |= {case.reference, str(case.code), str(case.code).replace("-", "")}
        forbidden |= {f"{number}/{case.reference.split('/')[1]}", f"/{number}"}
    for kind in Kind:
        for name, content in _export(world, kind, period).items():
            for value in forbidden:
                assert value not in content, (kind, name, value)


def test_every_htcds_row_has_keyed_pseudonyms_not_codes(world: World) -> None:
    rows = _htcds(world)
    assert rows
    codes = {str(p.code) for p in world.people} | {str(c.code) for c in world.cases}
    for row in rows:
        for column in ("prs_Pseudonym", "cas_Pseudonym"):
            assert PSEUDONYM.match(row[column]), row[column]
            assert not any(row[column] in code.replace("-", "") for code in codes)
    # One client per case here: as many people as cases, each told apart.
    assert len({r["prs_Pseudonym"] for r in rows}) == len(rows)
    assert len({r["cas_Pseudonym"] for r in rows}) == len(rows)
    assert not {r["prs_Pseudonym"] for r in rows} & {r["cas_Pseudonym"] for r in rows}


def test_the_same_person_has_the_same_pseudonym_in_two_exports(world: World) -> None:
    first = _htcds(world, YEAR_2025)
    second = _htcds(world, BOTH_YEARS)
    pseudonyms = Pseudonyms(world.organisation)
    person, case = world.people[0], world.cases[0]  # of the group of 12: never withheld
    mine = pseudonyms.of("person", str(person.code))
    for rows in (first, second):
        (row,) = [r for r in rows if r["prs_Pseudonym"] == mine]
        assert row["cas_Pseudonym"] == pseudonyms.of("case", str(case.code))
    both = {r["prs_Pseudonym"] for r in first} & {r["prs_Pseudonym"] for r in second}
    assert len(both) >= 20


def test_pseudonyms_differ_with_another_key_and_another_organisation(
    world: World, settings: Settings
) -> None:
    before = {r["prs_Pseudonym"] for r in _htcds(world)}
    code = str(world.people[0].code)
    mine = Pseudonyms(world.organisation).of("person", code)
    settings.INDEX_KEY = parse_key("OSTOJA_INDEX_KEY", generate_key())
    after = {r["prs_Pseudonym"] for r in _htcds(world)}
    assert len(after) == len(before) and not before & after
    assert Pseudonyms(world.organisation).of("person", code) != mine
    # Another centre's domain, under the same key: another pseudonym of the same code.
    other = make_organisation("INNE", "Inne centrum")
    assert Pseudonyms(other).of("person", code) != Pseudonyms(world.organisation).of("person", code)
    # The person domain and the case domain never share a pseudonym of one code.
    assert Pseudonyms(other).of("person", code) != Pseudonyms(other).of("case", code)
