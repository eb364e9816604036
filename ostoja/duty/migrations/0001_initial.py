"""The roster moves here from ``interventions`` (where ``0001_initial`` made it), keeping its
rows: the four models are created in the migration state only, over the existing tables
``interventions_*``; then the tables are renamed ``duty_*``, the shifts' index renamed after
its new table, and the sealed values re-sealed — a sealed value is bound to its table (the
duty phone's number, a shift's handover notes). ``interventions.0002_roster_to_duty`` then
drops the four models from that app's state (not from the database). Reversible."""

import uuid
from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import ostoja.lib.crypto.fields
from ostoja.lib.crypto.aead import open_sealed, seal

MODELS = ["dutyphone", "dutysettings", "shift", "swaprequest"]
# The sealed columns of each model.
SEALED = {"dutyphone": ["number"], "shift": ["handover"]}


def _reseal(apps: Any, schema_editor: Any, old: str, new: str) -> None:
    """Open each sealed value as bound to table ``<old>_<model>`` and seal it for
    ``<new>_<model>`` (same plaintext, same row, the newest key)."""
    alias = schema_editor.connection.alias
    for name, columns in SEALED.items():
        model = apps.get_model("duty", name)
        rows = model.objects.using(alias).values_list("pk", "code", *columns)
        for pk, code, *values in rows.iterator():
            changes = {}
            for column, value in zip(columns, values, strict=True):
                if value is None:
                    continue
                plain = open_sealed(
                    bytes(value), table=f"{old}_{name}", column=column, row=str(code)
                )
                again = seal(plain, table=f"{new}_{name}", column=column, row=str(code))
                changes[column] = ostoja.lib.crypto.fields.Sealed(again)
            if changes:
                model.objects.using(alias).filter(pk=pk).update(**changes)


def _relabel(apps: Any, schema_editor: Any, old: str, new: str) -> None:
    """The models' content types (made by an earlier ``migrate``) follow them."""
    content_types = apps.get_model("contenttypes", "ContentType").objects
    content_types = content_types.using(schema_editor.connection.alias)
    for name in MODELS:
        if not content_types.filter(app_label=new, model=name).exists():
            content_types.filter(app_label=old, model=name).update(app_label=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    _reseal(apps, schema_editor, "interventions", "duty")
    _relabel(apps, schema_editor, "interventions", "duty")


def backwards(apps: Any, schema_editor: Any) -> None:
    _reseal(apps, schema_editor, "duty", "interventions")
    _relabel(apps, schema_editor, "duty", "interventions")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # What ``interventions.0001_initial`` needed: rewinding a later accounts migration
        # (accounts/tests/test_migrations.py) must not unapply the roster.
        ("accounts", "0003_office_hours"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("interventions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DutyPhone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "number",
                            ostoja.lib.crypto.fields.EncryptedCharField(
                                blank=True,
                                editable=True,
                                max_length=40,
                                null=True,
                                verbose_name="duty phone",
                            ),
                        ),
                        ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="duty_phone",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "interventions_dutyphone"},
                ),
                migrations.CreateModel(
                    name="DutySettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "acknowledge_minutes",
                            models.PositiveSmallIntegerField(
                                default=10,
                                verbose_name="minutes to acknowledge before the next person is called",
                            ),
                        ),
                        (
                            "idle_minutes",
                            models.PositiveSmallIntegerField(
                                default=30,
                                verbose_name="minutes without an action before a reminder",
                            ),
                        ),
                        (
                            "organisation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="duty_settings",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={"db_table": "interventions_dutysettings"},
                ),
                migrations.CreateModel(
                    name="Shift",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, unique=True, verbose_name="code"
                            ),
                        ),
                        ("start", models.DateTimeField(verbose_name="from")),
                        ("end", models.DateTimeField(verbose_name="until")),
                        (
                            "handover",
                            ostoja.lib.crypto.fields.EncryptedTextField(
                                blank=True, editable=True, null=True, verbose_name="handover notes"
                            ),
                        ),
                        (
                            "backup",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="backup_shifts",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="backup",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                        (
                            "primary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="primary_shifts",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="on duty",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "duty shift",
                        "verbose_name_plural": "duty shifts",
                        "ordering": ["start"],
                        "db_table": "interventions_shift",
                        "indexes": [
                            models.Index(
                                fields=["organisation", "start", "end"],
                                name="interventio_organis_c331d5_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("end__gt", models.F("start"))),
                                name="shift_ends_after_start",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SwapRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Waiting"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "asked",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="swap_requests",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="colleague",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "shift",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="swaps",
                                to="duty.shift",
                            ),
                        ),
                    ],
                    options={"db_table": "interventions_swaprequest"},
                ),
            ],
            database_operations=[],
        ),
        # The tables take the app's name (the swap requests' key to the shifts follows).
        migrations.AlterModelTable(name="dutyphone", table=None),
        migrations.AlterModelTable(name="dutysettings", table=None),
        migrations.AlterModelTable(name="shift", table=None),
        migrations.AlterModelTable(name="swaprequest", table=None),
        migrations.RenameIndex(
            model_name="shift",
            new_name="duty_shift_organis_d57fd5_idx",
            old_name="interventio_organis_c331d5_idx",
        ),
        migrations.RunPython(forwards, backwards),
    ]
