"""The official exports on a hand-made centre (``exports_world``): every number written by
hand, every exported row searched for a small group, the HTCDS names and values checked
against the standard's own field list."""

import csv
import datetime as dt
import io
import itertools
import json
from collections import Counter
from pathlib import Path

import pycountry
import pytest
import time_machine

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases import vocabulary as v
from ostoja.cases.services import case_open
from ostoja.identification.models import Decision
from ostoja.identification.services import decision_add
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.reports.exports import ctdc, eurostat, htcds
from ostoja.reports.exports.models import Kind
from ostoja.reports.exports.services import export_files, suppression_k_set
from ostoja.reports.exports.suppression import Step, suppress
from ostoja.reports.exports.victims import Status, assisted
from ostoja.reports.tests.exports_world import BOTH_YEARS, YEAR_2025, Period, World, build
from ostoja.test import Persona

pytestmark = pytest.mark.django_db
K = 10
STANDARD = Path(htcds.__file__).parent / "standards" / "htcds-2.0" / "fields.json"


@pytest.fixture
def world(centre: dict[Role, Persona]) -> World:
    return build(centre[Role.CASE_MANAGER].user)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _export(world: World, kind: str, period: Period = YEAR_2025) -> dict[str, str]:
    start, end = period
    return export_files(
        kind=kind,
        organisation=world.organisation,
        start=start,
        end=end,
        recipient="Ministerstwo Spraw Wewnętrznych i Administracji",
        acting_user=None,
    )


def _report(files: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in _rows(files["suppression.csv"]):
        found.setdefault(line["item"], []).append(line["count"])
    return found


def _smallest_group(rows: list[dict[str, str]], columns: list[str]) -> int:
    """The fewest rows sharing one combination of ``columns`` (each row one person)."""
    return min(Counter(tuple(row[c] for c in columns) for row in rows).values())


# -- The suppression itself


def test_a_small_group_is_generalised_into_a_larger_one_and_the_rest_withheld() -> None:
    rows = [{"sex": "F", "country": "UA"}] * 3 + [{"sex": "F", "country": "DE"}] * 2
    rows += [{"sex": "M", "country": "VN"}]
    steps = [Step("country", {"country": "?"}), Step("sex", {"sex": "?"})]
    done = suppress(rows, list(range(6)), columns=["sex", "country"], steps=steps, k=2)
    assert done.rows == [{"sex": "F", "country": "UA"}] * 3 + [{"sex": "F", "country": "DE"}] * 2
    assert done.report.withheld == 1
    # At k = 4 Ukraine's three and Germany's two are one group once the country goes.
    done = suppress(rows, list(range(6)), columns=["sex", "country"], steps=steps, k=4)
    assert done.rows == [{"sex": "F", "country": "?"}] * 5
    assert done.report.generalised == [("country", 5), ("sex", 0)]
    assert done.report.withheld == 1
    # At k = 6 only the last step makes a group of all six.
    done = suppress(rows, list(range(6)), columns=["sex", "country"], steps=steps, k=6)
    assert done.rows == [{"sex": "?", "country": "?"}] * 6
    assert done.report.generalised == [("country", 6), ("sex", 6)]
    assert done.report.withheld == 0
    assert done.report.table()[-1][:2] == ["exported", "6"]


def test_a_person_counts_once_in_a_group_however_many_rows() -> None:
    rows = [{"sex": "F"}] * 4
    done = suppress(rows, [1, 1, 2, 2], columns=["sex"], steps=[], k=3)
    assert done.rows == []
    assert done.report.people == 2


# -- Eurostat


def _table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return _rows(files[f"{name}.csv"])


def _value(rows: list[dict[str, str]], year: str, leg_stat: str, **where: str) -> int:
    found = [
        r
        for r in rows
        if r["time_period"] == year
        and r["leg_stat"] == leg_stat
        and all(r[c] == value for c, value in where.items())
    ]
    assert len(found) == 1, (year, leg_stat, where)
    return int(found[0]["obs_value"])


def test_eurostat_counts_registered_victims_presumed_and_identified_apart(world: World) -> None:
    files = _export(world, Kind.EUROSTAT)
    assert set(files) == {
        "crim_thb_vsage.csv",
        "crim_thb_vctz.csv",
        "crim_thb_vexp.csv",
        "suppression.csv",
    }
    sage = _table(files, "crim_thb_vsage")
    assert _value(sage, "2025", "IDENTIFIED", sex="F", age="Y_GE18") == 16  # G1, G3, T
    assert _value(sage, "2025", "PRESUMED", sex="M", age="Y_GE18") == 11  # G2
    assert _value(sage, "2025", "PRESUMED", sex="F", age="Y_LT18") == 0  # S1: withheld
    assert _value(sage, "2025", "IDENTIFIED", sex="TOTAL", age="TOTAL") == 16
    assert _value(sage, "2025", "PRESUMED", sex="TOTAL", age="TOTAL") == 11
    assert _value(sage, "2025", "REGISTERED", sex="SUPPRESSED", age="SUPPRESSED") == 3
    assert _value(sage, "2025", "REGISTERED", sex="TOTAL", age="TOTAL") == 30  # not S3
    ctz = _table(files, "crim_thb_vctz")
    assert _value(ctz, "2025", "REGISTERED", citizen="NAT") == 11
    # Germany's three and Romania's one lost their citizenship to join G1's unknown.
    assert _value(ctz, "2025", "REGISTERED", citizen="UNK") == 16
    assert _value(ctz, "2025", "REGISTERED", citizen="EU_FOR") == 0
    exp = _table(files, "crim_thb_vexp")
    assert _value(exp, "2025", "REGISTERED", exploitation="LAB_EXP") == 16
    assert _value(exp, "2025", "REGISTERED", exploitation="SEX_EXP") == 11
    assert _value(exp, "2025", "REGISTERED", exploitation="TOTAL") == 30
    report = _report(files)
    assert report["k"] == ["10"]
    assert report["people"] == ["30"]
    assert report["withheld"] == ["3"]
    assert report["generalised"] == ["4", "0", "0", "0"]  # citizenship, age, form, sex


def test_a_person_assisted_in_two_years_counts_in_each_with_the_status_of_each(
    world: World,
) -> None:
    files = _export(world, Kind.EUROSTAT, BOTH_YEARS)
    sage = _table(files, "crim_thb_vsage")
    # T alone in 2024 (presumed then): withheld, but counted in the total.
    assert _value(sage, "2024", "PRESUMED", sex="TOTAL", age="TOTAL") == 0
    assert _value(sage, "2024", "REGISTERED", sex="SUPPRESSED", age="SUPPRESSED") == 1
    assert _value(sage, "2024", "REGISTERED", sex="TOTAL", age="TOTAL") == 1
    assert _value(sage, "2025", "IDENTIFIED", sex="F", age="Y_GE18") == 16
    assert _value(sage, "2025", "REGISTERED", sex="TOTAL", age="TOTAL") == 30


@pytest.mark.parametrize("period", [YEAR_2025, BOTH_YEARS])
def test_no_eurostat_cell_counts_fewer_than_k_and_the_suppressed_add_up_to_the_totals(
    world: World, period: Period
) -> None:
    files = _export(world, Kind.EUROSTAT, period)
    for name, dimensions in eurostat.TABLES.items():
        rows = _table(files, name)
        columns = [column for column, _values in dimensions]
        for row in rows:
            value = int(row["obs_value"])
            if row[columns[0]] not in ("TOTAL", "SUPPRESSED"):
                assert value == 0 or value >= K, (name, row)
        blocks = itertools.groupby(rows, key=lambda r: (r["time_period"], r["leg_stat"]))
        for (year, leg_stat), block in blocks:
            lines = list(block)
            total = next(int(r["obs_value"]) for r in lines if r[columns[0]] == "TOTAL")
            assert sum(int(r["obs_value"]) for r in lines if r[columns[0]] != "TOTAL") == total
            if leg_stat == "REGISTERED":
                for line in lines:
                    if line[columns[0]] in ("TOTAL", "SUPPRESSED"):
                        continue
                    where = {c: line[c] for c in columns}
                    assert int(line["obs_value"]) == _value(
                        rows, year, "PRESUMED", **where
                    ) + _value(rows, year, "IDENTIFIED", **where)


# -- CTDC


def test_ctdc_has_the_published_columns_bands_and_minus_99s(world: World) -> None:
    files = _export(world, Kind.CTDC)
    text = files["ctdc.csv"]
    assert text.splitlines()[0].split(",") == ctdc.COLUMNS
    assert len(ctdc.COLUMNS) == 63
    rows = _rows(text)
    assert len(rows) == 26  # G1, G3, G2; S1, S2 and T withheld, S3 no registered victim
    men = [r for r in rows if r["gender"] == "Male"]
    assert len(men) == 11
    assert {r["ageBroad"] for r in men} == {"39--47"}  # 39 on 1 April 2025
    assert {r["citizenship"] for r in men} == {"PL"}
    assert {r["isSexualExploit"] for r in men} == {"1"}
    assert {r["typeOfSexProstitution"] for r in men} == {"1"}
    assert {r["meansOfControlNotSpecified"] for r in men} == {"1"}
    women = [r for r in rows if r["gender"] == "Female"]
    assert len(women) == 15
    assert {r["citizenship"] for r in women} == {"-99"}  # Germany's three generalised
    assert {r["ageBroad"] for r in women} == {"30--38"}
    assert {r["typeOfLabourAgriculture"] for r in women} == {"1"}
    assert {r["yearOfRegistration"] for r in rows} == {"2025"}
    assert {r["isAbduction"] for r in rows} == {"-99"}
    assert {r["CountryOfExploitation"] for r in rows} == {"-99"}
    # In the order of their values, not of registration (which would point at people).
    assert [list(r.values()) for r in rows] == sorted(list(r.values()) for r in rows)
    report = _report(files)
    assert report["people"] == ["30"]
    assert report["withheld"] == ["4"]
    assert report["exported"] == ["26"]


@pytest.mark.parametrize("period", [YEAR_2025, BOTH_YEARS])
def test_no_ctdc_row_shares_its_quasi_identifiers_with_fewer_than_k(
    world: World, period: Period
) -> None:
    rows = _rows(_export(world, Kind.CTDC, period)["ctdc.csv"])
    assert rows
    assert _smallest_group(rows, ctdc.QUASI_IDENTIFIERS) >= K
    # Nor any part of them: the brief's five (sex, age band, citizenship, exploitation, year).
    five = ["gender", "ageBroad", "citizenship", "typeOfExploitConcatenated", "yearOfRegistration"]
    for size in range(1, 6):
        for columns in itertools.combinations(five, size):
            assert _smallest_group(rows, list(columns)) >= K, columns


def test_a_person_is_one_ctdc_row_in_the_first_year_of_the_period(world: World) -> None:
    files = _export(world, Kind.CTDC, BOTH_YEARS)
    report = _report(files)
    assert report["people"] == ["30"]  # T counted once, though assisted in both years
    assert report["rows"] == ["30"]


def test_no_export_holds_a_name_or_a_birth_date(world: World) -> None:
    for kind in Kind:
        text = "".join(_export(world, kind).values())
        assert "Osoba" not in text
        assert "1990-03-01" not in text
        assert "1990" not in text
        assert world.cases[0].reference not in text
        assert str(world.people[0].code) not in text


# -- HTCDS


def test_the_copied_field_list_is_the_standard_unchanged() -> None:
    published = json.loads(STANDARD.read_text(encoding="utf-8"))
    assert published["standard"] == "IOM HTCDS v2.0"
    assert len(published["fields"]) == 83
    assert htcds.standard()["vic_TraffickingStatus"]["values"] == [
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    ]


def test_every_htcds_field_and_value_written_is_the_standards(world: World) -> None:
    fields = htcds.standard()
    text = _export(world, Kind.HTCDS)["htcds.csv"]
    rows = _rows(text)
    assert text.splitlines()[0].split(",") == htcds.COLUMNS
    assert set(htcds.COLUMNS) - set(htcds.PSEUDONYMS) <= set(fields)
    for row in rows:
        for name, cell in row.items():
            if name in htcds.PSEUDONYMS:  # ours, beside the standard's (test_pseudonyms.py)
                continue
            field = fields[name]
            values = cell.split(";") if cell and field["type"].startswith("Multiselect") else [cell]
            for value in filter(None, values):
                if field["values"][0].startswith("Use ISO 3166"):
                    assert pycountry.countries.get(alpha_2=value), (name, value)
                else:
                    assert value in field["values"], (name, value)
    # 31 clients; S1, S2 and T withheld; S3 (not assessed) joins G1 without a citizenship.
    assert len(rows) == 27
    assert Counter(r["vic_TraffickingStatus"] for r in rows) == {
        "ActualVictimOfTrafficking": 15,
        "PossibleVictimOfTrafficking": 11,
        "": 1,
    }
    assert {r["vic_TraffickingStatusDecisionMakingOrg"] for r in rows} == {"Police", "NGO", ""}
    identified = [r for r in rows if r["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"]
    assert {r["vic_MethodsOfControl"] for r in identified} >= {"PhysicalThreats;DebtBondage"}
    assert {r["cas_Status"] for r in rows} == {"Active"}
    assert [list(r.values()) for r in rows] == sorted(list(r.values()) for r in rows)
    assert _smallest_group(rows, htcds.QUASI_IDENTIFIERS) >= K
    report = _report(_export(world, Kind.HTCDS))
    assert report["rows"] == ["31"]
    assert report["withheld"] == ["4"]


def test_every_mapping_lands_on_a_value_of_the_standard() -> None:
    fields = htcds.standard()

    def allowed(name: str) -> set[str]:
        return set(fields[name]["values"])

    assert set(Person.Gender.values) == allowed("prs_Gender")
    assert set(Decision.Status.values) == allowed("vic_TraffickingStatus")
    assert set(Decision.HTCDS_ORG.values()) <= allowed("vic_TraffickingStatusDecisionMakingOrg")
    assert {form.htcds for form in v.FORMS.values()} <= allowed("vic_TypeOfExploitation")
    assert set(v.INDUSTRIES) == allowed("vic_ForcedLabourIndustry")
    assert set(v.RECRUITMENT) == allowed("vic_MethodOfRecruitment")
    controls = {htcds.CONTROL.get(m, m) for m in v.CONTROL_METHODS}
    assert controls <= allowed("vic_MethodsOfControl")
    assert set(htcds.SEXUAL.values()) <= allowed("vic_TypeOfSexExploitation")
    assert {"Active", "FollowUp", "Closed", "ClosedReferred"} == allowed("cas_Status")


def test_a_field_or_value_outside_the_standard_is_refused() -> None:
    htcds.check({"prs_Gender": "Feminine", "prs_Citizenship": "UA"})
    with pytest.raises(ValueError, match="no field"):
        htcds.check({"prs_Sex": "Feminine"})
    with pytest.raises(ValueError, match="not a value"):
        htcds.check({"prs_Gender": "Female"})
    with pytest.raises(ValueError, match="not a value"):
        htcds.check({"vic_TypeOfExploitation": "ForcedLabour;Slavery"})
    with pytest.raises(ValueError, match="not a value"):
        htcds.check({"prs_Citizenship": "XX"})


# -- The threshold


def test_a_larger_k_suppresses_more_and_the_change_is_audited(
    world: World, centre: dict[Role, Persona]
) -> None:
    coordinator = centre[Role.COORDINATOR].user
    suppression_k_set(organisation=world.organisation, k=12, acting_user=coordinator)
    entry = AuditEntry.objects.get(action="statistics.threshold_changed")
    assert entry.data == {"from": 10, "to": 12}
    assert entry.actor == coordinator
    files = _export(world, Kind.EUROSTAT)
    sage = _table(files, "crim_thb_vsage")
    assert _value(sage, "2025", "PRESUMED", sex="M", age="Y_GE18") == 0  # 11 < 12
    # ... but with every value suppressed, G2 and S1 are 12 presumed victims together.
    assert _value(sage, "2025", "PRESUMED", sex="UNK", age="UNK") == 12
    assert _value(sage, "2025", "REGISTERED", sex="SUPPRESSED", age="SUPPRESSED") == 2
    assert _value(sage, "2025", "REGISTERED", sex="TOTAL", age="TOTAL") == 30
    assert _report(files)["k"] == ["12"]


def test_every_export_is_audited_with_its_period(world: World) -> None:
    _export(world, Kind.CTDC)
    entry = AuditEntry.objects.get(action="statistics.exported")
    assert entry.organisation == world.organisation
    assert entry.data == {
        "kind": "ctdc",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "k": 10,
        "rows": 30,
        "withheld": 4,
    }


# -- Who counts, and as what


def test_a_formal_identification_stands_until_a_decision_says_not_a_victim(
    centre: dict[Role, Persona],
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    with time_machine.travel(dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        person = person_create(
            organisation=manager.organisation, data={"name": "Osoba"}, acting_user=manager
        )
        case_open(
            organisation=manager.organisation,
            clients=[person],
            manager=manager,
            data={},
            acting_user=manager,
        )
        assert assisted(manager.organisation, *YEAR_2025)[0].status == Status.NOT_ASSESSED
    decisions = [
        ("ActualVictimOfTrafficking", "prosecutor", dt.date(2025, 3, 1)),
        ("PossibleVictimOfTrafficking", "centre", dt.date(2025, 5, 1)),
        ("NotAVictimOfTrafficking", "police", dt.date(2025, 9, 1)),
    ]
    for status, decided_by, on in decisions:
        with time_machine.travel(dt.datetime(on.year, on.month, on.day, 10, tzinfo=dt.UTC)):
            decision_add(
                person=person,
                data={"status": status, "decided_by": decided_by, "decided_on": on},
                acting_user=manager,
            )
    june = assisted(manager.organisation, dt.date(2025, 1, 1), dt.date(2025, 6, 30))[0]
    assert (june.status, june.decided_by) == (Status.IDENTIFIED, "prosecutor")
    whole_year = assisted(manager.organisation, *YEAR_2025)[0]
    assert whole_year.status == Status.NOT_A_VICTIM
    assert (whole_year.year, whole_year.gender, whole_year.citizenship) == (
        2025,
        "NonSpecifiedUnknown",
        "",
    )
