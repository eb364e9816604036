"""The stories of the demo cases and what their case managers write (DOMAIN.md §6: mostly
forced labour of foreign men in agriculture, construction and manufacturing; sexual
exploitation of women; a few cases of domestic servitude, begging and forced criminality;
Polish victims exploited abroad; a couple of minors; one group of workers from one
workplace; one restricted case). Data only: ``ostoja.demo.cases`` builds the cases from it.
The stories are stock situations."""

from dataclasses import dataclass

from ostoja.cases.models import Case, RouteEvent
from ostoja.cases.vocabulary import LegalArea, Referrer

A, C, F = "A_AgricultureForestryAndFishing", "C_Manufacturing", "F_Construction"
FOOD, HOME = "I_AccommodationAndFoodServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers"
OTHER_SERVICES, TRADE = "S_OtherServiceActivities", "G_WholesaleAndRetailTradeRepairOfMotorVehicles"
STORAGE = "H_TransportationAndStorage"
LABOUR_CONTROL = ("WithholdsDocuments", "DebtBondage", "TakesEarnings", "ExcessiveWorkingHours")
SEX_CONTROL = ("Threats", "PsychologicalAbuse", "TakesEarnings", "RestrictsMovement")
R, T, E = RouteEvent.Kind.RECRUITMENT, RouteEvent.Kind.TRANSIT, RouteEvent.Kind.EXPLOITATION


@dataclass(frozen=True)
class Story:
    nation: str
    woman: bool
    forms: tuple[str, ...]
    industries: tuple[str, ...]
    control: tuple[str, ...]
    recruitment: tuple[str, ...]
    route: tuple[tuple[str, str, str], ...]  # (kind, country, place)
    summary: str
    referred_by: str
    harms: tuple[str, ...] = ()
    clients: int = 1
    minor: bool = False
    status: str = ""  # fixed status; otherwise drawn from the pool
    reason: str = ""
    restricted: bool = False

    @property
    def trafficking(self) -> bool:
        return bool(self.forms)

    @property
    def sexual(self) -> bool:
        return any(f in ("prostitution", "pornography", "other_sexual") for f in self.forms)

    @property
    def labour(self) -> bool:
        return any(
            f in ("forced_labour", "forced_services", "domestic_servitude") for f in self.forms
        )


S = Story
ONLINE, FRIENDS = "ThroughAnOnlineAdvertisement", "ThroughFriendsOrSocialEvents"
SOCIAL, FAMILY = "ThroughOnlineSocialNetworks", "ThroughFamilyOrFamilyEvents"
STORIES: list[Story] = [
    # Forced labour of foreign men (most of the centre's cases).
    *[
        S(
            "UA",
            False,
            ("forced_labour",),
            (A,),
            LABOUR_CONTROL,
            (ONLINE,),
            (
                (R, "UA", place),
                (T, "PL", "Dorohusk"),
                (E, "PL", "gospodarstwo sadownicze, pow. grójecki"),
            ),
            "Zbiór jabłek po 12–14 godzin dziennie; pośrednik zatrzymał paszport i potrącał "
            "„dług” za przejazd i nocleg, wynagrodzenia nie wypłacono.",
            referrer,
        )
        for place, referrer in (("Równe", Referrer.HELPLINE), ("Łuck", Referrer.BORDER_GUARD))
    ],
    S(
        "UA",
        False,
        ("forced_labour",),
        (A,),
        ("DebtBondage", "RestrictsMovement", "Threats"),
        (FRIENDS,),
        ((R, "UA", "Winnica"), (E, "PL", "pieczarkarnia, Wielkopolska")),
        "Praca w pieczarkarni bez umowy; zamieszkanie w kontenerze na terenie zakładu, wyjście "
        "tylko z brygadzistą. Groźby zgłoszenia do Straży Granicznej.",
        Referrer.NGO,
    ),
    S(
        "UA",
        False,
        ("forced_labour",),
        (A,),
        ("TakesEarnings", "ExcessiveWorkingHours", "WithholdsNecessities"),
        (ONLINE,),
        ((R, "UA", "Połtawa"), (E, "PL", "szklarnie pomidorów, pow. kolneński")),
        "Praca w szklarni bez wolnych dni; jedzenie i nocleg „na kredyt” u pracodawcy.",
        Referrer.SELF,
    ),
    S(
        "UA",
        True,
        ("forced_labour",),
        (A,),
        LABOUR_CONTROL,
        (ONLINE,),
        ((R, "UA", "Tarnopol"), (E, "PL", "plantacja truskawek, pow. kraśnicki")),
        "Zbiór truskawek; „opłata rekrutacyjna” odliczana z wypłaty, dokumenty u pośrednika.",
        Referrer.HELPLINE,
    ),
    *[
        S(
            "UA",
            False,
            ("forced_labour",),
            (F,),
            LABOUR_CONTROL + ("ThreatOfLawEnforcement",),
            (recruitment,),
            ((R, "UA", place), (E, "PL", site)),
            "Praca na budowie bez umowy i bez wypłaty od kilku miesięcy; nocleg w baraku, "
            "paszporty „w depozycie” u brygadzisty.",
            referrer,
        )
        for place, site, recruitment, referrer in (
            ("Lwów", "budowa osiedla, Warszawa-Białołęka", ONLINE, Referrer.POLICE),
            ("Czerniowce", "budowa hali magazynowej, Stryków", FRIENDS, Referrer.SELF),
            ("Iwano-Frankiwsk", "remonty mieszkań, Kraków", SOCIAL, Referrer.HELPLINE),
        )
    ],
    S(
        "UA",
        False,
        ("forced_labour",),
        (STORAGE,),
        ("TakesEarnings", "ExcessiveWorkingHours", "FalsePromises"),
        (ONLINE,),
        ((R, "UA", "Żytomierz"), (E, "PL", "centrum logistyczne, pow. poznański")),
        "Praca w magazynie przez agencję; wynagrodzenie przelewane na konto pośrednika, "
        "kary za „spóźnienia” większe niż zarobek.",
        Referrer.NGO,
    ),
    S(
        "UA",
        False,
        ("forced_labour",),
        (C,),
        LABOUR_CONTROL,
        (FRIENDS,),
        ((R, "UA", "Czerkasy"), (E, "PL", "zakład mięsny, Mazowsze")),
        "Rozbiór mięsa na nocnej zmianie; potrącenia za zakwaterowanie i transport pochłaniały "
        "całą pensję.",
        Referrer.HELPLINE,
    ),
    S(
        "BY",
        False,
        ("forced_labour",),
        (F,),
        ("TakesEarnings", "Threats", "WithholdsDocuments"),
        (ONLINE,),
        ((R, "BY", "Grodno"), (E, "PL", "budowa drogi ekspresowej, Podlasie")),
        "Prace ziemne przy budowie drogi; po upomnieniu się o wypłatę pobity przez brygadzistę.",
        Referrer.POLICE,
    ),
    S(
        "BY",
        False,
        ("forced_labour",),
        (C,),
        ("ExcessiveWorkingHours", "TakesEarnings"),
        (FRIENDS,),
        ((R, "BY", "Brześć"), (E, "PL", "fabryka mebli, pow. świebodziński")),
        "Praca w fabryce mebli po 16 godzin; część wynagrodzenia zatrzymywał pośrednik.",
        Referrer.HELPLINE,
    ),
    S(
        "VN",
        False,
        ("forced_labour",),
        (FOOD,),
        ("DebtBondage", "RestrictsMovement", "WithholdsDocuments"),
        (FAMILY,),
        ((R, "VN", "Nghệ An"), (T, "RU", "Moskwa"), (E, "PL", "restauracja, Warszawa")),
        "Praca w kuchni restauracji za spłatę „długu” za przerzut (ok. 15 000 USD); spał na "
        "zapleczu, bez dostępu do paszportu.",
        Referrer.BORDER_GUARD,
    ),
    S(
        "VN",
        False,
        ("forced_labour",),
        (TRADE,),
        ("DebtBondage", "ThreatOfLawEnforcement"),
        (FAMILY,),
        ((R, "VN", "Hà Tĩnh"), (T, "CZ", "Praga"), (E, "PL", "centrum handlowe, Wólka Kosowska")),
        "Praca w magazynie hurtowni odzieży; dług wobec organizatorów przejazdu rośnie z każdym "
        "miesiącem.",
        Referrer.NGO,
    ),
    S(
        "VN",
        False,
        ("forced_labour",),
        (F,),
        ("DebtBondage", "WithholdsDocuments"),
        (FRIENDS,),
        ((R, "VN", "Hải Phòng"), (E, "PL", "budowa, Łódź")),
        "Wykończenia wnętrz bez zapłaty; dokumenty zatrzymane przez pośrednika.",
        Referrer.HELPLINE,
    ),
    S(
        "VN",
        True,
        ("forced_services",),
        (OTHER_SERVICES,),
        ("DebtBondage", "RestrictsMovement", "RestrictsFinancialAccess"),
        (FAMILY,),
        ((R, "VN", "Thanh Hóa"), (E, "PL", "salon paznokci, Gdańsk")),
        "Praca w salonie paznokci 7 dni w tygodniu; zamieszkanie nad salonem, wyjścia tylko "
        "z właścicielką.",
        Referrer.BORDER_GUARD,
    ),
    S(
        "RO",
        False,
        ("forced_labour",),
        (A,),
        ("TakesEarnings", "ExcessiveWorkingHours"),
        (FRIENDS,),
        ((R, "RO", "Bacău"), (E, "PL", "szklarnie, pow. grodziski")),
        "Praca w szklarniach; pośrednik odbierał wypłatę „za zakwaterowanie”.",
        Referrer.CONSULATE,
    ),
    S(
        "PH",
        False,
        ("forced_labour",),
        (C,),
        ("WithholdsDocuments", "ExcessiveWorkingHours", "FalsePromises"),
        (ONLINE,),
        (
            (R, "PH", "Manila"),
            (T, "AE", "Dubaj"),
            (E, "PL", "zakład przetwórstwa drobiu, Wielkopolska"),
        ),
        "Zatrudniony przez agencję z Manili jako spawacz, na miejscu skierowany do ubojni; "
        "wynagrodzenie niższe niż w umowie, paszport u pracodawcy.",
        Referrer.HELPLINE,
    ),
    S(
        "PH",
        False,
        ("forced_labour",),
        (C,),
        ("TakesEarnings", "Threats"),
        (ONLINE,),
        ((R, "PH", "Cebu"), (E, "PL", "fabryka części samochodowych, Śląsk")),
        "Opłata rekrutacyjna 4 000 USD pobrana w kraju; na miejscu groźby utraty zezwolenia "
        "na pracę.",
        Referrer.NGO,
    ),
    S(
        "PL",
        False,
        ("forced_labour",),
        (A,),
        ("TakesEarnings", "PsychoactiveSubstances", "RestrictsMovement"),
        ("AtAPlaceOfBusiness",),
        ((R, "PL", "jadłodajnia, Łódź"), (E, "PL", "ferma drobiu, Kujawy")),
        "Mężczyzna w kryzysie bezdomności zwerbowany przy jadłodajni do pracy na fermie; "
        "„wynagrodzenie” w alkoholu, bez możliwości wyjazdu.",
        Referrer.SOCIAL_SERVICES,
    ),
    # The group: five workers from one building site.
    S(
        "CO",
        False,
        ("forced_labour",),
        (F,),
        LABOUR_CONTROL + ("FalsePromises",),
        (SOCIAL,),
        ((R, "CO", "Cali"), (T, "ES", "Madryt"), (E, "PL", "budowa osiedla, Wrocław")),
        "Pięciu robotników z jednej budowy: agencja obiecała legalną pracę i wizę; paszporty "
        "odebrane, zamieszkanie w kontenerze, wynagrodzenie wstrzymane od trzech miesięcy.",
        Referrer.BORDER_GUARD,
        clients=5,
        status=Case.Status.ACTIVE,
    ),
    # Polish victims exploited abroad.
    S(
        "PL",
        False,
        ("forced_labour",),
        (A,),
        ("TakesEarnings", "DebtBondage"),
        (ONLINE,),
        ((R, "PL", "Konin"), (E, "NL", "szklarnie, Westland")),
        "Praca w szklarniach w Holandii przez agencję; „dług” za mieszkanie i dojazdy większy "
        "niż pensja.",
        Referrer.FAMILY,
    ),
    S(
        "PL",
        False,
        ("forced_labour",),
        (F,),
        ("Threats", "TakesEarnings", "WithholdsDocuments"),
        (FRIENDS,),
        ((R, "PL", "Słupsk"), (E, "DE", "budowa, Hamburg")),
        "Praca na budowie w Niemczech; dowód osobisty zatrzymany przez „szefa” z Polski.",
        Referrer.CONSULATE,
    ),
    S(
        "PL",
        False,
        ("forced_labour", "criminal"),
        (OTHER_SERVICES,),
        ("TakesEarnings", "RestrictsFinancialAccess", "Threats"),
        (FRIENDS,),
        ((R, "PL", "Wałbrzych"), (E, "GB", "myjnia samochodowa, Birmingham")),
        "Praca na myjni w Wielkiej Brytanii; na jego dane zaciągano pożyczki i wyłudzano "
        "świadczenia.",
        Referrer.CONSULATE,
    ),
    S(
        "PL",
        True,
        ("prostitution",),
        (),
        SEX_CONTROL,
        (FRIENDS,),
        ((R, "PL", "Szczecin"), (E, "DE", "mieszkanie, Berlin")),
        "Wyjazd do „pracy w hotelu” w Niemczech; zmuszana do prostytucji, zarobki odbierał "
        "partner.",
        Referrer.HELPLINE,
    ),
    # Sexual exploitation.
    S(
        "PL",
        True,
        ("prostitution",),
        (),
        SEX_CONTROL + ("PhysicalAbuse",),
        (SOCIAL,),
        ((R, "PL", "Radom"), (E, "PL", "mieszkania na wynajem, Warszawa")),
        "„Loverboy”: partner zmuszał do prostytucji w wynajmowanych mieszkaniach; sprawcy "
        "wiedzą, gdzie mieszka rodzina.",
        Referrer.POLICE,
        status=Case.Status.ACTIVE,
        restricted=True,
    ),
    S(
        "PL",
        True,
        ("prostitution", "pornography"),
        (),
        ("PsychologicalAbuse", "Threats", "SexualAbuse"),
        (SOCIAL,),
        ((R, "PL", "internet"), (E, "PL", "Katowice")),
        "Szesnastolatka zwerbowana przez portal społecznościowy; nagrania wykorzystywane do "
        "szantażu. Sprawa w sądzie rodzinnym.",
        Referrer.SOCIAL_SERVICES,
        minor=True,
        status=Case.Status.ACTIVE,
    ),
    *[
        S(
            "UA",
            True,
            ("prostitution",),
            (),
            SEX_CONTROL,
            (recruitment,),
            ((R, "UA", place), (E, "PL", site)),
            summary,
            referrer,
        )
        for place, site, recruitment, summary, referrer in (
            (
                "Charków",
                "agencja towarzyska, Warszawa",
                ONLINE,
                "Oferta pracy w salonie masażu; na miejscu zmuszana do świadczenia usług "
                "seksualnych, „dług” za przejazd.",
                Referrer.POLICE,
            ),
            (
                "Dniepr",
                "mieszkanie, Poznań",
                FRIENDS,
                "Zwerbowana przez znajomą jako opiekunka; w Polsce zmuszana do prostytucji.",
                Referrer.HELPLINE,
            ),
        )
    ],
    S(
        "RO",
        True,
        ("prostitution",),
        (),
        SEX_CONTROL,
        (FAMILY,),
        ((R, "RO", "Craiova"), (E, "PL", "przy drodze krajowej nr 8")),
        "Prostytucja przydrożna; pilnowana przez krewnych partnera.",
        Referrer.POLICE,
    ),
    S(
        "BG",
        True,
        ("prostitution",),
        (),
        SEX_CONTROL,
        (FRIENDS,),
        ((R, "BG", "Sliwen"), (E, "PL", "klub nocny, Trójmiasto")),
        "Zwerbowana do pracy w barze; zmuszana do prostytucji, zarobki odbierał werbownik.",
        Referrer.NGO,
    ),
    S(
        "CO",
        True,
        ("prostitution",),
        (),
        SEX_CONTROL + ("DebtBondage",),
        (SOCIAL,),
        ((R, "CO", "Medellín"), (T, "ES", "Madryt"), (E, "PL", "mieszkanie, Kraków")),
        "Obietnica pracy w hostelu; „dług” 6 000 EUR za bilet i wizę spłacany prostytucją.",
        Referrer.CONSULATE,
    ),
    # Domestic servitude, begging, forced criminality.
    S(
        "PH",
        True,
        ("domestic_servitude",),
        (HOME,),
        ("WithholdsDocuments", "RestrictsMovement", "ExcessiveWorkingHours"),
        (ONLINE,),
        ((R, "PH", "Iloilo"), (E, "PL", "dom prywatny, Konstancin-Jeziorna")),
        "Pomoc domowa u rodziny bez dnia wolnego; paszport u pracodawców, zakaz wychodzenia.",
        Referrer.NGO,
    ),
    S(
        "UA",
        True,
        ("domestic_servitude",),
        (HOME,),
        ("TakesEarnings", "RestrictsMovement", "PsychologicalAbuse"),
        (FRIENDS,),
        ((R, "UA", "Chmielnicki"), (E, "PL", "dom prywatny, Lublin")),
        "Opieka nad osobą starszą 24 godziny na dobę, bez wynagrodzenia „do czasu spłaty”.",
        Referrer.HELPLINE,
    ),
    S(
        "RO",
        False,
        ("begging",),
        (),
        ("TakesEarnings", "Threats", "WithholdsNecessities"),
        (FAMILY,),
        ((R, "RO", "Tulcea"), (E, "PL", "centrum Warszawy")),
        "Mężczyzna z niepełnosprawnością zmuszany do żebrania; utarg odbierany codziennie.",
        Referrer.NGO,
    ),
    S(
        "BG",
        False,
        ("criminal",),
        (),
        ("DebtBondage", "Threats", "PhysicalAbuse"),
        (FRIENDS,),
        ((R, "BG", "Pazardżik"), (E, "PL", "sklepy wielkopowierzchniowe, Poznań")),
        "Zmuszany do kradzieży sklepowych w grupie; „dług” za przejazd.",
        Referrer.POLICE,
    ),
    S(
        "VN",
        False,
        ("criminal", "forced_labour"),
        (A,),
        ("DebtBondage", "RestrictsMovement", "WithholdsDocuments"),
        (FAMILY,),
        (
            (R, "VN", "Quảng Bình"),
            (T, "RU", "Moskwa"),
            (E, "PL", "plantacja konopi, pow. piaseczyński"),
        ),
        "Chłopiec (wiek szacowany na 16 lat) zamknięty na plantacji konopi; zatrzymany przez "
        "Policję jako sprawca, zidentyfikowany jako ofiara.",
        Referrer.POLICE,
        minor=True,
        status=Case.Status.ACTIVE,
    ),
    # Other harm, not trafficking (the centre handles these too).
    S(
        "UA",
        False,
        (),
        (F,),
        ("TakesEarnings",),
        (ONLINE,),
        ((E, "PL", "budowa, Rzeszów"),),
        "Niewypłacone wynagrodzenie za dwa miesiące; bez znamion handlu ludźmi.",
        Referrer.HELPLINE,
        harms=("workers_rights",),
        status=Case.Status.CLOSED,
        reason=Case.CloseReason.NOT_TRAFFICKING,
    ),
    S(
        "UA",
        False,
        (),
        (STORAGE,),
        ("FalsePromises",),
        (ONLINE,),
        ((E, "PL", "Łódź"),),
        "Agencja pobrała opłatę za pracę, która nie istniała.",
        Referrer.HELPLINE,
        harms=("fraud",),
        status=Case.Status.CLOSED,
        reason=Case.CloseReason.NOT_TRAFFICKING,
    ),
    S(
        "PL",
        True,
        (),
        (),
        ("PhysicalAbuse", "PsychologicalAbuse"),
        (),
        ((E, "PL", "Bydgoszcz"),),
        "Przemoc domowa; zgłoszenie z podejrzeniem handlu ludźmi niepotwierdzone, skierowana do "
        "ośrodka interwencji kryzysowej.",
        Referrer.FAMILY,
        harms=("domestic_violence",),
        status=Case.Status.CLOSED,
        reason=Case.CloseReason.REFERRED,
    ),
]
# The statuses of the stories without a fixed one (the rest are active), and the reasons
# closed ones give.
STATUS_POOL = [Case.Status.OPEN] * 7 + [Case.Status.ON_HOLD] * 4 + [Case.Status.CLOSED] * 9
CLOSE_REASONS = [
    Case.CloseReason.GOALS_MET,
    Case.CloseReason.RETURNED,
    Case.CloseReason.GOALS_MET,
    Case.CloseReason.REFERRED,
    Case.CloseReason.RETURNED,
    Case.CloseReason.CLIENT_ENDED,
    Case.CloseReason.CONTACT_LOST,
    Case.CloseReason.GOALS_MET,
    Case.CloseReason.RETURNED,
]
STAGES: dict[str, list[str]] = {
    Case.Status.OPEN: [Case.Stage.INTAKE, Case.Stage.ASSESSMENT],
    Case.Status.ACTIVE: [Case.Stage.SUPPORT, Case.Stage.REINTEGRATION],
    Case.Status.ON_HOLD: [Case.Stage.SUPPORT, Case.Stage.PROCEEDINGS],
    Case.Status.CLOSED: [Case.Stage.FOLLOW_UP, Case.Stage.REINTEGRATION],
}
# How long ago cases of each status were opened (days).
OPENED: dict[str, tuple[int, int]] = {
    Case.Status.OPEN: (1, 21),
    Case.Status.ACTIVE: (25, 320),
    Case.Status.ON_HOLD: (60, 360),
    Case.Status.CLOSED: (150, 700),
}

# --- What the case manager writes -----------------------------------------------------------

GOALS: dict[str, tuple[str, list[str]]] = {
    "safety": (
        "Bezpieczeństwo i plan bezpieczeństwa",
        ["Ustalić bezpieczny sposób kontaktu", "Omówić plan bezpieczeństwa z klientem"],
    ),
    "accommodation": (
        "Bezpieczne zakwaterowanie",
        ["Zgłosić do mieszkania interwencyjnego", "Ustalić zakwaterowanie po interwencji"],
    ),
    "residence": (
        "Legalizacja pobytu",
        [
            "Wniosek do Straży Granicznej o zaświadczenie (art. 170)",
            "Złożyć wniosek o zezwolenie na pobyt czasowy (art. 176)",
        ],
    ),
    "documents": (
        "Odzyskanie dokumentów",
        ["Kontakt z konsulatem w sprawie dokumentu podróży", "Zgłosić zatrzymanie paszportu"],
    ),
    "criminal": (
        "Udział w postępowaniu jako pokrzywdzony",
        ["Przygotować do przesłuchania", "Wniosek o pełnomocnika z urzędu"],
    ),
    "money": (
        "Odzyskanie wynagrodzenia",
        ["Skarga do Państwowej Inspekcji Pracy", "Wezwanie pracodawcy do zapłaty"],
    ),
    "mental_health": (
        "Wsparcie psychologiczne",
        ["Umówić konsultację psychologiczną", "Konsultacja psychiatryczna (zaburzenia snu)"],
    ),
    "physical_health": ("Opieka medyczna", ["Badanie lekarskie", "Zapisać do lekarza POZ"]),
    "family_law": (
        "Ochrona małoletniego",
        ["Wniosek do sądu rodzinnego o ustanowienie kuratora", "Spotkanie z opiekunem prawnym"],
    ),
    "return": (
        "Bezpieczny powrót do kraju",
        ["Zgłoszenie do programu dobrowolnych powrotów IOM", "Kontakt z organizacją w kraju"],
    ),
    "work": ("Legalna praca i samodzielność", ["Rejestracja w urzędzie pracy", "Kurs języka"]),
}
NOTES = [
    "Rozmowa wstępna z tłumaczem; klient zgłasza brak snu i obawy o rodzinę.",
    "Kontakt telefoniczny w ustalonych godzinach; sytuacja bezpieczeństwa bez zmian.",
    "Spotkanie z pełnomocnikiem; omówiono przebieg postępowania i prawa pokrzywdzonego.",
    "Klient pyta o możliwość legalnej pracy w okresie refleksji.",
    "Konsultacja zespołu: utrzymać poziom ryzyka, przegląd za miesiąc.",
    "Przekazano informacje o programie KPWiOO; klient prosi o czas do namysłu.",
    "Wizyta w mieszkaniu interwencyjnym; potrzebna odzież i karta SIM.",
]
POLICE = [
    "Straż Graniczna — Nadwiślański Oddział SG",
    "Komenda Stołeczna Policji, Wydział do walki z handlem ludźmi",
    "Prokuratura Okręgowa we Wrocławiu",
    "Komenda Wojewódzka Policji w Poznaniu",
]
ORGANISATIONS = [
    "Miejski Ośrodek Pomocy Społecznej",
    "Stowarzyszenie „Po-MOC” (Katowice)",
    "Ośrodek Interwencji Kryzysowej",
]
IOM = "Międzynarodowa Organizacja ds. Migracji (IOM), biuro w Warszawie"
PERPETRATORS = {
    True: "Pośrednik pracy (obywatel kraju pochodzenia) i brygadzista; firma zarejestrowana "
    "na podstawioną osobę.",
    False: "Werbownik znany z imienia i pseudonimu; partner i jego krewni pilnowali miejsca.",
}
LEGAL_DETAILS: dict[str, str] = {
    LegalArea.CRIMINAL: "Prawa pokrzywdzonego; przygotowanie do przesłuchania.",
    LegalArea.RESIDENCE: "Zaświadczenie (art. 170) i zezwolenie na pobyt czasowy (art. 176).",
    LegalArea.LABOUR: "Roszczenia o zaległe wynagrodzenie; skarga do PIP.",
    LegalArea.COMPENSATION: "Odszkodowanie i zadośćuczynienie od sprawców.",
    LegalArea.FAMILY: "Kuratela i postępowanie przed sądem rodzinnym.",
}
