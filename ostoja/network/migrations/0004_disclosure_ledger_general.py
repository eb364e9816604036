"""The disclosure ledger for everything that leaves the centre, not only referrals: the
person, the case, the partner and the consent become optional (a statistics export is about
nobody; a summary for the police goes to a unit typed by hand; a subject-access export rests
on the person's request), with the kind, the legal basis, the channel, a typed recipient and
a period. Existing rows were all referrals under a consent: their kind and basis say so, and
their channel is e-mail where an address was recorded (else they were handed over)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q


def referrals_were_referrals(apps, schema_editor):  # type: ignore[no-untyped-def]
    Disclosure = apps.get_model("network", "Disclosure")
    Disclosure.objects.all().update(kind="referral", basis="consent")
    Disclosure.objects.filter(sent_to="").update(channel="handed_over")
    Disclosure.objects.exclude(sent_to="").update(channel="email")


class Migration(migrations.Migration):
    # The ledger changes shape (fields renamed, a kind, basis and channel every row needs):
    # the previous release's referral service cannot write it. This release is installed
    # with the web processes stopped around ``migrate`` (``deploy/install.sh`` does), a
    # short outage instead of referrals failing during the upgrade.
    unsafe_allowed = "the ledger changes shape: migrated with the web processes stopped"

    dependencies = [
        ("network", "0003_partner_country"),
        ("people", "0001_initial"),
        ("cases", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="disclosure", old_name="client", new_name="person"),
        migrations.RenameField(model_name="disclosure", old_name="shares", new_name="parts"),
        migrations.AlterField(
            model_name="disclosure",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="people.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="cases.case",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="disclosures",
                to="network.partner",
                verbose_name="recipient",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="consent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="cases.consent",
                verbose_name="consent",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="document",
            field=models.CharField(blank=True, max_length=200, verbose_name="document"),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="kind",
            field=models.CharField(
                choices=[
                    ("referral", "Referral to a partner"),
                    ("case_summary", "Referral summary of a case"),
                    ("assessment_summary", "Identification assessment summary"),
                    ("subject_access", "Subject-access export"),
                    ("statistics", "Statistics export"),
                    ("annual_report", "Annual report"),
                    ("other", "Other disclosure"),
                ],
                default="referral",
                max_length=20,
                verbose_name="what was disclosed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="disclosure",
            name="recipient",
            field=models.CharField(blank=True, max_length=200, verbose_name="recipient"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="basis",
            field=models.CharField(
                choices=[
                    ("consent", "The person's consent (Art. 6(1)(a), 9(2)(a) GDPR)"),
                    ("legal_obligation", "A legal obligation (Art. 6(1)(c) GDPR)"),
                    ("vital_interests", "Vital interests (Art. 6(1)(d), 9(2)(c) GDPR)"),
                    ("public_task", "A task in the public interest (Art. 6(1)(e) GDPR)"),
                    ("legal_claims", "Legal claims (Art. 9(2)(f) GDPR)"),
                    ("subject_request", "The data subject's own request (Art. 15 GDPR)"),
                    (
                        "statistics",
                        "Statistics: anonymised or pseudonymised (Art. 89 GDPR)",
                    ),
                ],
                default="consent",
                max_length=20,
                verbose_name="legal basis",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="disclosure",
            name="channel",
            field=models.CharField(
                choices=[
                    ("email", "By e-mail"),
                    ("download", "Downloaded to hand over"),
                    ("handed_over", "Handed over"),
                ],
                default="email",
                max_length=12,
                verbose_name="channel",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="disclosure",
            name="period_start",
            field=models.DateField(blank=True, null=True, verbose_name="period from"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="period_end",
            field=models.DateField(blank=True, null=True, verbose_name="period until"),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                fields=["organisation", "person", "at"], name="disclosure_person_at"
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(recipient=""),
                name="disclosure_has_recipient",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=~Q(basis="consent") | Q(consent__isnull=False),
                name="disclosure_consent_named",
            ),
        ),
        # Last: on PostgreSQL the rows it updates leave trigger events pending, and no index or
        # constraint may be built after them in the same transaction.
        migrations.RunPython(referrals_were_referrals, migrations.RunPython.noop),
    ]
