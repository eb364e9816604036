"""Seal the break-the-glass explanation (free text: staff may write client details in it).

The plain column is renamed, a sealed one added under the old name (a sealed value is bound
to its table, column and row), every explanation sealed into it, the plain one dropped."""

from typing import Any

from django.db import migrations

import ostoja.lib.crypto.fields


def seal(apps: Any, schema_editor: Any) -> None:
    grants = apps.get_model("accounts", "AccessGrant")
    for grant in grants.objects.using(schema_editor.connection.alias).iterator():
        grant.explanation = grant.explanation_plain
        grant.save(update_fields=["explanation"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_office_hours")]

    operations = [
        migrations.RenameField("accessgrant", "explanation", "explanation_plain"),
        migrations.AddField(
            model_name="accessgrant",
            name="explanation",
            field=ostoja.lib.crypto.fields.EncryptedTextField(
                blank=True, max_length=1000, null=True, verbose_name="explanation"
            ),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
        migrations.RemoveField("accessgrant", "explanation_plain"),
    ]
