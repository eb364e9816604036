"""Reference data: the legal periods deadlines are computed from (DOMAIN.md §5.3).

The presumed-victim certificate (ustawa z 12 grudnia 2013 r. o cudzoziemcach, art. 170) is
valid 3 months from its issue, 4 for a minor (art. 172 ust. 2) [V]; the reflection period
coincides with it [S]. The act has been in force since 1 May 2014. Coordinators may add a
newer row when the law changes; a deadline keeps the row it was computed from.
"""

import datetime as dt

from django.db import migrations

PERIODS = [
    {
        "kind": "reflection",
        "months_adult": 3,
        "months_minor": 4,
        "source": "Ustawa z 12 grudnia 2013 r. o cudzoziemcach, art. 170 i art. 172 ust. 2",
        "valid_from": dt.date(2014, 5, 1),
    }
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    LegalPeriod = apps.get_model("cases", "LegalPeriod")
    for period in PERIODS:
        LegalPeriod.objects.get_or_create(**period)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
