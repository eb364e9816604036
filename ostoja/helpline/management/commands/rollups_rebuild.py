"""``manage.py rollups_rebuild [--organisation CODE] [--check]`` — count the statistics'
roll-up of helpline contacts afresh (after a bulk load, or a change of an organisation's
time zone), or with ``--check`` only say where it and a recount disagree (exit status 1)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.accounts.models import Organisation
from ostoja.helpline.rollups import differences
from ostoja.helpline.services import contact_tallies_rebuild


class Command(BaseCommand):
    help = "Recount the roll-up of helpline contacts the statistics read."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="its short code (default: every one)")
        parser.add_argument(
            "--check", action="store_true", help="only compare with a recount, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("short_code")
        if options["organisation"]:
            organisations = organisations.filter(short_code=options["organisation"])
            if not organisations.exists():
                raise CommandError("No organisation has that short code.")
        wrong = 0
        for organisation in organisations:
            if options["check"]:
                found = differences(organisation)
                wrong += len(found)
                for (_org, dimension, day, value), (kept, counted) in list(found.items())[:20]:
                    self.stdout.write(
                        f"{organisation.short_code} {day} {dimension} {value!r}: "
                        f"kept {kept}, counted {counted}"
                    )
                self.stdout.write(f"{organisation.short_code}: {len(found)} differences")
            else:
                rows = contact_tallies_rebuild(organisation=organisation, acting_user=None)
                self.stdout.write(f"{organisation.short_code}: {rows} rows")
        if wrong:
            raise CommandError(f"{wrong} rows of the roll-up differ from a recount.")
