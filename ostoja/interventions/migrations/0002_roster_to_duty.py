"""The roster (duty phones, escalation settings, shifts, swap requests) is the ``duty`` app's
now: ``duty.0001_initial`` took over these models' tables, so here they leave this app's
migration state only — nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
        ("duty", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SwapRequest"),
                migrations.DeleteModel(name="Shift"),
                migrations.DeleteModel(name="DutyPhone"),
                migrations.DeleteModel(name="DutySettings"),
            ],
            database_operations=[],
        ),
    ]
