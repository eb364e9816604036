"""A year of synthetic helpline contacts shaped like the centre's (DOMAIN.md §6, 2012:
7,098 phone contacts, 1,614 consultations for institutions, 393 preventive consultations).
Never real people: numbers are random, notes are stock phrases."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from ostoja.accounts.models import Organisation, User
from ostoja.helpline.models import Contact, ContactLanguage, ContactPurpose, purpose_bit
from ostoja.helpline.rollups import tallied

C = Contact
SHAPE = [  # (how many, caller types, purposes, urgency weights)
    (
        5200,
        [
            C.CallerType.VICTIM,
            C.CallerType.PRESUMED_VICTIM,
            C.CallerType.RELATIVE,
            C.CallerType.AT_RISK,
            C.CallerType.OTHER,
        ],
        [
            C.Purpose.INFORMATION,
            C.Purpose.IDENTIFICATION,
            C.Purpose.LEGAL,
            C.Purpose.HEALTH,
            C.Purpose.SHELTER,
            C.Purpose.NOT_TRAFFICKING,
            C.Purpose.SILENT,
        ],
        (2, 8, 90),
    ),
    (
        1898,
        [C.CallerType.VICTIM, C.CallerType.PRESUMED_VICTIM, C.CallerType.RELATIVE],
        [C.Purpose.INTERVENTION, C.Purpose.IDENTIFICATION, C.Purpose.SHELTER],
        (25, 35, 40),
    ),
    (
        1614,
        [
            C.CallerType.POLICE,
            C.CallerType.BORDER_GUARD,
            C.CallerType.PROSECUTOR,
            C.CallerType.SOCIAL_SERVICES,
            C.CallerType.NGO,
            C.CallerType.CONSULATE,
            C.CallerType.LABOUR_INSPECTORATE,
        ],
        [C.Purpose.INSTITUTION, C.Purpose.LEGAL],
        (3, 17, 80),
    ),
    (393, [C.CallerType.GOING_ABROAD], [C.Purpose.PREVENTION], (0, 5, 95)),
]
CHANNELS = (
    [C.Channel.PHONE] * 85
    + [C.Channel.EMAIL] * 8
    + [C.Channel.SMS] * 4
    + [C.Channel.WEB] * 2
    + [C.Channel.LETTER]
)
LANGUAGES = (
    ["pol"] * 70 + ["ukr"] * 12 + ["eng"] * 8 + ["rus"] * 4 + ["vie"] * 3 + ["ron", "bul", "fra"]
)
NOTES = [
    "Pyta o legalność oferty pracy za granicą; omówiono sygnały ostrzegawcze.",
    "Zgłasza zatrzymanie dokumentów przez pracodawcę; ustalono bezpieczny kontakt.",
    "Konsultacja dla instytucji: procedura identyfikacji i zaświadczenie.",
    "Rodzina nie ma kontaktu z bliską osobą od tygodnia; przekazano informacje.",
    "Spór pracowniczy bez znamion handlu ludźmi; skierowano do PIP.",
    "Prośba o schronienie na dziś; uzgodniono oddzwonienie po konsultacji.",
]


def build(
    organisation: Organisation,
    staff: list[User],
    *,
    today: dt.date,
    seed: int = 2026,
    scale: int = 1,
) -> int:
    """Create the year of contacts ending ``today`` (``scale`` times as many, for the
    benchmark); returns how many."""
    now = dt.datetime.now(ZoneInfo(organisation.time_zone))
    rng = random.Random(seed)  # noqa: S311  # synthetic demo data, reproducible on purpose
    zone = ZoneInfo(organisation.time_zone)
    regulars = [f"+48 5{rng.randrange(10**7, 10**8)}" for _ in range(40)]
    contacts, purposes, languages = [], [], []
    for count, callers, reasons, urgency in SHAPE:
        for _ in range(count * scale):
            day = today - dt.timedelta(days=rng.randrange(365))
            office = rng.random() < 0.8
            hour = rng.randrange(9, 18) if office else rng.choice([6, 7, 20, 21, 22, 23, 2])
            started = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), zone)
            if started > now:  # today's contacts have all happened already
                started -= dt.timedelta(days=1)
            number = (
                rng.choice(regulars)
                if rng.random() < 0.15
                else f"+{rng.choice(['48', '380', '40', '84'])}{rng.randrange(10**8, 10**9)}"
            )
            contact = Contact(
                organisation=organisation,
                counsellor=rng.choice(staff),
                status=Contact.Status.COMPLETED,
                channel=rng.choice(CHANNELS),
                started_at=started,
                ended_at=started + dt.timedelta(minutes=rng.randrange(2, 40)),
                line=C.Line.OFFICE if organisation.is_office_time(started) else C.Line.DUTY,
                caller_type=rng.choice(callers),
                interpreter=rng.random() < 0.05,
                urgency=rng.choices(
                    [C.Urgency.EMERGENCY, C.Urgency.URGENT, C.Urgency.ROUTINE], weights=urgency
                )[0],
                outcome=rng.choice(C.Outcome.values),
                summary=rng.choice(NOTES),
                caller_number="" if rng.random() < 0.2 else number,
            )
            contacts.append(contact)
            # Consultations for institutions and preventive ones always carry that purpose.
            first = reasons[0] if len(reasons) <= 2 else rng.choice(reasons)
            chosen = {first} | ({rng.choice(reasons)} if rng.random() < 0.2 else set())
            purposes.append(chosen)
            contact.purpose_flags = sum(purpose_bit(p) for p in chosen)
            languages.append({rng.choice(LANGUAGES)})
    # A bulk load: the statistics' roll-up counts the new contacts in the same transaction.
    with transaction.atomic(), tallied() as counted:
        Contact.objects.bulk_create(contacts, batch_size=1000)
        ContactPurpose.objects.bulk_create(
            [
                ContactPurpose(contact=c, purpose=p)
                for c, ps in zip(contacts, purposes, strict=True)
                for p in ps
            ],
            batch_size=2000,
        )
        ContactLanguage.objects.bulk_create(
            [
                ContactLanguage(contact=c, language=x)
                for c, xs in zip(contacts, languages, strict=True)
                for x in xs
            ],
            batch_size=2000,
        )
        counted.extend(c.pk for c in contacts)
    return len(contacts)
