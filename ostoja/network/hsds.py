"""The partner directory as an Open Referral HSDS 3.0 data package (DOMAIN.md §7).

``directory_package`` gives each HSDS table as a list of rows: ``organization`` and
``service`` shaped as the compiled schemas (``schema/compiled/organization.json``,
``service.json``: a row with its phones, locations, contacts, languages, areas, schedules
and taxonomy attributes nested), every other table flat, as its own schema
(``schema/location.json`` …). Every row is checked against the official schemas, copied
unchanged into ``standards/hsds-3.0`` — never a schema of our own.

Identifiers: a partner, a service, a person at a partner, and a partner's other locations
and phones keep their codes; the rows that have no record of their own (a partner's seat as
a location, an address, its main phone, a language of a service) get a UUID derived from
their owner's code (``uuid5``), so the same directory always exports the same identifiers.
On import the first location with an address is the seat and the first phone of no
location the main number; the rest become other locations and phones.

A foreign package comes in either form (``read_package``): the JSON one (compiled
``organization`` and ``service`` rows) or the CSV one (a file per table, as each schema's
``path`` names it), whose rows are checked against their tables' schemas and nested into
compiled rows by their links; an uploaded zip is unpacked by ``unpacked``.

The kinds of partner and of service go out as two taxonomies of our own, with one
``attribute`` row linking each organisation and service to its term; an import reads them
back from the nested ``taxonomy_term``.
"""

import csv
import datetime as dt
import functools
import io
import json
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from jsonschema import Draft202012Validator

from ostoja.lib.iso import language_name
from ostoja.network.models import (
    Partner,
    PartnerContact,
    PartnerLocation,
    PartnerService,
)
from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship

STANDARD = Path(__file__).parent / "standards" / "hsds-3.0"
COMPILED = frozenset({"organization", "service"})
TABLES = (
    "organization",
    "service",
    "location",
    "address",
    "phone",
    "contact",
    "language",
    "service_area",
    "schedule",
    "service_at_location",
    "taxonomy",
    "taxonomy_term",
    "attribute",
)
NAMESPACE = uuid.UUID("6f1d0c52-1b0e-4d8e-9a55-8d7c2b6a3e10")  # Ostoja's own, for uuid5
TAXONOMIES = {
    "organization": ("ostoja-partner-kind", "Ostoja: rodzaje partnerów", PartnerKind),
    "service": ("ostoja-service-kind", "Ostoja: rodzaje usług", ServiceKind),
}


@functools.cache
def schema(table: str) -> dict[str, Any]:
    """The official schema of ``table``: compiled for organisations and services."""
    folder = STANDARD / "compiled" if table in COMPILED else STANDARD
    loaded: dict[str, Any] = json.loads((folder / f"{table}.json").read_text())
    return loaded


@functools.cache
def _validator(table: str) -> Draft202012Validator:
    return Draft202012Validator(schema(table), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(table: str, row: Any) -> list[str]:
    """What is wrong with ``row`` as a row of ``table``, in the schema's words; [] if it
    is valid."""
    found = []
    for error in _validator(table).iter_errors(row):
        where = "/".join(str(part) for part in error.absolute_path)
        found.append(f"{where}: {error.message}" if where else error.message)
    return sorted(found)


def _id(owner: uuid.UUID | str, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(owner)), what))


def _row(**fields: Any) -> dict[str, Any]:
    """A row without its empty fields (the schemas type them as strings, never null)."""
    return {name: value for name, value in fields.items() if value not in ("", None, [])}


def _taxonomy(table: str) -> dict[str, Any]:
    name, description, _choices = TAXONOMIES[table]
    return {"id": str(uuid.uuid5(NAMESPACE, name)), "name": name, "description": description}


def _term(table: str, code: str) -> dict[str, Any]:
    taxonomy = _taxonomy(table)
    label = str(TAXONOMIES[table][2](code).label)
    return {
        "id": _id(taxonomy["id"], code),
        "code": code,
        "name": label,
        "description": label,
        "taxonomy": taxonomy["name"],
        "taxonomy_id": taxonomy["id"],
        "language": "pl",
    }


def _attribute(table: str, link_id: str, code: str) -> dict[str, Any]:
    term = _term(table, code)
    return {
        "id": _id(link_id, term["id"]),
        "link_id": link_id,
        "link_type": "kind",
        "link_entity": table,
        "taxonomy_term_id": term["id"],
        "value": code,
        "taxonomy_term": term,
    }


def _phone(owner: str, number: str, **link: str) -> list[dict[str, Any]]:
    return [_row(id=_id(owner, "phone"), number=number, **link)] if number else []


def _place(
    partner: Partner, location_id: str, name: str, place: Partner | PartnerLocation
) -> dict[str, Any]:
    """A place of ``partner`` (its seat or another location) with its address, in the
    partner's country."""
    owner = str(partner.code)
    address = {
        "id": _id(location_id, "address"),
        "location_id": location_id,
        "address_1": place.address,
        "city": place.city,
        "state_province": place.get_voivodeship_display() if place.voivodeship else "",
        "postal_code": place.postal_code,
        "country": partner.country or "PL",
        "address_type": "physical",
    }
    return _row(
        id=location_id,
        location_type="physical",
        organization_id=owner,
        name=name,
        addresses=[address],
    )


def _location(partner: Partner) -> dict[str, Any] | None:
    """A partner's seat, with its address, when the directory knows where it is."""
    if not partner.city:
        return None
    return _place(partner, _id(str(partner.code), "location"), partner.name, partner)


def _locations(partner: Partner, seat: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The partner's seat first, then its other places (each with its own code)."""
    others = [
        _place(partner, str(place.code), place.name, place) for place in partner.locations.all()
    ]
    return ([seat] if seat else []) + others


def _phones(partner: Partner) -> list[dict[str, Any]]:
    """The partner's main phone first, then its other phones (of a place: ``location_id``)."""
    code = str(partner.code)
    return _phone(code, partner.phone, organization_id=code) + [
        _row(
            id=str(phone.code),
            organization_id=code,
            location_id=str(phone.location.code) if phone.location else "",
            number=phone.number,
            description=phone.description,
        )
        for phone in partner.phones.all()
    ]


def _contact(contact: PartnerContact) -> dict[str, Any]:
    code = str(contact.code)
    return _row(
        id=code,
        organization_id=str(contact.partner.code),
        name=contact.name,
        title=contact.title,
        department=contact.department,
        email=contact.email,
        phones=_phone(code, contact.phone, contact_id=code),
    )


def _schedule(service: PartnerService) -> list[dict[str, Any]]:
    if not service.days:
        return []
    code = str(service.code)
    return [
        _row(
            id=_id(code, "schedule"),
            service_id=code,
            freq="WEEKLY",
            byday=",".join(service.days),
            opens_at=f"{service.opens_at:%H:%M}" if service.opens_at else "",
            closes_at=f"{service.closes_at:%H:%M}" if service.closes_at else "",
            description="Europe/Warsaw",
        )
    ]


def organization(partner: Partner, location: dict[str, Any] | None) -> dict[str, Any]:
    """A partner as a row of the compiled ``organization`` schema."""
    code = str(partner.code)
    return _row(
        id=code,
        name=partner.name,
        alternate_name=partner.alternate_name,
        description=partner.description or partner.get_kind_display(),
        email=partner.email,
        website=partner.website,
        phones=_phones(partner),
        contacts=[_contact(contact) for contact in partner.contacts.all()],
        locations=_locations(partner, location),
        attributes=[_attribute("organization", code, partner.kind)],
    )


def service(item: PartnerService, location: dict[str, Any] | None) -> dict[str, Any]:
    """A partner's service as a row of the compiled ``service`` schema."""
    code = str(item.code)
    at_location = (
        [{"id": _id(code, "at-location"), "service_id": code, "location_id": location["id"]}]
        if location
        else []
    )
    return _row(
        id=code,
        organization_id=str(item.partner.code),
        name=item.name,
        description=item.description,
        email=item.email,
        status=item.status,
        phones=_phone(code, item.phone, service_id=code),
        languages=[
            {"id": _id(code, f"language:{lang}"), "service_id": code, "code": lang}
            | ({"name": language_name(lang)} if language_name(lang) else {})
            for lang in item.languages
        ],
        service_areas=[
            {"id": _id(code, f"area:{area}"), "service_id": code, "name": Voivodeship(area).label}
            for area in item.areas
        ],
        schedules=_schedule(item),
        service_at_locations=at_location,
        attributes=[_attribute("service", code, item.kind)],
    )


def _flat(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` without what its own table's schema nests (the form of every table but the
    compiled ones, and of the CSV)."""
    keep = {
        name
        for name, field in schema(table)["properties"].items()
        if field.get("type") not in ("array", "object") and "type" in field
    }
    return {name: value for name, value in row.items() if name in keep}


def directory_package(partners: Iterable[Partner]) -> dict[str, list[dict[str, Any]]]:
    """Every HSDS table of ``partners`` (prefetch their services, contacts, locations and
    phones)."""
    tables: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    terms: dict[str, dict[str, Any]] = {}
    with translation.override("pl"):
        for partner in partners:
            location = _location(partner)
            org = organization(partner, location)
            tables["organization"].append(org)
            for phone in org.get("phones", []):
                tables["phone"].append(phone)
            for contact in org.get("contacts", []):
                tables["contact"].append(_flat("contact", contact))
                tables["phone"].extend(contact.get("phones", []))
            for place in org.get("locations", []):
                tables["location"].append(_flat("location", place))
                tables["address"].extend(place["addresses"])
            for item in partner.services.all():
                row = service(item, location)
                tables["service"].append(row)
                tables["phone"].extend(row.get("phones", []))
                tables["language"].extend(row.get("languages", []))
                tables["service_area"].extend(row.get("service_areas", []))
                tables["schedule"].extend(row.get("schedules", []))
                tables["service_at_location"].extend(row.get("service_at_locations", []))
                tables["attribute"].extend(_flat("attribute", a) for a in row["attributes"])
                terms.update((a["taxonomy_term_id"], a["taxonomy_term"]) for a in row["attributes"])
            tables["attribute"].extend(_flat("attribute", a) for a in org["attributes"])
            terms.update((a["taxonomy_term_id"], a["taxonomy_term"]) for a in org["attributes"])
        tables["taxonomy"] = [_taxonomy("organization"), _taxonomy("service")]
    tables["taxonomy_term"] = sorted(terms.values(), key=lambda term: term["id"])
    return tables


def package_problems(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every row of every table checked against its schema: what is wrong, row by row."""
    return [
        f"{table}.json [{number}]: {problem}"
        for table, rows in tables.items()
        for number, row in enumerate(rows, start=1)
        for problem in problems(table, row)
    ]


def write_package(tables: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """Write each table as ``<table>.json`` (a JSON array) and in the CSV form (the file
    the table's schema names, e.g. ``organizations.csv``: its own, un-nested columns)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in tables.items():
        path = folder / f"{table}.json"
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        columns = [
            name
            for name, field in schema(table)["properties"].items()
            if field.get("type") not in ("array", "object") and "type" in field
        ]
        csv_path = folder / str(schema(table).get("path", f"{table}s.csv"))
        with csv_path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        written += [path, csv_path]
    return written


# --- Reading a foreign data package -------------------------------------------------------

_VOIVODESHIPS = {label.casefold(): code for code, label in Voivodeship.choices}


def _voivodeship(name: str) -> str | None:
    """A voivodeship's code from its name as a file may write it ("Mazowieckie",
    "województwo mazowieckie"); ``None`` if it is none of the sixteen."""
    return _VOIVODESHIPS.get(name.casefold().removeprefix("województwo").strip())


def _kind(table: str, row: dict[str, Any]) -> tuple[str, str | None]:
    """The row's kind from its taxonomy attribute; the "other" kind when it has none, and
    a problem when it names one we do not know."""
    name, _description, choices = TAXONOMIES[table]
    for attribute in row.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if term.get("taxonomy") == name or attribute.get("link_type") == "kind":
            code = term.get("code") or attribute.get("value") or ""
            if code in choices.values:
                return code, None
            return "", f"attributes: unknown kind {code!r}"
    return "other", None  # both taxonomies have it


def _language(code: str) -> str | None:
    """An ISO 639-3 code from an ISO 639-1 or 639-3 one."""
    import pycountry

    found = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    found = found or (pycountry.languages.get(alpha_2=code) if len(code) == 2 else None)
    return found.alpha_3 if found is not None else None


def _country(code: str) -> str | None:
    """A partner's country from an address's ISO 3166 alpha-2 code: "" for Poland (or
    none given), ``None`` if it is no country."""
    import pycountry

    code = code.strip().upper()
    if code in ("", "PL"):
        return ""
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def _time(raw: str) -> dt.time | None:
    """A time as HSDS writes it (``09:00``, ``09:00Z``, ``09:00-05:00``), as on the wall
    clock; ``None`` if it is none."""
    try:
        return dt.time.fromisoformat(raw[:5])
    except ValueError:
        return None


def _limits(row: dict[str, Any], limits: dict[str, int]) -> list[str]:
    """What is longer than the directory keeps, and an e-mail address that is none (the
    schemas' "email" format lets nearly anything with an @ through)."""
    wrong = [
        f"{name}: longer than {limit} characters"
        for name, limit in limits.items()
        if len(str(row.get(name) or "")) > limit
    ]
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            wrong.append(f"email: {row['email']!r} is not an e-mail address")
    return wrong


def read_organization(row: Any) -> tuple[dict[str, Any], list[str]]:
    """A partner's data from a compiled ``organization`` row, and what is wrong with it."""
    wrong = problems("organization", row)
    if wrong:
        return {}, wrong
    wrong += _limits(row, {"name": 200, "alternate_name": 100, "website": 200})
    kind, problem = _kind("organization", row)
    wrong += [problem] if problem else []
    data: dict[str, Any] = {
        "code": row["id"],
        "name": row["name"],
        "alternate_name": row.get("alternate_name", ""),
        "kind": kind,
        "description": row["description"],
        "email": row.get("email", ""),
        "website": row.get("website", ""),
        "phone": "",
        "country": "",
        "voivodeship": "",
        "city": "",
        "address": "",
        "postal_code": "",
        "contacts": [],
        "locations": [],
        "phones": [],
    }
    # The first place with an address is the seat; the others are its other locations (a
    # place without an address, e.g. a virtual one, has nowhere to be kept).
    places = [loc for loc in row.get("locations") or [] if loc.get("addresses")]
    for number, place in enumerate(places):
        address = place["addresses"][0]
        country = _country(address["country"])
        if country is None:
            wrong.append(f"country: {address['country']!r} is no ISO 3166 country code")
        elif number == 0:
            data["country"] = country
        elif country != data["country"]:
            wrong.append(f"country: {address['country']!r}, not the country of the seat")
        voivodeship = None if country else _voivodeship(address["state_province"])
        if country == "" and address["state_province"] and not voivodeship:
            wrong.append(f"state_province: {address['state_province']!r} is no voivodeship")
        where = {
            "voivodeship": voivodeship or "",
            "city": address["city"][:100],
            "address": address["address_1"][:200],
            "postal_code": address["postal_code"][:10],
        }
        if number == 0:
            data |= where
        else:
            name = place.get("name") or address["city"]
            data["locations"].append(where | {"code": place["id"], "name": name[:200]})
    codes = {place["code"] for place in data["locations"]}
    for number, phone in enumerate(row.get("phones") or [], start=1):
        location = phone.get("location_id") or None
        if location and location not in codes | {p["id"] for p in places[:1]}:
            wrong.append(f"phones/{number}: location_id {location} is no location of it")
        if not data["phone"] and location is None:
            data["phone"] = phone["number"][:32]
            continue
        data["phones"].append(
            {
                "code": phone["id"],
                "number": phone["number"][:32],
                "description": str(phone.get("description") or "")[:200],
                # A phone of the seat is one of the partner's own.
                "location": location if location in codes else None,
            }
        )
    for number, contact in enumerate(row.get("contacts") or [], start=1):
        if not contact.get("name"):
            wrong.append(f"contacts/{number}: a person at the partner needs a name")
        wrong += [f"contacts/{number}: {p}" for p in _limits(contact, {"name": 200, "title": 200})]
        data["contacts"].append(
            {
                "code": contact["id"],
                "name": contact.get("name", ""),
                "title": contact.get("title", ""),
                "department": contact.get("department", "")[:200],
                "email": contact.get("email", ""),
                "phone": next((p["number"] for p in contact.get("phones") or []), "")[:32],
            }
        )
    return data, wrong


def read_service(row: Any) -> tuple[dict[str, Any], list[str]]:
    """A service's data from a compiled ``service`` row, and what is wrong with it."""
    wrong = problems("service", row)
    if wrong:
        return {}, wrong
    wrong += _limits(row, {"name": 200, "description": 2000})
    if not row.get("organization_id"):
        wrong.append("organization_id: a service must name its organization")
    kind, problem = _kind("service", row)
    wrong += [problem] if problem else []
    languages = []
    for item in row.get("languages") or []:
        code = _language(str(item.get("code") or ""))
        if code is None:
            wrong.append(f"languages: unknown language {item.get('code')!r}")
        else:
            languages.append(code)
    areas = []
    for item in row.get("service_areas") or []:
        area = _voivodeship(str(item.get("name") or ""))
        if area is None:
            wrong.append(f"service_areas: {item.get('name')!r} is no voivodeship")
        else:
            areas.append(area)
    data: dict[str, Any] = {
        "code": row["id"],
        "partner": row.get("organization_id", ""),
        "name": row["name"],
        "kind": kind,
        "status": row["status"],
        "description": row.get("description", ""),
        "email": row.get("email", ""),
        "phone": next((p["number"] for p in row.get("phones") or []), "")[:32],
        "languages": languages,
        "areas": areas,
        "days": [],
        "opens_at": None,
        "closes_at": None,
    }
    schedule = next((s for s in row.get("schedules") or [] if s.get("byday")), None)
    if schedule is not None:
        days = [day.strip() for day in schedule["byday"].split(",")]
        if not set(days) <= {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}:
            wrong.append(f"schedules: days {schedule['byday']!r} are not weekdays")
        data["days"] = days
        for name in ("opens_at", "closes_at"):
            raw = schedule.get(name, "")
            data[name] = _time(raw) if raw else None
            if raw and data[name] is None:
                wrong.append(f"schedules: {name} {raw!r} is not a time (HH:MM)")
    return data, wrong


# --- The CSV form of a data package ---------------------------------------------------------


def csv_name(table: str) -> str:
    """The file of ``table`` in the CSV form, as its schema names it (``phones.csv``)."""
    return str(schema(table).get("path", f"{table}s.csv"))


def _columns(table: str) -> dict[str, Any]:
    return {
        name: field
        for name, field in schema(table)["properties"].items()
        if field.get("type") not in ("array", "object") and "type" in field
    }


def _cell(field: dict[str, Any], raw: str) -> Any:
    """A CSV cell as its schema types it (a number stays text if it is none: the schema
    then says so)."""
    if field.get("type") in ("number", "integer"):
        try:
            number = float(raw)
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    return raw


def _csv_rows(table: str, text: str, report: list[str]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of one CSV table (numbered from 1, the header not counted), each checked
    against the table's schema; what is wrong goes into ``report``."""
    name = csv_name(table)
    columns = _columns(table)
    required = set(schema(table).get("required", []))
    reader = csv.DictReader(text.splitlines())
    unknown = sorted(set(reader.fieldnames or []) - set(columns))
    if unknown:
        report.append(f"{name}, header: unknown columns {', '.join(unknown)}")
        return []
    rows = []
    for number, raw in enumerate(reader, start=1):
        if None in raw:  # more cells than columns
            report.append(f"{name}, row {number}: more cells than the header has columns")
            continue
        # An empty cell: no value — but an empty text where the schema requires the column.
        row = {
            key: _cell(columns[key], value) if value else ""
            for key, value in raw.items()
            if value or key in required
        }
        wrong = problems(table, row)
        if wrong:
            label = f" ({row['name']})" if isinstance(row.get("name"), str) else ""
            report.extend(f"{name}, row {number}{label}: {problem}" for problem in wrong)
        else:
            rows.append((number, row))
    return rows


def csv_package(files: dict[str, str]) -> "Package":
    """The compiled ``organization`` and ``service`` rows of a data package in the CSV form
    (``files``: the text of each file by its name), and what is refused, row by row: a row
    its table's schema refuses, or one that names a row the package does not have. Rows
    this directory keeps nothing of (funding, programs…) are not read."""
    report: list[str] = []
    tables = {
        table: _csv_rows(table, files[csv_name(table)], report)
        for table in TABLES
        if csv_name(table) in files
    }
    numbered = {t: tables.get(t, []) for t in ("organization", "service")}
    organizations = {row["id"]: row for _n, row in numbered["organization"]}
    services = {row["id"]: row for _n, row in numbered["service"]}
    locations = {row["id"]: row for _n, row in tables.get("location", [])}
    contacts = {row["id"]: row for _n, row in tables.get("contact", [])}
    terms = {row["id"]: row for _n, row in tables.get("taxonomy_term", [])}

    def orphan(table: str, number: int, what: str) -> None:
        report.append(f"{csv_name(table)}, row {number}: {what}")

    def attach(owner: dict[str, Any], name: str, row: dict[str, Any]) -> None:
        owner.setdefault(name, []).append(row)

    for number, row in tables.get("location", []):
        if row.get("organization_id") not in organizations:
            orphan("location", number, "organization_id names no organization in the package")
        else:
            attach(organizations[row["organization_id"]], "locations", row)
    for number, row in tables.get("address", []):
        if row.get("location_id") not in locations:
            orphan("address", number, "location_id names no location in the package")
        else:
            attach(locations[row["location_id"]], "addresses", row)
    for number, row in tables.get("contact", []):
        if row.get("organization_id") not in organizations:
            orphan("contact", number, "organization_id names no organization in the package")
        else:
            attach(organizations[row["organization_id"]], "contacts", row)
    for number, row in tables.get("phone", []):
        if row.get("contact_id"):
            owner = contacts.get(row["contact_id"])
        elif row.get("service_id"):
            owner = services.get(row["service_id"])
        elif row.get("organization_id"):
            owner = organizations.get(row["organization_id"])
        else:
            owner = None
        if owner is None:
            orphan("phone", number, "it names no organization, service or contact in the package")
        else:
            attach(owner, "phones", row)
    nested = {"language": "languages", "service_area": "service_areas", "schedule": "schedules"}
    nested |= {"service_at_location": "service_at_locations"}
    for table, field in nested.items():
        for number, row in tables.get(table, []):
            if row.get("service_id") in services:
                attach(services[row["service_id"]], field, row)
            elif table != "schedule" or not row.get("location_id"):
                orphan(table, number, "service_id names no service in the package")
    for number, row in tables.get("attribute", []):
        owner = organizations.get(row.get("link_id", "")) or services.get(row.get("link_id", ""))
        term = terms.get(row.get("taxonomy_term_id", ""))
        if owner is None:
            orphan("attribute", number, "link_id names no organization or service")
        elif row.get("taxonomy_term_id") and term is None:
            orphan("attribute", number, "taxonomy_term_id names no term in the package")
        else:
            attach(owner, "attributes", row | ({"taxonomy_term": term} if term else {}))
    return Package(
        numbered["organization"],
        numbered["service"],
        report,
        (csv_name("organization"), csv_name("service")),
    )


def json_package(files: dict[str, str]) -> "Package":
    """The compiled ``organization`` and ``service`` rows of a JSON data package
    (``organization.json``, ``service.json``: JSON arrays), and what is wrong with the files."""
    report: list[str] = []
    found: list[list[Any]] = []
    for name in ("organization.json", "service.json"):
        rows: Any = []
        if name in files:
            try:
                rows = json.loads(files[name])
            except json.JSONDecodeError as error:
                report.append(f"{name}: not a JSON file ({error})")
            if not isinstance(rows, list):
                report.append(f"{name}: not a JSON array of rows")
                rows = []
        found.append(list(enumerate(rows, start=1)))
    return Package(found[0], found[1], report, ("organization.json", "service.json"))


@dataclass
class Package:
    """A foreign data package read: its compiled ``organization`` and ``service`` rows,
    each with its row number in its file, what is wrong with the files already, and the
    names of the two files (for the report)."""

    organizations: list[tuple[int, Any]]
    services: list[tuple[int, Any]]
    problems: list[str]
    files: tuple[str, str]


def read_package(files: dict[str, str]) -> Package:
    """A data package in either form (``files``: each file's text by its name). The JSON
    form wins when a package has both."""
    if "organization.json" in files or "service.json" in files:
        return json_package(files)
    if csv_name("organization") in files or csv_name("service") in files:
        return csv_package(files)
    problem = "the package has neither organization.json nor organizations.csv"
    return Package([], [], [problem], ("organization.json", "service.json"))


def package_files(names: Iterable[str]) -> set[str]:
    """The names of the files a data package may have (both forms)."""
    known = {f"{table}.json" for table in TABLES} | {csv_name(table) for table in TABLES}
    return set(names) & known


MAX_FILE = 20 * 1024 * 1024  # bytes of one unpacked file of a package


def unpacked(data: bytes) -> tuple[dict[str, str], list[str]]:
    """The files of a data package sent as a zip (at its top or in one folder), by name,
    as text; and what is wrong with the zip. Files that are no HSDS table are left."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return {}, ["the file is not a zip archive"]
    files: dict[str, str] = {}
    wrong: list[str] = []
    with archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename).name
            if info.is_dir() or not package_files([name]):
                continue
            if name in files:
                wrong.append(f"{name}: the archive has it twice")
            elif info.file_size > MAX_FILE:
                wrong.append(f"{name}: larger than {MAX_FILE // 1024 // 1024} MB")
            else:
                try:
                    files[name] = archive.read(info).decode("utf-8-sig")
                except UnicodeDecodeError:
                    wrong.append(f"{name}: not UTF-8 text")
                except (
                    zipfile.BadZipFile,
                    zlib.error,
                    EOFError,
                    RuntimeError,
                    NotImplementedError,
                ):
                    # Damaged, encrypted, or packed in a way we do not read.
                    wrong.append(f"{name}: cannot be unpacked")
    return files, wrong
