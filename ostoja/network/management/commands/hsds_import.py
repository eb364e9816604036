"""``manage.py hsds_import DIR`` — partners and services from an HSDS 3.0 data package in
the JSON form (``organization.json`` and, if there is one, ``service.json``: JSON arrays of
compiled rows) or the CSV form (``organizations.csv``, ``services.csv``, ``locations.csv``,
``addresses.csv``, ``phones.csv``, ``contacts.csv``… as the schemas name them). All or
nothing: if any row is refused, the report says which and why, and nothing is imported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.network import hsds
from ostoja.network.management.commands.hsds_export import organisation_of
from ostoja.network.services import ImportRefused, directory_import


class Command(BaseCommand):
    help = "Import partners and services from an HSDS 3.0 data package (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--organisation", help="its short code (e.g. KCIK)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_of(options["organisation"])
        folder: Path = options["folder"]
        names = hsds.package_files(p.name for p in folder.iterdir()) if folder.is_dir() else set()
        if not names:
            raise CommandError(f"{folder}: no organization.json nor organizations.csv")
        files, wrong = {}, []
        for name in sorted(names):
            try:
                files[name] = (folder / name).read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                wrong.append(f"{name}: not UTF-8 text")
        package = hsds.read_package(files)
        package.problems[:0] = wrong
        try:
            counts = directory_import(organisation=organisation, package=package, acting_user=None)
        except ImportRefused as refused:
            raise CommandError("Nothing imported. Refused:\n" + "\n".join(refused.report)) from None
        self.stdout.write(
            "Imported: {added} partners added, {changed} brought up to date, "
            "{services} services.".format(**counts)
        )
