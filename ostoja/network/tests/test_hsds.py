"""The directory as an Open Referral HSDS 3.0 data package: the export validates against
the official JSON Schemas (read here with ``jsonschema`` itself), and a foreign file is
imported whole or refused whole, with a report row by row."""

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from jsonschema import Draft202012Validator

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.network.models import (
    Partner,
    PartnerContact,
    PartnerLocation,
    PartnerPhone,
    PartnerService,
)
from ostoja.network.services import (
    location_add,
    partner_add,
    partner_contact_add,
    phone_add,
    service_add,
)
from ostoja.test import Persona, assert_access, force_sign_in, text

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


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _places(centre: dict[Role, Persona], oik: Partner) -> None:
    """A second place of the partner with its own phone, and another phone of its own."""
    user = centre[Role.COORDINATOR].user
    branch = location_add(
        partner=oik,
        data={
            "name": "Filia w Chełmie",
            "city": "Chełm",
            "voivodeship": "06",
            "address": "ul. Lwowska 2",
        },
        acting_user=user,
    )
    phone_add(
        partner=oik,
        data={"number": "+48 82 000 00 01", "description": "filia", "location": branch},
        acting_user=user,
    )
    phone_add(
        partner=oik,
        data={"number": "+48 81 000 00 02", "description": "całodobowy", "location": None},
        acting_user=user,
    )


def _csv_only(folder: Path) -> None:
    for path in folder.glob("*.json"):
        path.unlink()


def test_other_places_and_phones_go_out_valid_and_come_back_from_the_csv_form(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    oik = _directory(centre)
    _places(centre, oik)
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    tables = {path.stem: json.loads(path.read_text()) for path in tmp_path.glob("*.json")}
    for table, rows in tables.items():
        for row in rows:
            assert not list(_official(table).iter_errors(row)), (table, row)
    (row,) = [r for r in tables["organization"] if r["id"] == str(oik.code)]
    assert [place["name"] for place in row["locations"]] == [oik.name, "Filia w Chełmie"]
    assert [phone["number"] for phone in row["phones"]] == [
        "+48 81 534 60 60",
        "+48 82 000 00 01",
        "+48 81 000 00 02",
    ]
    assert len(tables["location"]) == len(tables["address"]) == 2
    # Only the CSV form: the directory comes back from it whole.
    _csv_only(tmp_path)
    before = Partner.objects.get(pk=oik.pk)
    PartnerPhone.objects.all().delete()
    PartnerLocation.objects.all().delete()
    PartnerService.objects.all().delete()
    PartnerContact.objects.all().delete()
    Partner.objects.all().delete()
    call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    after = Partner.objects.get(code=oik.code)
    for name in ("name", "alternate_name", "kind", "voivodeship", "city", "address", "phone"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.email == "oik@lublin.example" and after.website == "https://oik.lublin.example"
    service = after.services.get()
    assert service.languages == ["ukr", "vie"] and service.areas == ["06", "18"]
    assert service.days == ["MO", "TU", "WE"] and f"{service.opens_at:%H:%M}" == "08:00"
    assert service.kind == "shelter" and service.phone == "81 534 60 61"
    contact = after.contacts.get()
    assert (contact.title, contact.phone) == ("psycholożka", "+48 600 000 001")
    branch = after.locations.get()
    assert (branch.name, branch.city, branch.voivodeship) == ("Filia w Chełmie", "Chełm", "06")
    phones = {p.number: p for p in after.phones.all()}
    assert phones["+48 82 000 00 01"].location == branch
    assert phones["+48 81 000 00 02"].location is None
    assert phones["+48 81 000 00 02"].description == "całodobowy"
    assert Partner.objects.get(name__startswith="Konsulat").kind == "consulate"


def _write_csv(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _broken_csv(folder: Path) -> str:
    """A CSV package with broken rows; the id of its one good organisation."""
    good = str(uuid.uuid4())
    _write_csv(
        folder,
        "organizations.csv",
        [
            row | {"year_incorporated": "abc" if row["name"] == "Zły rok" else ""}
            for row in [
                {"id": good, "name": "Fundacja Przykładowa", "description": "Pomoc.", "email": ""},
                {"id": str(uuid.uuid4()), "name": "Zły rok", "description": "", "email": ""},
                {"id": "17", "name": "Zły identyfikator", "description": "Opis", "email": ""},
                {
                    "id": str(uuid.uuid4()),
                    "name": "Zły e-mail",
                    "description": "Opis",
                    "email": "x@",
                },
            ]
        ],
    )
    _write_csv(
        folder,
        "services.csv",
        [
            {
                "id": str(uuid.uuid4()),
                "organization_id": good,
                "name": "Porady",
                "status": "active",
            },
            {"id": str(uuid.uuid4()), "organization_id": good, "name": "Zły", "status": "open"},
        ],
    )
    _write_csv(
        folder,
        "phones.csv",
        [
            {"id": str(uuid.uuid4()), "organization_id": good, "number": "+48 22 000 00 00"},
            {"id": str(uuid.uuid4()), "organization_id": str(uuid.uuid4()), "number": "1"},
        ],
    )
    _write_csv(folder, "languages.csv", [{"id": str(uuid.uuid4()), "code": "pl", "colour": "x"}])
    return good


def test_a_csv_package_with_broken_rows_is_refused_row_by_row_and_nothing_imported(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    _broken_csv(tmp_path)
    with pytest.raises(CommandError) as refused:
        call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    report = str(refused.value).splitlines()
    assert report[0] == "Nothing imported. Refused:"
    assert (
        "organizations.csv, row 2 (Zły rok): year_incorporated: 'abc' is not of type 'number'"
        in report
    )
    assert "organizations.csv, row 3 (Zły identyfikator): id: '17' is not a 'uuid'" in report
    assert any(line.startswith("organizations.csv, row 4 (Zły e-mail): email") for line in report)
    assert any(line.startswith("services.csv, row 2 (Zły): status") for line in report)
    assert "phones.csv, row 2: it names no organization, service or contact in the package" in (
        report
    )
    assert "languages.csv, header: unknown columns colour" in report
    assert not any(" row 1 " in line or ", row 1:" in line for line in report)
    assert not Partner.objects.exists() and not PartnerService.objects.exists()
    assert not AuditEntry.objects.filter(action="directory.imported").exists()


def _zip(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"hsds/{path.name}")
    return SimpleUploadedFile("hsds.zip", buffer.getvalue(), content_type="application/zip")


def test_a_coordinator_uploads_a_package_imported_whole_or_refused_with_the_report(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], tmp_path: Path
) -> None:
    assert_access(
        "/network/import/", centre, other_centre, allowed={Role.COORDINATOR}, outsider_status=None
    )
    client = _client(centre[Role.COORDINATOR])
    # Broken rows: the page shows them, nothing is imported, the refusal is audited.
    broken = tmp_path / "broken"
    broken.mkdir()
    _broken_csv(broken)
    response = client.post("/network/import/", {"package": _zip(broken)})
    assert response.status_code == 400
    page = text(response)
    assert "Nic nie zaimportowano: pakiet zawiera błędy (poniżej)." in page
    assert "organizations.csv, row 3 (Zły identyfikator)" in page
    assert not Partner.objects.exists()
    refusal = AuditEntry.objects.get(action="directory.import_refused")
    assert refusal.actor == centre[Role.COORDINATOR].user and refusal.data["problems"] >= 5
    # Not a zip at all.
    response = client.post(
        "/network/import/", {"package": SimpleUploadedFile("a.zip", b"not a zip")}
    )
    assert response.status_code == 400 and "the file is not a zip archive" in text(response)
    # A damaged one.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", "id,name,description\n" * 200)
    damaged = bytearray(buffer.getvalue())
    damaged[60:80] = b"\xff" * 20  # inside the packed data of the one file
    response = client.post(
        "/network/import/", {"package": SimpleUploadedFile("d.zip", bytes(damaged))}
    )
    assert response.status_code == 400
    assert "organizations.csv: cannot be unpacked" in text(response)
    # A good package (the CSV form of an export) is imported, the import audited.
    exported = tmp_path / "exported"
    oik = _directory(centre)
    _places(centre, oik)
    call_command("hsds_export", str(exported), "--organisation", "KCIK")
    _csv_only(exported)
    PartnerPhone.objects.all().delete()
    PartnerLocation.objects.all().delete()
    PartnerService.objects.all().delete()
    PartnerContact.objects.all().delete()
    Partner.objects.all().delete()
    response = client.post("/network/import/", {"package": _zip(exported)}, follow=True)
    assert "Zaimportowano: dodano partnerów: 2, zaktualizowano: 0, usług: 1." in text(response)
    assert Partner.objects.count() == 2 and PartnerLocation.objects.count() == 1
    imported = AuditEntry.objects.get(action="directory.imported")
    assert imported.actor == centre[Role.COORDINATOR].user


def test_a_partner_abroad_goes_out_with_its_country_and_comes_back_with_it(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    consulate = partner_add(
        organisation=user.organisation,
        data={
            "name": "Konsulat Generalny RP w Hamburgu",
            "kind": "consulate",
            "country": "DE",
            "city": "Hamburg",
            "address": "Gründgensstraße 20",
            "postal_code": "22309",
        },
        acting_user=user,
    )
    location_add(
        partner=consulate,
        data={"name": "Dyżur konsularny w Bremie", "city": "Bremen", "postal_code": "28195"},
        acting_user=user,
    )
    _directory(centre)
    call_command("hsds_export", str(tmp_path), "--organisation", "KCIK")
    tables = {path.stem: json.loads(path.read_text()) for path in tmp_path.glob("*.json")}
    for table, rows in tables.items():
        for row in rows:
            assert not list(_official(table).iter_errors(row)), (table, row)
    countries = {row["city"]: row["country"] for row in tables["address"]}
    assert countries == {"Hamburg": "DE", "Bremen": "DE", "Lublin": "PL"}
    # From either form, the country comes back; a partner in Poland has none.
    for form in ("json", "csv"):
        if form == "csv":
            _csv_only(tmp_path)
        PartnerLocation.objects.all().delete()
        PartnerService.objects.all().delete()
        PartnerContact.objects.all().delete()
        Partner.objects.all().delete()
        call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
        after = Partner.objects.get(code=consulate.code)
        assert (after.country, after.postal_code, after.voivodeship) == ("DE", "22309", "")
        assert after.locations.get().city == "Bremen"
        assert Partner.objects.get(city="Lublin").country == ""


def test_an_address_in_no_country_or_another_than_the_seats_is_refused(
    centre: dict[Role, Persona], tmp_path: Path
) -> None:
    def place(city: str, country: str) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "location_type": "physical",
            "addresses": [
                {
                    "id": str(uuid.uuid4()),
                    "address_1": "Hauptstraße 1",
                    "city": city,
                    "state_province": "",
                    "postal_code": "10115",
                    "country": country,
                    "address_type": "physical",
                }
            ],
        }

    organizations = [
        _organization(name="Nigdzie", locations=[place("Atlantyda", "XX")]),
        _organization(name="Dwa kraje", locations=[place("Berlin", "DE"), place("Wien", "AT")]),
        _organization(name="Berlin", locations=[place("Berlin", "de")]),
    ]
    (tmp_path / "organization.json").write_text(json.dumps(organizations))
    with pytest.raises(CommandError) as refused:
        call_command("hsds_import", str(tmp_path), "--organisation", "KCIK")
    report = str(refused.value).splitlines()
    assert "organization.json, row 1 (Nigdzie): country: 'XX' is no ISO 3166 country code" in report
    assert (
        "organization.json, row 2 (Dwa kraje): country: 'AT', not the country of the seat" in report
    )
    assert not any("row 3" in line for line in report) and not Partner.objects.exists()
