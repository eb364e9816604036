"""The partner directory as an Open Referral HSDS 3.0 data package (DOMAIN.md §7).

``directory_package`` gives each HSDS table as a list of rows: ``organization`` and
``service`` shaped as the compiled schemas (``schema/compiled/organization.json``,
``service.json``: a row with its phones, locations, contacts, languages, areas, schedules
and taxonomy attributes nested), every other table flat, as its own schema
(``schema/location.json`` …). Every row is checked against the official schemas, copied
unchanged into ``standards/hsds-3.0`` — never a schema of our own.

Identifiers: a partner, a service and a person at a partner keep their codes; the rows
that have no record of their own (a partner's seat as a location, its address, a phone, a
language of a service) get a UUID derived from their owner's code (``uuid5``), so the same
directory always exports the same identifiers.

The kinds of partner and of service go out as two taxonomies of our own, with one
``attribute`` row linking each organisation and service to its term; an import reads them
back from the nested ``taxonomy_term``.
"""

import csv
import datetime as dt
import functools
import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils import translation
from jsonschema import Draft202012Validator

from ostoja.lib.iso import language_name
from ostoja.network.models import Partner, PartnerContact, PartnerService
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


def _location(partner: Partner) -> dict[str, Any] | None:
    """A partner's seat, with its address, when the directory knows where it is."""
    if not partner.city:
        return None
    code = str(partner.code)
    location_id = _id(code, "location")
    address = {
        "id": _id(code, "address"),
        "location_id": location_id,
        "address_1": partner.address,
        "city": partner.city,
        "state_province": partner.get_voivodeship_display() if partner.voivodeship else "",
        "postal_code": partner.postal_code,
        "country": "PL",
        "address_type": "physical",
    }
    return _row(
        id=location_id,
        location_type="physical",
        organization_id=code,
        name=partner.name,
        addresses=[address],
    )


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
        phones=_phone(code, partner.phone, organization_id=code),
        contacts=[_contact(contact) for contact in partner.contacts.all()],
        locations=[location] if location else [],
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
    """Every HSDS table of ``partners`` (prefetch their services and contacts)."""
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
            if location:
                tables["location"].append(_flat("location", location))
                tables["address"].extend(location["addresses"])
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


def _time(raw: str) -> dt.time | None:
    """A time as HSDS writes it (``09:00``, ``09:00Z``, ``09:00-05:00``), as on the wall
    clock; ``None`` if it is none."""
    try:
        return dt.time.fromisoformat(raw[:5])
    except ValueError:
        return None


def _limits(row: dict[str, Any], limits: dict[str, int]) -> list[str]:
    return [
        f"{name}: longer than {limit} characters"
        for name, limit in limits.items()
        if len(str(row.get(name) or "")) > limit
    ]


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
        "phone": next((p["number"] for p in row.get("phones") or []), "")[:32],
        "voivodeship": "",
        "city": "",
        "address": "",
        "postal_code": "",
        "contacts": [],
    }
    addresses = [a for loc in row.get("locations") or [] for a in loc.get("addresses") or []]
    if addresses:
        address = addresses[0]
        voivodeship = _voivodeship(address["state_province"])
        if address["country"].upper() == "PL" and address["state_province"] and not voivodeship:
            wrong.append(f"state_province: {address['state_province']!r} is no voivodeship")
        data |= {
            "voivodeship": voivodeship or "",
            "city": address["city"][:100],
            "address": address["address_1"][:200],
            "postal_code": address["postal_code"][:10],
        }
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
