"""The migration linter (``manage.py lint_migrations``, ostoja.lib.migration_lint): a
migration that would lock a busy table or break the running release is flagged; safe ones
pass; the project's own migrations pass, the grandfathered ones only by the baseline."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from ostoja.home.management.commands.lint_migrations import BASELINE, read_baseline
from ostoja.lib.migration_lint import problems


def _state() -> ProjectState:
    """The project as the newest migration of ``people`` leaves it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaf = loader.graph.leaf_nodes("people")[0]
    return loader.project_state(leaf, at_end=True)


def _lint(*operations: migrations.operations.base.Operation) -> list[str]:
    migration = type("Migration", (migrations.Migration,), {"operations": list(operations)})(
        "0099_under_test", "people"
    )
    return [problem.reason for problem in problems(migration, _state())]


@pytest.mark.parametrize(
    "operation",
    [
        # NOT NULL without a default kept in the database: the old release's INSERTs fail.
        migrations.AddField("person", "nickname", models.CharField(max_length=20, default="")),
        # Removed or renamed while the old release still reads it.
        migrations.RemoveField("person", "safe_times"),
        migrations.RenameField("person", "safe_times", "safe_hours"),
        migrations.DeleteModel("relation"),
        # Indexes and constraints built under a lock.
        migrations.AddIndex("person", models.Index(fields=["kind"], name="person_kind_idx")),
        migrations.AddConstraint(
            "person",
            models.CheckConstraint(condition=models.Q(estimated_age__gte=0), name="age_ok"),
        ),
        migrations.AddField(
            "person", "tag", models.CharField(max_length=20, null=True, db_index=True)
        ),
        # Retyping, narrowing or SET NOT NULL.
        migrations.AlterField("person", "estimated_age", models.CharField(max_length=3)),
        migrations.AlterField("person", "kind", models.CharField(max_length=2)),
        migrations.AlterField(
            "person", "estimated_age", models.PositiveSmallIntegerField(default=0)
        ),
        migrations.RunSQL("CREATE INDEX person_x ON people_person (kind)"),
        migrations.RunSQL("ALTER TABLE people_person ALTER COLUMN kind SET NOT NULL"),
    ],
    ids=lambda operation: operation.describe(),
)
def test_it_flags_an_unsafe_operation(operation: migrations.operations.base.Operation) -> None:
    assert _lint(operation), operation.describe()


@pytest.mark.parametrize(
    "operation",
    [
        migrations.AddField(
            "person", "nickname", models.CharField(max_length=20, blank=True, null=True)
        ),
        migrations.AddField(
            "person", "visits", models.PositiveIntegerField(default=0, db_default=0)
        ),
        migrations.AlterField(
            "person", "kind", models.CharField(max_length=40, choices=[("client", "Client")])
        ),
        migrations.RunSQL("CREATE INDEX CONCURRENTLY person_x ON people_person (kind)"),
    ],
    ids=lambda operation: operation.describe(),
)
def test_it_passes_a_safe_operation(operation: migrations.operations.base.Operation) -> None:
    assert _lint(operation) == []


def test_a_new_table_may_be_built_at_once() -> None:
    """Indexes, constraints and NOT NULL columns of a table created in the same migration."""
    assert (
        _lint(
            migrations.CreateModel("Visit", [("id", models.BigAutoField(primary_key=True))]),
            migrations.AddField("visit", "when", models.DateTimeField()),
            migrations.AddIndex("visit", models.Index(fields=["when"], name="visit_when")),
        )
        == []
    )


def test_the_projects_migrations_pass_and_the_baseline_is_needed(tmp_path: Path) -> None:
    call_command("lint_migrations")
    grandfathered = read_baseline(BASELINE)
    assert "helpline.0003_list_indexes" in grandfathered
    # Without the baseline, the grandfathered ones are flagged (the check reads real files).
    empty = tmp_path / "baseline.txt"
    empty.write_text("# none\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("lint_migrations", baseline=empty)
    assert "helpline.0003_list_indexes: Create index" in str(refused.value)
    assert "optimistic_locking" not in str(refused.value)  # this issue's own pass
