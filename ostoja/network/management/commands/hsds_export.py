"""``manage.py hsds_export DIR`` — the partner directory as an Open Referral HSDS 3.0 data
package: ``organization.json``, ``service.json``, ``location.json`` … (JSON arrays) and
the CSV form (``organizations.csv`` …), every row checked against the official schemas."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.accounts.models import Organisation
from ostoja.network.services import ImportRefused, directory_export


def organisation_of(short_code: str | None) -> Organisation:
    """The organisation named by ``--organisation``, or the only one there is."""
    found = (
        Organisation.objects.filter(short_code=short_code)
        if short_code
        else Organisation.objects.all()
    )
    if found.count() != 1:
        raise CommandError("Name the organisation: --organisation SHORT_CODE")
    return found.get()


class Command(BaseCommand):
    help = "Export the partner directory as an HSDS 3.0 data package (JSON and CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--organisation", help="its short code (e.g. KCIK)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_of(options["organisation"])
        try:
            written = directory_export(
                organisation=organisation, folder=options["folder"], acting_user=None
            )
        except ImportRefused as refused:
            raise CommandError("\n".join(refused.report)) from None
        self.stdout.write(f"{len(written)} files written to {options['folder']}.")
