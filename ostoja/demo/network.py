"""The demo partner network (``manage.py demo``): a directory of about 150 partners of the
kinds and in the voivodeships the centre works with, a year of consultations for
institutions shaped like the centre's (DOMAIN.md §6: 1,614 in 2012), trainings, and
interpreters for the languages it hears most. Institutions are named by their kind and
town; NGOs, people and every phone number are invented."""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from ostoja.accounts.models import Organisation, User
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Consent
from ostoja.network import services
from ostoja.network.models import Booking, Consultation, Interpreter, Partner, PartnerContact
from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship

V = Voivodeship
# Each voivodeship's seat, its second town, and a third (for local units).
TOWNS = {
    V.DOLNOSLASKIE: ("Wrocław", "Wałbrzych", "Legnica"),
    V.KUJAWSKO_POMORSKIE: ("Bydgoszcz", "Toruń", "Włocławek"),
    V.LUBELSKIE: ("Lublin", "Chełm", "Zamość"),
    V.LUBUSKIE: ("Gorzów Wielkopolski", "Zielona Góra", "Żary"),
    V.LODZKIE: ("Łódź", "Piotrków Trybunalski", "Skierniewice"),
    V.MALOPOLSKIE: ("Kraków", "Tarnów", "Nowy Sącz"),
    V.MAZOWIECKIE: ("Warszawa", "Radom", "Grójec"),
    V.OPOLSKIE: ("Opole", "Kędzierzyn-Koźle", "Nysa"),
    V.PODKARPACKIE: ("Rzeszów", "Przemyśl", "Krosno"),
    V.PODLASKIE: ("Białystok", "Suwałki", "Łomża"),
    V.POMORSKIE: ("Gdańsk", "Gdynia", "Słupsk"),
    V.SLASKIE: ("Katowice", "Częstochowa", "Bielsko-Biała"),
    V.SWIETOKRZYSKIE: ("Kielce", "Ostrowiec Świętokrzyski", "Sandomierz"),
    V.WARMINSKO_MAZURSKIE: ("Olsztyn", "Elbląg", "Ełk"),
    V.WIELKOPOLSKIE: ("Poznań", "Kalisz", "Konin"),
    V.ZACHODNIOPOMORSKIE: ("Szczecin", "Koszalin", "Świnoujście"),
}
K = PartnerKind
S = ServiceKind
# (kind, name pattern, which town, service kind, service name, languages)
PER_VOIVODESHIP = [
    (
        K.POLICE_THB,
        "Zespół ds. handlu ludźmi KWP w {town}",
        0,
        S.LAW_ENFORCEMENT,
        "Przyjmowanie zawiadomień i identyfikacja",
        ["pol", "eng"],
    ),
    (
        K.POLICE,
        "Komenda Miejska Policji w {town}",
        1,
        S.LAW_ENFORCEMENT,
        "Dyżurny komendy",
        ["pol"],
    ),
    (
        K.POLICE,
        "Komenda Powiatowa Policji w {town}",
        2,
        S.LAW_ENFORCEMENT,
        "Dyżurny komendy",
        ["pol"],
    ),
    (
        K.PROSECUTOR,
        "Prokuratura Okręgowa w {town}",
        0,
        S.LAW_ENFORCEMENT,
        "Biuro podawcze",
        ["pol"],
    ),
    (
        K.LABOUR_INSPECTION,
        "Okręgowy Inspektorat Pracy w {town}",
        0,
        S.LABOUR,
        "Porady prawne i kontrole legalności zatrudnienia",
        ["pol", "ukr"],
    ),
    (
        K.CRISIS_CENTRE,
        "Ośrodek Interwencji Kryzysowej w {town}",
        2,
        S.CRISIS,
        "Hostel interwencyjny",
        ["pol", "ukr", "rus"],
    ),
    (
        K.SOCIAL_ASSISTANCE,
        "Miejski Ośrodek Pomocy Społecznej w {town}",
        1,
        S.SOCIAL,
        "Pomoc społeczna dla cudzoziemców",
        ["pol", "ukr"],
    ),
]
BORDER_GUARD = [
    ("Nadodrzański Oddział Straży Granicznej", V.LUBUSKIE),
    ("Nadbużański Oddział Straży Granicznej", V.LUBELSKIE),
    ("Bieszczadzki Oddział Straży Granicznej", V.PODKARPACKIE),
    ("Podlaski Oddział Straży Granicznej", V.PODLASKIE),
    ("Warmińsko-Mazurski Oddział Straży Granicznej", V.WARMINSKO_MAZURSKIE),
    ("Morski Oddział Straży Granicznej", V.POMORSKIE),
    ("Nadwiślański Oddział Straży Granicznej", V.MAZOWIECKIE),
    ("Śląski Oddział Straży Granicznej", V.SLASKIE),
]
COURTS = [V.MAZOWIECKIE, V.MALOPOLSKIE, V.WIELKOPOLSKIE, V.DOLNOSLASKIE, V.POMORSKIE, V.LODZKIE]
CONSULATES = [  # (name, languages)
    ("Ambasada Ukrainy w Warszawie — wydział konsularny", ["ukr", "rus"]),
    ("Konsulat Generalny Ukrainy w Lublinie", ["ukr"]),
    ("Ambasada Wietnamu w Warszawie — wydział konsularny", ["vie"]),
    ("Ambasada Rumunii w Warszawie — wydział konsularny", ["ron"]),
    ("Ambasada Bułgarii w Warszawie — wydział konsularny", ["bul"]),
    ("Ambasada Filipin w Warszawie — wydział konsularny", ["eng", "tgl"]),
    ("Ambasada Kolumbii w Warszawie — wydział konsularny", ["spa"]),
    ("Ambasada Białorusi w Warszawie — wydział konsularny", ["bel", "rus"]),
]
NGOS = [  # invented: (name, kind, service kind, service, languages)
    (
        "Fundacja Bezpieczny Przystanek",
        K.SHELTER,
        S.SHELTER,
        "Schronienie dla kobiet",
        ["pol", "ukr", "rus"],
    ),
    (
        "Stowarzyszenie Droga Powrotna",
        K.NGO,
        S.RETURN,
        "Pomoc w bezpiecznym powrocie",
        ["pol", "eng", "ron", "bul"],
    ),
    (
        "Fundacja Równe Szanse Pracy",
        K.NGO,
        S.LEGAL,
        "Porady dla pracowników migrujących",
        ["pol", "ukr", "vie"],
    ),
    ("Dom Samotnej Matki „Przystań”", K.SHELTER, S.SHELTER, "Mieszkanie chronione", ["pol"]),
    (
        "Stowarzyszenie Most Kultur",
        K.NGO,
        S.INTERPRETATION,
        "Tłumaczenia środowiskowe",
        ["vie", "ukr", "rus", "eng"],
    ),
    ("Fundacja Jasny Horyzont", K.NGO, S.PSYCHOLOGICAL, "Wsparcie psychologiczne", ["pol", "eng"]),
    (
        "Caritas diecezji (placówka demonstracyjna)",
        K.SHELTER,
        S.SHELTER,
        "Noclegownia i pomoc doraźna",
        ["pol"],
    ),
    ("Fundacja Nowy Start", K.NGO, S.SOCIAL, "Asystent integracji", ["pol", "ukr"]),
    (
        "Stowarzyszenie Prawo dla Każdego",
        K.LEGAL_AID,
        S.LEGAL,
        "Nieodpłatna pomoc prawna",
        ["pol", "eng"],
    ),
    (
        "Kancelaria Pro Bono „Zaufanie”",
        K.LEGAL_AID,
        S.LEGAL,
        "Pełnomocnictwo w postępowaniu karnym",
        ["pol"],
    ),
    ("Punkt Nieodpłatnej Pomocy Prawnej w Radomiu", K.LEGAL_AID, S.LEGAL, "Porady prawne", ["pol"]),
    (
        "Poradnia Zdrowia Psychicznego „Równowaga”",
        K.PSYCHOLOGICAL,
        S.PSYCHOLOGICAL,
        "Terapia traumy",
        ["pol", "ukr"],
    ),
    (
        "Centrum Terapii Traumy „Oddech”",
        K.PSYCHOLOGICAL,
        S.PSYCHOLOGICAL,
        "Terapia indywidualna",
        ["pol", "eng", "rus"],
    ),
    (
        "Przychodnia Medycyny Rodzinnej „Zdrowie”",
        K.HEALTH,
        S.MEDICAL,
        "Opieka lekarska dla nieubezpieczonych",
        ["pol"],
    ),
    ("Szpitalny Oddział Ratunkowy (demo)", K.HEALTH, S.MEDICAL, "Pomoc doraźna", ["pol", "eng"]),
    (
        "Punkt Medyczny dla Migrantów",
        K.HEALTH,
        S.MEDICAL,
        "Badania i szczepienia",
        ["pol", "ukr", "vie"],
    ),
    (
        "IOM — biuro w Warszawie",
        K.IOM,
        S.RETURN,
        "Dobrowolne powroty",
        ["eng", "pol", "ukr", "rus", "vie"],
    ),
    (
        "Rejestr agencji zatrudnienia (KRAZ)",
        K.REGISTER,
        S.INFORMATION,
        "Sprawdzenie agencji",
        ["pol"],
    ),
    (
        "Wojewódzki Urząd Pracy — rejestr pracodawców",
        K.REGISTER,
        S.INFORMATION,
        "Informacja o pracodawcach",
        ["pol"],
    ),
]
INTERPRETERS = [  # (name, languages, kind, sex, modes, cost, town, community)
    ("Olena Marchuk", ["ukr", "rus"], "sworn", "woman", ["in_person", "video"], "160", "Lwów", ""),
    (
        "Taras Hnatiuk",
        ["ukr"],
        "community",
        "man",
        ["phone", "in_person"],
        "90",
        "Tarnopol",
        "Ukraińcy w Grójcu",
    ),
    ("Irina Sokolova", ["rus"], "sworn", "woman", ["in_person"], "170", "", ""),
    (
        "Nguyễn Thị Hương",
        ["vie"],
        "community",
        "woman",
        ["phone", "in_person"],
        "100",
        "Hải Phòng",
        "Wietnamczycy na Woli",
    ),
    ("Trần Văn Long", ["vie"], "sworn", "man", ["in_person", "video"], "180", "Hà Nội", ""),
    ("Phạm Thị Mai", ["vie"], "community", "woman", ["phone", "video"], "95", "Nam Định", ""),
    ("James O'Connor", ["eng"], "sworn", "man", ["in_person", "video"], "150", "", ""),
    ("Ioana Munteanu", ["ron"], "community", "woman", ["phone", "in_person"], "110", "Iași", ""),
    ("Desislava Koleva", ["bul"], "sworn", "woman", ["in_person", "video"], "160", "", ""),
    (
        "Luisa Fernanda Herrera",
        ["spa", "eng"],
        "community",
        "woman",
        ["phone", "video"],
        "120",
        "",
        "",
    ),
]
STREETS = ["Polna", "Długa", "Lipowa", "Kościuszki", "Mickiewicza", "Ogrodowa"]
FIRST = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marcin", "Ewa", "Jacek", "Beata"]
LAST = ["Nowak", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel", "Pawlak", "Sikora", "Baran"]
FUNCTIONS = {
    K.POLICE_THB: "koordynator zespołu ds. handlu ludźmi",
    K.POLICE: "dyżurny",
    K.BORDER_GUARD: "funkcjonariusz ds. handlu ludźmi",
    K.PROSECUTOR: "prokurator",
    K.CONSULATE: "konsul",
    K.LABOUR_INSPECTION: "inspektor pracy",
    K.CRISIS_CENTRE: "psycholog dyżurny",
    K.SOCIAL_ASSISTANCE: "pracownik socjalny",
}
# Who asks the centre, by the kind of institution (weights), and what about.
ASKERS = {
    K.POLICE_THB: 30,
    K.POLICE: 14,
    K.BORDER_GUARD: 14,
    K.PROSECUTOR: 6,
    K.COURT: 2,
    K.LABOUR_INSPECTION: 6,
    K.CONSULATE: 5,
    K.CRISIS_CENTRE: 7,
    K.SOCIAL_ASSISTANCE: 9,
    K.SHELTER: 2,
    K.NGO: 3,
    K.LEGAL_AID: 1,
}
TOPICS = {
    "identification": 30,
    "legal_criminal": 12,
    "legal_residence": 14,
    "legal_labour": 12,
    "legal_family": 2,
    "kpwioo": 12,
    "return": 5,
    "shelter": 8,
    "training": 3,
    "media": 2,
}
QUESTIONS = [
    "Grupa cudzoziemców na fermie, dokumenty u pracodawcy — czy to handel ludźmi?",
    "Jak wygląda procedura włączenia do programu wsparcia i ochrony ofiary?",
    "Czy osoba może dostać zaświadczenie i okres do namysłu?",
    "Pracodawca nie wypłaca wynagrodzenia od trzech miesięcy; co z legalizacją pobytu?",
    "Prośba o schronienie dla kobiety z dzieckiem na dziś.",
    "Jak przesłuchać pokrzywdzoną, by nie wtórnie jej nie zranić?",
    "Prośba o materiały i szkolenie dla funkcjonariuszy.",
]
ADVICE = [
    "Omówiono wskaźniki pracy przymusowej; zalecono kontakt z zespołem ds. handlu ludźmi.",
    "Wyjaśniono kroki KPWiOO i dokumenty; przesłano formularz.",
    "Poinformowano o art. 170 i 176 ustawy o cudzoziemcach.",
    "Uzgodniono przyjęcie do hostelu; konsultantka oddzwoni.",
]


def _phone(rng: random.Random) -> str:
    area = rng.choice(["22", "12", "81", "58", "61", "71"])
    return f"+48 {area} {rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"


def _partner(
    organisation: Organisation,
    acting_user: User,
    rng: random.Random,
    *,
    name: str,
    kind: str,
    voivodeship: str,
    town: str,
    service: tuple[str, str, list[str]],
) -> Partner:
    partner = services.partner_add(
        organisation=organisation,
        data={
            "name": name,
            "kind": kind,
            "voivodeship": voivodeship,
            "city": town,
            "address": f"ul. {rng.choice(STREETS)} {rng.randrange(1, 120)}",
            "postal_code": f"{rng.randrange(10, 99)}-{rng.randrange(100, 999)}",
            "phone": _phone(rng),
        },
        acting_user=acting_user,
    )
    service_kind, service_name, languages = service
    services.service_add(
        partner=partner,
        data={
            "name": service_name,
            "kind": service_kind,
            "status": "active",
            "languages": languages,
            "areas": [voivodeship] if kind not in (K.IOM, K.REGISTER, K.CONSULATE) else [],
            "days": ["MO", "TU", "WE", "TH", "FR"],
            "opens_at": dt.time(8, 0),
            "closes_at": dt.time(16, 0),
        },
        acting_user=acting_user,
    )
    if kind in FUNCTIONS:
        services.partner_contact_add(
            partner=partner,
            data={
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "title": FUNCTIONS[PartnerKind(kind)],
                "phone": _phone(rng),
            },
            acting_user=acting_user,
        )
    return partner


def build(
    organisation: Organisation, staff: list[User], *, today: dt.date, seed: int = 2026
) -> int:
    """The directory, a year of consultations ending ``today``, trainings and interpreters;
    ``staff`` take the calls (the first is the coordinator who keeps the registry).
    Returns how many partners."""
    rng = random.Random(seed)  # noqa: S311  # synthetic demo data, reproducible on purpose
    keeper = staff[0]
    partners: list[Partner] = []
    for code, towns in TOWNS.items():
        for kind, pattern, which, service_kind, service_name, languages in PER_VOIVODESHIP:
            town = towns[which]
            partners.append(
                _partner(
                    organisation,
                    keeper,
                    rng,
                    name=pattern.format(town=town),
                    kind=kind,
                    voivodeship=code,
                    town=town,
                    service=(service_kind, service_name, languages),
                )
            )
    for name, code in BORDER_GUARD:
        partners.append(
            _partner(
                organisation,
                keeper,
                rng,
                name=name,
                kind=K.BORDER_GUARD,
                voivodeship=code,
                town=TOWNS[code][0],
                service=(S.LAW_ENFORCEMENT, "Identyfikacja ofiar", ["pol", "eng", "ukr"]),
            )
        )
    for code in COURTS:
        town = TOWNS[code][0]
        partners.append(
            _partner(
                organisation,
                keeper,
                rng,
                name=f"Sąd Okręgowy w {town}",
                kind=K.COURT,
                voivodeship=code,
                town=town,
                service=(S.LAW_ENFORCEMENT, "Biuro obsługi interesantów", ["pol"]),
            )
        )
    for name, languages in CONSULATES:
        code = V.LUBELSKIE if "Lublinie" in name else V.MAZOWIECKIE
        partners.append(
            _partner(
                organisation,
                keeper,
                rng,
                name=name,
                kind=K.CONSULATE,
                voivodeship=code,
                town=TOWNS[code][0],
                service=(S.CONSULAR, "Dokumenty podróży i pomoc obywatelom", languages),
            )
        )
    for name, kind, service_kind, service_name, languages in NGOS:
        code = rng.choice(list(TOWNS))
        partners.append(
            _partner(
                organisation,
                keeper,
                rng,
                name=name,
                kind=kind,
                voivodeship=code,
                town=TOWNS[code][0],
                service=(service_kind, service_name, languages),
            )
        )
    # The Police's anti-trafficking teams have a duty officer's line besides the main one.
    for partner in partners:
        if partner.kind == K.POLICE_THB:
            services.phone_add(
                partner=partner,
                data={"number": _phone(rng), "description": "dyżurny całodobowy"},
                acting_user=keeper,
            )
    _consultations(organisation, staff, partners, rng, today)
    _trainings(organisation, keeper, partners, rng, today)
    for name, languages, registry, sex, modes, cost, town, community in INTERPRETERS:
        services.interpreter_add(
            organisation=organisation,
            data={
                "name": name,
                "languages": languages,
                "kind": registry,
                "sex": sex,
                "modes": modes,
                "cost_per_hour": Decimal(cost),
                "home_town": town,
                "community": community,
                "availability": rng.choice(
                    ["dni robocze 8–16", "także wieczorami", "na wezwanie 24/7"]
                ),
                "confidentiality_signed_on": today - dt.timedelta(days=rng.randrange(30, 700)),
                "phone": _phone(rng),
            },
            acting_user=keeper,
        )
    _bookings(organisation, keeper, rng, today)
    _referrals(organisation, keeper, partners, rng, today)
    return len(partners)


def _bookings(organisation: Organisation, keeper: User, rng: random.Random, today: dt.date) -> int:
    """Sixty interpreter bookings over the year ending ``today``, most for a case."""
    zone = ZoneInfo(organisation.time_zone)
    interpreters = list(Interpreter.objects.filter(organisation=organisation, active=True))
    cases = list(Case.objects.filter(organisation=organisation).order_by("pk"))
    for _ in range(60 if interpreters else 0):
        interpreter = rng.choice(interpreters)
        services.interpreter_book(
            organisation=organisation,
            interpreter=interpreter,
            data={
                "purpose": rng.choice(Booking.Purpose.values),
                "language": rng.choice(interpreter.languages),
                "starts_at": dt.datetime.combine(
                    today - dt.timedelta(days=rng.randrange(1, 365)),
                    dt.time(rng.randrange(8, 17)),
                    zone,
                ),
                "hours": Decimal(rng.choice(["1", "1.5", "2", "3"])),
                "override": "Jedyny tłumacz tego języka dostępny w tym terminie.",
            },
            case=rng.choice(cases) if cases and rng.random() < 0.7 else None,
            consultation=None,
            acting_user=keeper,
        )
    return 60 if interpreters else 0


def _referrals(
    organisation: Organisation,
    keeper: User,
    partners: list[Partner],
    rng: random.Random,
    today: dt.date,
) -> int:
    """A few referrals to the Police and the Border Guard, of clients whose consent to share
    with them is in force — sent through the service, each with its summary and its entry
    in the disclosure ledger (sent today: a referral's time is when it leaves)."""
    police = [p for p in partners if p.kind in (K.POLICE_THB, K.BORDER_GUARD)]
    consents = (
        Consent.objects.filter(case__organisation=organisation, scope=Consent.Scope.SHARE_POLICE)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case", "client")
        .order_by("pk")
    )
    made = 0
    for consent in consents:
        if made == 5 or not police:
            break
        if not consent.active(today):
            continue
        partner = rng.choice(police)
        if not partner.email:
            services.partner_change(
                partner=partner,
                data={"email": f"handel.ludzmi.{partner.pk}@policja.example"},
                acting_user=keeper,
            )
        services.referral_send(
            access=access_case(keeper, consent.case.code, write=True),
            client=consent.client,
            partner=partner,
            service=None,
            reason="Zgłoszenie do wszczęcia postępowania; klientka gotowa złożyć zeznania.",
            answer_due=today + dt.timedelta(days=14),
            acting_user=keeper,
        )
        made += 1
    return made


def _consultations(
    organisation: Organisation,
    staff: list[User],
    partners: list[Partner],
    rng: random.Random,
    today: dt.date,
) -> None:
    """1,614 consultations over the year ending ``today`` (stored at once: demo data, not
    work anyone did, so it has no audit entries, like the demo's helpline year)."""
    zone = ZoneInfo(organisation.time_zone)
    by_kind: dict[str, list[Partner]] = {}
    for partner in partners:
        by_kind.setdefault(partner.kind, []).append(partner)
    kinds = [k for k in ASKERS if k in by_kind]
    weights = [ASKERS[k] for k in kinds]
    contacts = {c.partner_id: c for c in PartnerContact.objects.filter(partner__in=partners)}
    rows = []
    for _ in range(1614):
        partner = rng.choice(by_kind[rng.choices(kinds, weights)[0]])
        asked = dt.datetime.combine(
            today - dt.timedelta(days=rng.randrange(365)),
            dt.time(rng.randrange(8, 17), rng.randrange(60)),
            zone,
        )
        person = contacts.get(partner.pk)
        channel = rng.choices(["phone", "email", "meeting", "letter"], [75, 18, 5, 2])[0]
        rows.append(
            Consultation(
                organisation=organisation,
                partner=partner,
                asker=person.name if person else "",
                asker_function=person.title if person else "",
                channel=channel,
                topic=rng.choices(list(TOPICS), list(TOPICS.values()))[0],
                asked_at=asked,
                answered_at=asked + _response_time(channel, rng),
                question=rng.choice(QUESTIONS),
                advice=rng.choice(ADVICE),
                minutes=rng.choice([5, 10, 15, 20, 30, 45, 60]),
                created_by=rng.choice(staff),
            )
        )
    Consultation.objects.bulk_create(rows, batch_size=500)


def _response_time(channel: str, rng: random.Random) -> dt.timedelta:
    """How long an answer took: a call or a meeting mostly on the spot (sometimes after
    checking, called back within hours), an e-mail within a day or two, a letter longer."""
    if channel in ("phone", "meeting"):
        if rng.random() < 0.8:
            return dt.timedelta(minutes=rng.randrange(1, 30))
        return dt.timedelta(hours=rng.randrange(1, 24))
    if channel == "email":
        return dt.timedelta(hours=rng.randrange(2, 60))
    return dt.timedelta(days=rng.randrange(2, 14))


def _trainings(
    organisation: Organisation,
    keeper: User,
    partners: list[Partner],
    rng: random.Random,
    today: dt.date,
) -> None:
    police = [p for p in partners if p.kind in (K.POLICE_THB, K.BORDER_GUARD, K.LABOUR_INSPECTION)]
    for _ in range(24):
        partner = rng.choice(police)
        services.training_record(
            organisation=organisation,
            data={
                "partner": partner,
                "kind": rng.choice(["training", "presentation"]),
                "held_on": today - dt.timedelta(days=rng.randrange(365)),
                "audience": f"funkcjonariusze i pracownicy: {partner.name}",
                "participants": rng.randrange(12, 60),
                "topic": rng.choice(
                    [
                        "Identyfikacja ofiar pracy przymusowej",
                        "KPWiOO w praktyce",
                        "Przesłuchanie ofiary handlu ludźmi",
                    ]
                ),
            },
            acting_user=keeper,
        )
