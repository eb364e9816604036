"""The migration linter (issue #20, zero-downtime upgrades): an operation that would lock a
busy PostgreSQL table, or break the processes of the previous release still running while
the new release migrates, is refused before it reaches a server.

An upgrade runs ``migrate`` with the new code while the old web processes still serve
(README "Upgrading"). So a migration must leave a database the old code can still use, and
must not hold a lock that stops every request while PostgreSQL rewrites or scans a table:

* a column added ``NOT NULL`` needs a default kept *in the database* (``db_default``):
  Django's ``default`` is dropped after the column is filled, and the old code's INSERTs,
  which do not name the column, then fail;
* a column or table removed or renamed is still read by the old code: remove it a release
  after the code stopped using it;
* an index built without ``CONCURRENTLY`` (``AddIndex``, ``db_index``/``unique`` turned on, a
  foreign key added — Django indexes it), a unique or check constraint added, ``SET NOT
  NULL`` or a column's type changed each hold a lock that blocks writes (or reads) for as
  long as the table takes to scan or rewrite;
* raw SQL that does any of that.

Operations on a table created in the same migration are free (it is empty and unknown to the
old code). A migration that must do one of these anyway says why in a class attribute
``unsafe_allowed = "…"`` (e.g. a table created in the same release, still empty); those
that existed before the linter are listed in a baseline file
(``ostoja/home/migration_baseline.txt``).

Operations are read with the project's migration state before each of them (what a field
was before ``AlterField``), so the check needs no database and works the same on SQLite.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import migrations, models
from django.db.migrations.migration import Migration
from django.db.migrations.state import ProjectState

REMOVING = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)
# Raw SQL that locks or rewrites a table: an index built without CONCURRENTLY, a column
# added, set NOT NULL, retyped, renamed or dropped, a constraint added.
RISKY_SQL = re.compile(
    r"CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)"
    r"|ALTER\s+TABLE\b.*\b(ADD\s+COLUMN|SET\s+NOT\s+NULL|TYPE\b|RENAME|DROP\s+COLUMN|ADD\s+CONSTRAINT)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Problem:
    migration: str  # "app.name"
    operation: str
    reason: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation}: {self.reason}"


def problems(migration: Migration, state: ProjectState) -> list[Problem]:
    """What in ``migration`` would lock a table or break the previous release, given the
    project ``state`` before it. ``state`` is advanced through the migration's operations."""
    label = f"{migration.app_label}.{migration.name}"
    created: set[str] = set()  # models created by this migration: empty, unknown to old code
    found = []
    for operation in migration.operations:
        reason = _reason(migration.app_label, operation, state, created)
        if reason:
            found.append(Problem(label, operation.describe(), reason))
        if isinstance(operation, migrations.CreateModel):
            created.add(operation.name_lower)
        operation.state_forwards(migration.app_label, state)
    return found


def _reason(app: str, operation: object, state: ProjectState, created: set[str]) -> str:
    if isinstance(operation, migrations.RunSQL):
        return _sql_reason(operation)
    if isinstance(operation, REMOVING):
        return (
            "removes or renames what the previous release's processes still read: remove it "
            "in a later release, once no running code uses it"
        )
    model = getattr(operation, "model_name_lower", None) or getattr(operation, "name_lower", "")
    if model in created or isinstance(operation, migrations.CreateModel):
        return ""
    if isinstance(operation, migrations.AddField):
        return _add_field_reason(operation.field)
    if isinstance(operation, migrations.AlterField):
        before = state.models[app, operation.model_name_lower].fields[operation.name]
        return _alter_field_reason(before, operation.field)
    if isinstance(operation, migrations.AddIndex):
        return "builds an index without CONCURRENTLY: use AddIndexConcurrently"
    if isinstance(operation, migrations.AddConstraint):
        return "adds a constraint that is checked under a lock on the whole table"
    if isinstance(operation, migrations.AlterUniqueTogether | migrations.AlterIndexTogether):
        return "builds an index without CONCURRENTLY"
    return ""


def _indexed(field: "models.Field[Any, Any]") -> bool:
    # ``db_index`` is a constructor argument kept on the field (the stubs do not declare it).
    indexed = getattr(field, "db_index", False) or field.unique
    return bool(indexed) and not field.many_to_many


def _add_field_reason(field: "models.Field[Any, Any]") -> str:
    if field.many_to_many:
        return ""
    if not field.null and field.db_default is models.NOT_PROVIDED:
        return (
            "adds a NOT NULL column without a database default (db_default): the previous "
            "release's INSERTs, which do not name it, would fail"
        )
    if _indexed(field):
        return "indexes the new column without CONCURRENTLY (db_index=False, then an index)"
    return ""


def _alter_field_reason(before: "models.Field[Any, Any]", after: "models.Field[Any, Any]") -> str:
    if before.get_internal_type() != after.get_internal_type() or (
        before.is_relation and before.related_model != after.related_model
    ):
        return "changes the column's type: the table is rewritten under an exclusive lock"
    if (after.max_length or 0) < (before.max_length or 0) or _digits(after) != _digits(before):
        return "narrows or retypes the column: the table is rewritten under an exclusive lock"
    if before.null and not after.null:
        return "sets NOT NULL: the whole table is scanned under an exclusive lock"
    if _indexed(after) and not _indexed(before):
        return "builds an index without CONCURRENTLY"
    return ""


def _digits(field: "models.Field[Any, Any]") -> tuple[object, object]:
    return getattr(field, "max_digits", None), getattr(field, "decimal_places", None)


def _sql_reason(operation: migrations.RunSQL) -> str:
    sql = operation.sql
    statements = [sql] if isinstance(sql, str) else [str(s) for s in sql]
    if any(RISKY_SQL.search(statement) for statement in statements):
        return "raw SQL that builds an index without CONCURRENTLY or alters a table"
    return ""
