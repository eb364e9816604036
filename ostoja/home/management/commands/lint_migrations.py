"""``manage.py lint_migrations`` — refuse a migration that would lock a busy PostgreSQL table
or break the previous release's processes during an upgrade (``ostoja.lib.migration_lint``;
README "Upgrading"). Part of ``make test``.

Every migration of Ostoja's own apps is read with the project's state before it; one that a
rule flags fails the command unless it says why in ``unsafe_allowed = "…"`` or is listed in
the baseline (the migrations that existed before the linter, grandfathered)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from ostoja.lib.migration_lint import Problem, problems

BASELINE = Path(__file__).resolve().parents[2] / "migration_baseline.txt"


def read_baseline(path: Path) -> set[str]:
    """The grandfathered migrations: ``app.name`` a line, ``#`` comments."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {line.split("#")[0].strip() for line in lines} - {""}


def lint(grandfathered: set[str]) -> tuple[list[Problem], int]:
    """The problems of every migration of the project's own apps, and how many were read."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app.split(".")[-1] for app in settings.INSTALLED_APPS if app.startswith("ostoja.")}
    found: list[Problem] = []
    read = 0
    for app, name in sorted(loader.disk_migrations):
        if app not in ours:
            continue
        read += 1
        migration = loader.disk_migrations[app, name]
        if getattr(migration, "unsafe_allowed", "") or f"{app}.{name}" in grandfathered:
            continue
        if migration.initial:  # the app's tables are created: nothing runs against them yet
            continue
        state = loader.project_state((app, name), at_end=False)
        found.extend(problems(migration, state))
    return found, read


class Command(BaseCommand):
    help = "Check the migrations for operations that lock tables or break the running release."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--baseline", type=Path, default=BASELINE)

    def handle(self, *args: Any, baseline: Path, **options: Any) -> None:
        found, read = lint(read_baseline(baseline))
        if found:
            listed = "\n".join(f"  - {problem}" for problem in found)
            raise CommandError(
                f"{len(found)} unsafe migration operation(s) (ostoja/lib/migration_lint.py; "
                f"say why in the migration's unsafe_allowed = '…' if it must be):\n{listed}"
            )
        self.stdout.write(f"Migrations checked: {read}, none unsafe.")
