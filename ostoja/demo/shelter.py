"""Demo shelter (``manage.py demo``, after the cases): the places KCIK has — two shelters
for adult women, a three-bed men's shelter, two rented apartments — and those it uses when
they are full — a partner's crisis centre, a hostel; a year of stays shaped like DOMAIN.md
§6 (some in the centre's own places, more elsewhere), a women's shelter full tonight, one
resident out, and the shift book of the last day. Written through the services, so every
stay is audited as a real one. Addresses are invented."""

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.cases.models import CaseClient
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter import services
from ostoja.shelter.models import Bed, Facility, Placement

# name, kind, whom it takes, rooms (name, beds), invented address.
FACILITIES: list[tuple[str, str, dict[str, bool], list[tuple[str, int]], str]] = [
    (
        "Schronisko dla kobiet „Lipa”",
        Facility.Kind.SHELTER,
        {"takes_women": True, "takes_families": True},
        [("1", 2), ("2", 2), ("3", 2), ("4", 2)],
        "ul. Przykładowa 1, 00-001 Warszawa",
    ),
    (
        "Schronisko dla kobiet „Jarzębina”",
        Facility.Kind.SHELTER,
        {"takes_women": True, "accessible": True},
        [("A", 2), ("B", 2), ("C", 2)],
        "ul. Zmyślona 12, 00-002 Warszawa",
    ),
    (
        "Schronisko dla mężczyzn „Dąb”",
        Facility.Kind.SHELTER,
        {"takes_men": True},
        [("1", 3)],
        "ul. Nieistniejąca 5, 00-003 Warszawa",
    ),
    (
        "Mieszkanie chronione „Mokotów”",
        Facility.Kind.APARTMENT,
        {"takes_women": True, "takes_families": True},
        [("pokój", 2)],
        "ul. Fikcyjna 7 m. 3, 00-004 Warszawa",
    ),
    (
        "Mieszkanie chronione „Wola”",
        Facility.Kind.APARTMENT,
        {"takes_men": True},
        [("pokój", 2)],
        "ul. Wymyślona 9 m. 14, 00-005 Warszawa",
    ),
    (
        "Ośrodek Interwencji Kryzysowej (partner)",
        Facility.Kind.CRISIS_CENTRE,
        {"takes_women": True, "takes_men": True, "takes_families": True, "takes_minors": True},
        [("1", 2), ("2", 2)],
        "ul. Umowna 3, 00-006 Warszawa",
    ),
    (
        "Hostel „Dworcowy” (w nagłych sytuacjach)",
        Facility.Kind.HOSTEL,
        {"takes_women": True, "takes_men": True, "accessible": True},
        [("11", 2), ("12", 2)],
        "ul. Podróżna 20, 00-007 Warszawa",
    ),
]
FULL_TONIGHT = 1  # "Jarzębina": every bed taken tonight
# Invented women, so that the women's shelters have residents (the demo cases are mostly men).
WOMEN = [
    "Anna Zawadzka", "Beata Sikora", "Celina Wrona", "Dorota Krajewska", "Elżbieta Mazur",
    "Felicja Górska", "Grażyna Pawlak", "Halina Kubiak", "Irena Wilk", "Jolanta Baran",
]  # fmt: skip


def _women(organisation: Organisation, manager: User) -> list[Person]:
    return [
        person_create(
            organisation=organisation,
            data={
                "name": name,
                "gender": Person.Gender.FEMININE,
                "citizenships": ["PL"],
                "birth_date": dt.date(1975 + n * 2, 1 + n, 10 + n),
            },
            acting_user=manager,
        )
        for n, name in enumerate(WOMEN)
    ]


def _stay(
    person: Person,
    bed: Bed,
    start: dt.datetime,
    end: dt.datetime | None,
    actors: Mapping[str, User],
    case_of: Mapping[int, Any],
    rng: random.Random,
) -> Placement:
    placement = services.placement_reserve(
        person=person,
        bed=bed,
        case=case_of.get(person.pk),
        at=start - dt.timedelta(hours=rng.randint(1, 30)),
        acting_user=actors["placer"],
    )
    services.placement_admit(
        placement=placement,
        at=start,
        brought_by=rng.choice(["staff", "police", "border_guard", "partner", "self"]),
        arrived_with=rng.choice(["", "Paszport, telefon.", "Tylko ubranie.", "Plecak."]),
        expected_departure=(end or start + dt.timedelta(days=30)).date(),
        acting_user=actors["staff"],
    )
    if end is not None:
        destination = rng.choice(
            ["own_flat", "family", "return_home", "another_shelter", "hospital", "unknown"]
        )
        reason = (
            "left"
            if destination == "unknown"
            else rng.choice(["plan_completed", "own_decision", "plan_completed"])
        )
        services.placement_discharge(
            placement=placement,
            at=end,
            reason=reason,
            destination=destination,
            acting_user=actors["staff"],
        )
    return placement


def build(organisation: Organisation, staff: Mapping[Role, User], today: dt.date) -> int:
    """The facilities and a year of stays; returns how many stays."""
    rng = random.Random(15)  # noqa: S311  # demo data, not secrets
    coordinator = staff[Role.COORDINATOR]
    facilities = [
        services.facility_create(
            organisation=organisation,
            data={
                "name": name,
                "kind": kind,
                **takes,
                "phone": f"+48 22 555 01 {n:02d}",
                "address": address,
                "house_rules": "Cisza nocna 22:00–6:00. Wyjście i powrót zgłaszamy dyżurującym.",
            },
            rooms=rooms,
            staff=[staff[Role.SHELTER_STAFF]] if kind == Facility.Kind.SHELTER else [],
            acting_user=coordinator,
        )
        for n, (name, kind, takes, rooms, address) in enumerate(FACILITIES)
    ]
    clients = list(
        Person.objects.filter(organisation=organisation, case_links__isnull=False).distinct()
    )
    women = _women(organisation, staff[Role.CASE_MANAGER])
    clients += women
    # Tonight's residents of the full shelter, kept for it.
    full_beds = Bed.objects.filter(room__facility=facilities[FULL_TONIGHT]).order_by("pk")
    tonight = dict(zip([bed.pk for bed in full_beds], women, strict=False))
    clients = [p for p in clients if p not in tonight.values()]
    case_of = {
        link.person_id: link.case
        for link in CaseClient.objects.filter(person__in=clients).select_related("case")
    }
    actors = {"placer": staff[Role.COUNSELLOR], "staff": staff[Role.SHELTER_STAFF]}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    free_from = {p.pk: now - dt.timedelta(days=400) for p in clients}
    made = 0
    for facility in facilities:
        fits = [p for p in clients if _fits(p, facility, today)]
        for bed in Bed.objects.filter(room__facility=facility).order_by("room__name", "label"):
            start = now - dt.timedelta(days=365 - rng.randint(0, 30), hours=rng.randint(0, 12))
            while True:
                hostel = facility.kind == Facility.Kind.HOSTEL
                nights = rng.randint(2, 10) if hostel else rng.randint(7, 70)
                end = start + dt.timedelta(days=nights, hours=rng.randint(-5, 5))
                ready = [p for p in fits if free_from[p.pk] < start]
                if end > now - dt.timedelta(days=1) or not ready:
                    if bed.pk in tonight:  # the full shelter: this stay runs on tonight
                        _stay(tonight[bed.pk], bed, start, None, actors, case_of, rng)
                        made += 1
                    break
                person = rng.choice(ready)
                _stay(person, bed, start, end, actors, case_of, rng)
                made += 1
                free_from[person.pk] = end + dt.timedelta(days=1)
                start = end + dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
    _tonight(facilities[FULL_TONIGHT], staff, now)
    # The waiting list: women for whom the women's shelters had no bed tonight.
    placed = set(
        Placement.objects.filter(status__in=["reserved", "admitted"]).values_list(
            "person", flat=True
        )
    )
    waiting = [p for p in women if p.pk not in placed][:2]
    for person, (priority, offered) in zip(waiting, [(1, "partner"), (3, "hotel")], strict=False):
        services.waiting_add(
            person=person,
            priority=priority,
            needs="Pokój bez schodów." if priority == 3 else "",
            offered=offered,
            acting_user=staff[Role.COUNSELLOR],
        )
    return made


def _fits(person: Person, facility: Facility, today: dt.date) -> bool:
    try:
        services.check_fits(person, facility, today)
    except ValidationError:
        return False
    return True


def _tonight(facility: Facility, staff: Mapping[Role, User], now: dt.datetime) -> None:
    """In the full shelter: one resident out until late, and the last day's shift book."""
    worker = staff[Role.SHELTER_STAFF]
    residents = list(
        Placement.objects.filter(bed__room__facility=facility, status="admitted").order_by("pk")
    )
    if not residents:
        return
    services.absence_start(
        placement=residents[0],
        expected_back=now + dt.timedelta(hours=3),
        where="Do apteki i na pocztę.",
        acting_user=worker,
    )
    services.shift_entry_write(
        facility=facility,
        shift="day",
        text="Wszystkie łóżka zajęte. Przegląd apteczki zrobiony.",
        acting_user=worker,
    )
    services.shift_entry_write(
        facility=facility,
        shift="night",
        text="Nie mogła zasnąć, mówi, że widziała samochód pracodawcy pod sklepem.",
        placement=residents[-1],
        for_case_manager=True,
        acting_user=worker,
    )
