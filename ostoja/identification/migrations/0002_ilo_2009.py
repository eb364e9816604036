"""Reference data: version 1 of the indicator catalogue, the ILO/EC operational indicators of
trafficking in human beings (2009), from ``identification/reference/ilo_2009.json``
(DOMAIN.md §1). The file records its sources and what is still unverified.

Idempotent: skipped when a catalogue of the file's version already exists (e.g. loaded by
hand before this migration ran). Coordinators add later versions through the application;
a new shipped version gets a migration of its own.
"""

from django.db import migrations

from ostoja.identification.reference import load_catalogue, read_shipped


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Catalogue = apps.get_model("identification", "Catalogue")
    Indicator = apps.get_model("identification", "Indicator")
    data = read_shipped()
    if Catalogue.objects.filter(version=data["version"]).exists():
        return
    load_catalogue(data, catalogue_model=Catalogue, indicator_model=Indicator)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    Catalogue = apps.get_model("identification", "Catalogue")
    Catalogue.objects.filter(version=read_shipped()["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("identification", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
