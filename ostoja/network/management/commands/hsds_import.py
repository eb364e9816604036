"""``manage.py hsds_import DIR`` — partners and services from an HSDS 3.0 data package
(``organization.json`` and, if there is one, ``service.json``: JSON arrays of compiled
rows). All or nothing: if any row is refused, the report says which and why, and nothing
is imported."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.network.management.commands.hsds_export import organisation_of
from ostoja.network.services import ImportRefused, directory_import


def _rows(path: Path) -> list[Any]:
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path.name}: not a JSON file ({error})") from None
    if not isinstance(rows, list):
        raise CommandError(f"{path.name}: not a JSON array of rows")
    return rows


class Command(BaseCommand):
    help = "Import partners and services from an HSDS 3.0 data package (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--organisation", help="its short code (e.g. KCIK)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_of(options["organisation"])
        folder: Path = options["folder"]
        if not (folder / "organization.json").exists() and not (folder / "service.json").exists():
            raise CommandError(f"{folder}: no organization.json nor service.json")
        try:
            counts = directory_import(
                organisation=organisation,
                organizations=_rows(folder / "organization.json"),
                services=_rows(folder / "service.json"),
                acting_user=None,
            )
        except ImportRefused as refused:
            raise CommandError("Nothing imported. Refused:\n" + "\n".join(refused.report)) from None
        self.stdout.write(
            "Imported: {added} partners added, {changed} brought up to date, "
            "{services} services.".format(**counts)
        )
