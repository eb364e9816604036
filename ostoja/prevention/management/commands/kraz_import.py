"""Import KRAZ, Poland's register of employment agencies, from the CSV it publishes:
``manage.py kraz_import rejestr.csv``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.prevention.kraz import KrazFormatError, kraz_import


class Command(BaseCommand):
    help = "Import the register of employment agencies (KRAZ) from its CSV export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            result = kraz_import(path.read_bytes())
        except (OSError, KrazFormatError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.created} agencies added, {result.updated} updated, "
            f"{result.skipped} rows without a number or name skipped."
        )
