"""Reference data: version 1 of the red-flag checklist, from
``prevention/reference/red_flags_1.json`` (its sources are in the file). Idempotent; a new
shipped version gets a migration of its own."""

from django.db import migrations

from ostoja.prevention.reference import load_catalogue, read_shipped


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    FlagCatalogue = apps.get_model("prevention", "FlagCatalogue")
    Flag = apps.get_model("prevention", "Flag")
    data = read_shipped()
    if FlagCatalogue.objects.filter(version=data["version"]).exists():
        return
    load_catalogue(data, catalogue_model=FlagCatalogue, flag_model=Flag)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    FlagCatalogue = apps.get_model("prevention", "FlagCatalogue")
    FlagCatalogue.objects.filter(version=read_shipped()["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
