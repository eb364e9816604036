"""``manage.py consistency_check`` — rows without their sealed files, files without rows,
stale blind indexes, stays that share a night (``ostoja.home.consistency``). Lists each
finding (model, code, what is wrong; never a value) and exits 1 when there is any."""

from typing import Any

from django.core.management.base import BaseCommand

from ostoja.home import consistency


class Command(BaseCommand):
    help = "Check the database against the sealed files and itself; exit 1 on any finding."

    def handle(self, *args: Any, **options: Any) -> None:
        findings = consistency.run()
        for finding in findings:
            self.stdout.write(finding.line())
        if findings:
            self.stderr.write(f"{len(findings)} inconsistencies found.")
            raise SystemExit(1)
        self.stdout.write("Consistent.")
