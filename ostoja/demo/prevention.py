"""Demo pre-departure counselling (``manage.py demo``): five people going abroad to work,
their offers and red flags, the Polish consulates of their destinations in the partner
directory, and check-ins abroad in every state — running and answered OK, one missed,
one answered HELP and then STOP, one stopped by staff, one finished. People, numbers,
addresses and phone numbers are invented."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.network import services as network
from ostoja.network.models import Partner
from ostoja.network.vocabulary import PartnerKind, ServiceKind
from ostoja.prevention import services
from ostoja.prevention.checkins import new_token
from ostoja.prevention.models import CheckIn, CheckInSeries, Counselling, FlagCatalogue

# Polish consulates abroad, in the directory by their country (town, postal code, street,
# invented phone).
CONSULATES = {
    "DE": (
        "Konsulat Generalny RP w Hamburgu",
        "Hamburg",
        "22309",
        "Parkstraße 1",
        "+49 40 0000 101",
    ),
    "NL": (
        "Ambasada RP w Hadze — wydział konsularny",
        "Haga",
        "2517",
        "Alexanderstraat 2",
        "+31 70 000 0102",
    ),
    "GB": (
        "Konsulat Generalny RP w Manchesterze",
        "Manchester",
        "M1 1AA",
        "Oxford Road 3",
        "+44 161 000 0103",
    ),
    "NO": (
        "Ambasada RP w Oslo — wydział konsularny",
        "Oslo",
        "0244",
        "Olav Kyrres gate 4",
        "+47 2200 0104",
    ),
}

S = CheckIn.Status
# What the person answered, as they typed it.
REPLIES = {"ok": "OK", "help": "HELP", "stop": "STOP"}


@dataclass(frozen=True)
class Going:
    """One person's counselling and their check-ins: the answers so far, oldest first."""

    country: str
    city: str
    work: str
    language: str
    channel: str
    address: str  # the number or the e-mail address
    flags: tuple[str, ...]
    advice: str
    answers: tuple[str, ...]
    ending: str = ""  # a series' status if it has ended


PEOPLE = [
    Going(
        "NL",
        "Venlo",
        "agriculture",
        "uk",
        "sms",
        "+31 6 1000 0001",
        ("passport-kept", "fee-in-advance"),
        "Powiedziałam, że paszportu nie oddaje się nikomu, i dałam plan bezpieczeństwa.",
        (S.OK, S.SENT),
    ),
    Going(
        "DE",
        "Hamburg",
        "factory",
        "pl",
        "email",
        "anna.demo@example.invalid",
        ("no-written-contract",),
        "Umówiłyśmy się, że przed wyjazdem przyśle umowę do sprawdzenia.",
        (S.OK, S.MISSED, S.OK),
    ),
    Going(
        "GB",
        "Manchester",
        "hospitality",
        "vi",
        "sms",
        "+44 7700 900001",
        ("too-good", "messenger-only"),
        "Omówiliśmy przez tłumacza, jak sprawdzić pracodawcę.",
        (S.OK, S.HELP, S.STOP),
        CheckInSeries.Status.STOPPED_BY_REPLY,
    ),
    Going(
        "NO",
        "Stavanger",
        "construction",
        "ru",
        "sms",
        "+47 400 00 001",
        (),
        "Oferta wyglądała rzetelnie; dałem numery konsulatu.",
        (S.OK,),
        CheckInSeries.Status.STOPPED,
    ),
    Going(
        "DE",
        "Berlin",
        "care",
        "en",
        "email",
        "maria.demo@example.invalid",
        (),
        "Opiekunka osób starszych przez agencję z KRAZ; plan bezpieczeństwa przekazany.",
        (S.OK, S.OK, S.OK),
        CheckInSeries.Status.FINISHED,
    ),
]


def _consulates(organisation: Organisation, keeper: User) -> dict[str, Partner]:
    found = {}
    for country, (name, town, postal, street, phone) in CONSULATES.items():
        partner = network.partner_add(
            organisation=organisation,
            data={
                "name": name,
                "kind": PartnerKind.CONSULATE,
                "country": country,
                "voivodeship": "",
                "city": town,
                "address": street,
                "postal_code": postal,
                "phone": phone,
            },
            acting_user=keeper,
        )
        network.service_add(
            partner=partner,
            data={
                "name": "Pomoc obywatelom RP za granicą",
                "kind": ServiceKind.CONSULAR,
                "status": "active",
                "languages": ["pol"],
                "areas": [],
                "days": ["MO", "TU", "WE", "TH", "FR"],
                "opens_at": dt.time(9, 0),
                "closes_at": dt.time(15, 0),
            },
            acting_user=keeper,
        )
        found[country] = partner
    return found


def _check_ins(series: CheckInSeries, going: Going, today: dt.date) -> None:
    """The check-ins so far, as the task queue and the replies would have left them."""
    for number, status in enumerate(going.answers, start=1):
        sent = services.check_in_due_at(series, number)
        answered = sent + dt.timedelta(hours=3) if status in (S.OK, S.HELP, S.STOP) else None
        CheckIn.objects.create(
            series=series,
            number=number,
            token=new_token(),
            due_at=sent,
            sent_at=sent,
            answer_by=sent + dt.timedelta(hours=series.answer_hours),
            missed_at=sent + dt.timedelta(hours=series.answer_hours)
            if status == S.MISSED
            else None,
            status=status,
            answered_at=answered,
            reply=REPLIES.get(str(status), ""),
            attempts=1,
        )
    if going.ending:
        ended = timezone.now() - dt.timedelta(days=1)
        if going.ending == CheckInSeries.Status.STOPPED_BY_REPLY:
            CheckIn.objects.create(
                series=series,
                kind=CheckIn.Kind.STOP_CONFIRMATION,
                number=len(going.answers) + 1,
                token=new_token(),
                due_at=ended,
                sent_at=ended,
                status=S.OK,
                attempts=1,
            )
        CheckInSeries.objects.filter(pk=series.pk).update(status=going.ending, ended_at=ended)


def build(
    organisation: Organisation, counsellors: list[User], keeper: User, *, today: dt.date
) -> int:
    """The counselling records with their check-ins; how many."""
    catalogue = FlagCatalogue.current()
    if catalogue is None:
        return 0
    consulates = _consulates(organisation, keeper)
    flags = {flag.code: flag for flag in catalogue.flags.all()}
    for index, going in enumerate(PEOPLE):
        counsellor = counsellors[index % len(counsellors)]
        counselling: Counselling = services.counselling_save(
            data={
                "country": going.country,
                "city": going.city,
                "work": going.work,
                "advice_given": going.advice,
                "plan_language": going.language,
                # The first counsellor chose none: the plan names the directory's one there.
                "consulate_partner": consulates[going.country] if index else None,
                "code_word": "słonecznik",
            },
            flags=[flags[code] for code in going.flags if code in flags],
            organisation=organisation,
            catalogue=catalogue,
            acting_user=counsellor,
        )
        weeks = len(going.answers)
        sms = going.channel == "sms"
        series = services.check_in_series_start(
            counselling=counselling,
            data={
                "channel": going.channel,
                "phone": going.address if sms else "",
                "email": "" if sms else going.address,
                "language": going.language,
                "consent_by": "osoba, której dotyczy konsultacja",
                "consent_on": today - dt.timedelta(days=7 * weeks + 2),
                "starts_on": today - dt.timedelta(days=7 * (weeks - 1) + 1),
                "interval_days": 7,
                "count": weeks if going.ending == CheckInSeries.Status.FINISHED else 8,
                "ends_on": None,
                "answer_hours": 48,
            },
            acting_user=counsellor,
        )
        _check_ins(series, going, today)
    return len(PEOPLE)
