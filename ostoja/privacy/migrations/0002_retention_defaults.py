"""The instance's default retention schedules: sensible starting values, informed by
Polish law, that the data protection officer must confirm or change (README: Retention).
Each basis is written in Polish, as the DPO's register keeps it."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    (
        "case",
        10,
        "years",
        60,
        "Art. 5 ust. 1 lit. e RODO (ograniczenie przechowywania). Sprawa zamknięta: 10 lat "
        "od zamknięcia – roszczenia pokrzywdzonego o naprawienie szkody wyrządzonej "
        "przestępstwem przedawniają się najwcześniej po 10 latach (art. 442¹ k.c.), "
        "dokumentacja finansowana z dotacji i księgowa – co najmniej 5 lat (art. 74 ustawy "
        "o rachunkowości). Dłużej tylko z blokadą prawną (toczące się postępowanie z art. "
        "189a k.k., żądanie sądu). Wartość domyślna – do zatwierdzenia przez IOD.",
    ),
    (
        "person",
        3,
        "years",
        30,
        "Art. 5 ust. 1 lit. c i e RODO. Osoba bez sprawy (osoba powiązana, zgłaszająca): "
        "3 lata od zarejestrowania, o ile nikt z nią powiązany nie ma sprawy, która jest "
        "jeszcze przechowywana. Wartość domyślna – do zatwierdzenia przez IOD.",
    ),
    (
        "contact",
        24,
        "months",
        0,
        "Art. 5 ust. 1 lit. e RODO. Kontakt z infolinią niepowiązany z osobą ani sprawą: "
        "24 miesiące – ciągłość pomocy osobie dzwoniącej ponownie i sprawozdawczość roczna; "
        "pola statystyczne (kanał, cel, język, data) zostają. Wartość domyślna – do "
        "zatwierdzenia przez IOD.",
    ),
    (
        "portal",
        90,
        "days",
        0,
        "Art. 5 ust. 1 lit. c i e RODO. Anonimowe zgłoszenie z portalu bez wiadomości od 90 "
        "dni i niepowiązane z żadnym rekordem: usuwane w całości. Wartość domyślna – do "
        "zatwierdzenia przez IOD.",
    ),
    (
        "audit",
        5,
        "years",
        0,
        "Art. 5 ust. 2 RODO (rozliczalność) i art. 32 RODO. Wpisy rejestru zdarzeń zostają "
        "(kto, kiedy, co), ich dane (kody, nazwy pól) są usuwane po 5 latach. Wartość "
        "domyślna – do zatwierdzenia przez IOD.",
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    schedule = apps.get_model("privacy", "RetentionSchedule")
    for kind, length, unit, warn_days, basis in DEFAULTS:
        schedule.objects.update_or_create(
            organisation=None,
            kind=kind,
            defaults={"length": length, "unit": unit, "warn_days": warn_days, "basis": basis},
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("privacy", "RetentionSchedule").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention")]

    operations = [migrations.RunPython(seed, unseed)]
