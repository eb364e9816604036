"""The directory as an Open Referral HSDS 3.0 data package: the export validates against
the official JSON Schemas (read here with ``jsonschema`` itself), and a foreign file is
imported whole or refused whole, with a report row by row."""

import csv
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.network.models import Partner, PartnerContact, PartnerService
from ostoja.network.services import partner_add, partner_contact_add, service_add
from ostoja.test import Persona

pytestmark = pytest.mark.django_db
STANDARD = Path(__file__).parents[1] / "standards" / "hsds-3.0"


def _official(table: str) -> Draft202012Validator:
    folder = STANDARD / "compiled" if table in ("organization", "service") else STANDARD
    schema = json.loads((folder / f"{table}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _directory(centre: dict[Role, Persona]) -> Partner:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    oik = partner_add(
        organisation=user.organisation,
        data={
            "name": "Ośrodek Interwencji Kryzysowej w Lublinie",
            "alternate_name": "OIK Lublin",
            "kind": "crisis_centre",
            "voivodeship": "06",
            "city": "Lublin",
            "address": "ul. Probostwo 6",
            "postal_code": "20-089",
            "phone": "+48 81 534 60 60",
            "email": "oik@lublin.example",
            "website": "https://oik.lublin.example",
        },
        acting_user=user,
    )
    service_add(
        partner=oik,
        data={
            "name": "Hostel interwencyjny",
            "kind": "shelter",
            "status": "active",
            "languages": ["ukr", "vie"],
            "areas": ["06", "18"],
            "days": ["MO", "TU", "WE"],
            "opens_at": dt.time(8, 0),
            "closes_at": dt.time(20, 0),
            "phone": "81 534 60 61",
        },
        acting_user=user,
    )
    partner_contact_add(
        partner=oik,
        data={"name": "Anna Nowak", "title": "psycholożka", "phone": "+48 600 000 001"},
        acting_user=user,
    )
    # A consulate of which only the name and kind are known.
    partner_add(
        organisation=user.organisation,
        data={"name": "Konsulat Generalny Ukrainy w Lublinie", "kind": "consulate"},
        acting_user=user,
    )
    return oik


def test_the_export_validates_against_the_official_schemas_in_json_and_csv(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    oik = _directory(centre)
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    tables = {path.stem: json.loads(path.read_text()) for path in tmp_path.glob("*.json")}
    assert {"organization", "service", "location", "address", "phone", "contact"} <= set(tables)
    for table, rows in tables.items():
        validator = _official(table)
        for row in rows:
            assert not list(validator.iter_errors(row)), (table, row)
    organizations = {row["name"]: row for row in tables["organization"]}
    row = organizations["Ośrodek Interwencji Kryzysowej w Lublinie"]
    assert row["id"] == str(oik.code)
    address = row["locations"][0]["addresses"][0]
    assert address["state_province"] == "lubelskie" and address["country"] == "PL"
    assert row["contacts"][0]["phones"][0]["number"] == "+48 600 000 001"
    assert row["attributes"][0]["taxonomy_term"]["code"] == "crisis_centre"
    # The consulate has no address: the kind's name stands in for the required description.
    assert organizations["Konsulat Generalny Ukrainy w Lublinie"]["description"] == (
        "Konsulat lub ambasada"
    )
    (service,) = tables["service"]
    assert service["organization_id"] == str(oik.code) and service["status"] == "active"
    assert [lang["code"] for lang in service["languages"]] == ["ukr", "vie"]
    assert [area["name"] for area in service["service_areas"]] == ["lubelskie", "podkarpackie"]
    assert service["schedules"][0]["byday"] == "MO,TU,WE"
    assert service["schedules"][0]["opens_at"] == "08:00"
    assert len(tables["phone"]) == 3
    # The CSV form: the tables' own columns, one row per record.
    with (tmp_path / "organizations.csv").open(encoding="utf-8") as rows:
        read = list(csv.DictReader(rows))
    assert {r["name"] for r in read} == set(organizations)
    assert "locations" not in read[0] and read[0]["id"]
    with (tmp_path / "addresses.csv").open(encoding="utf-8") as rows:
        assert next(csv.DictReader(rows))["city"] == "Lublin"
    entry = AuditEntry.objects.get(action="directory.exported")
    assert entry.data == {"organizations": 2, "services": 1}


def test_an_exported_directory_comes_back_the_same(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    oik = _directory(centre)
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    before = Partner.objects.get(pk=oik.pk)
    PartnerService.objects.all().delete()
    PartnerContact.objects.all().delete()
    Partner.objects.all().delete()
    call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    after = Partner.objects.get(code=oik.code)
    for name in ("name", "alternate_name", "kind", "voivodeship", "city", "address", "phone"):
        assert getattr(after, name) == getattr(before, name), name
    service = after.services.get()
    assert service.languages == ["ukr", "vie"] and service.areas == ["06", "18"]
    assert service.days == ["MO", "TU", "WE"] and f"{service.opens_at:%H:%M}" == "08:00"
    assert after.contacts.get().title == "psycholożka"
    # Imported again, it brings the same partners up to date.
    call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    assert Partner.objects.count() == 2
    imports = AuditEntry.objects.filter(action="directory.imported").order_by("pk")
    assert [entry.data for entry in imports] == [
        {"added": 2, "changed": 0, "services": 1},
        {"added": 0, "changed": 2, "services": 1},
    ]


def _organization(**fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "name": "Fundacja Przykładowa",
        "description": "Pomoc ofiarom handlu ludźmi.",
    } | fields


def test_a_file_with_broken_rows_is_refused_row_by_row_and_nothing_is_imported(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    good = _organization()
    organizations = [
        good,
        _organization(description=None, name="Bez opisu"),
        _organization(id="17", name="Zły identyfikator"),
        _organization(
            name="Nieznany rodzaj",
            attributes=[
                {"id": str(uuid.uuid4()), "link_type": "kind", "value": "spaceship"},
            ],
        ),
        _organization(
            name="Zła lokalizacja",
            locations=[
                {
                    "id": str(uuid.uuid4()),
                    "location_type": "physical",
                    "addresses": [
                        {
                            "id": str(uuid.uuid4()),
                            "address_1": "ul. Długa 1",
                            "city": "Gdańsk",
                            "state_province": "Bawaria",
                            "postal_code": "80-001",
                            "country": "PL",
                            "address_type": "physical",
                        }
                    ],
                }
            ],
        ),
    ]
    services = [
        {
            "id": str(uuid.uuid4()),
            "name": "Porady",
            "status": "active",
            "organization_id": good["id"],
        },
        {
            "id": str(uuid.uuid4()),
            "name": "Sierota",
            "status": "active",
            "organization_id": str(uuid.uuid4()),
        },
        {
            "id": str(uuid.uuid4()),
            "name": "Tłumaczenia",
            "status": "open",
            "organization_id": good["id"],
        },
        {
            "id": str(uuid.uuid4()),
            "name": "Język",
            "status": "active",
            "organization_id": good["id"],
            "languages": [{"id": str(uuid.uuid4()), "code": "klingon"}],
        },
    ]
    organizations.append(good)
    services.append(services[0])
    (tmp_path / "organization.json").write_text(json.dumps(organizations))
    (tmp_path / "service.json").write_text(json.dumps(services))
    with pytest.raises(CommandError) as refused:
        call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    report = str(refused.value).splitlines()
    assert report[0] == "Nothing imported. Refused:"
    assert (
        "organization.json, row 2 (Bez opisu): description: None is not of type 'string'" in report
    )
    assert "organization.json, row 3 (Zły identyfikator): id: '17' is not a 'uuid'" in report
    assert (
        "organization.json, row 4 (Nieznany rodzaj): attributes: unknown kind 'spaceship'" in report
    )
    assert (
        "organization.json, row 5 (Zła lokalizacja): state_province: 'Bawaria' is no voivodeship"
        in report
    )
    assert any(line.startswith("service.json, row 2 (Sierota): organization_id") for line in report)
    assert (
        "service.json, row 3 (Tłumaczenia): status: 'open' is not one of "
        "['active', 'inactive', 'defunct', 'temporarily closed']" in report
    )
    assert "service.json, row 4 (Język): languages: unknown language 'klingon'" in report
    assert (
        f"organization.json, row 6 (Fundacja Przykładowa): id {good['id']} "
        "appears twice in the file" in report
    )
    assert (
        f"service.json, row 5 (Porady): id {services[0]['id']} appears twice in the file" in report
    )
    assert not any("row 1 " in line for line in report)
    assert not Partner.objects.exists() and not PartnerService.objects.exists()
    assert not AuditEntry.objects.filter(action="directory.imported").exists()


def test_another_centres_partners_are_not_taken_over_by_an_import(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    oik = _directory(centre)
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    Organisation.objects.create(short_code="OTHER", name="Inne centrum")
    with pytest.raises(CommandError) as refused:
        call_command("hsds_import", str(tmp_path), "--organisation", "OTHER")
    assert f"id {oik.code} belongs to another centre's directory" in str(refused.value)
    assert Partner.objects.filter(organisation__short_code="OTHER").count() == 0
    with pytest.raises(CommandError, match="Name the organisation"):
        call_command("hsds_export", str(tmp_path))
    with pytest.raises(CommandError, match="no organization.json"):
        call_command("hsds_import", str(tmp_path / "empty"), "--organisation", "KCIK")
    (tmp_path / "organization.json").write_text("{not json")
    with pytest.raises(CommandError, match="not a JSON file"):
        call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
