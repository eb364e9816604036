"""The hand-made centre the export tests count (ostoja/reports/tests/test_exports*.py).

With k = 10, for 2025 (the numbers the tests write by hand):

* G1 — 12 adult women, citizenship unknown, forced labour in agriculture, formally
  identified by the Police;
* G3 — 3 adult women from Germany, the same, identified by the Police;
* T — an adult woman from Romania in domestic servitude, whose case opened in November 2024:
  presumed (the centre's decision) in 2024, formally identified by the Police in 2025;
* G2 — 11 adult Polish men in prostitution, presumed (the centre's decision);
* S1 — a Colombian girl, begging, presumed;
* S2 — two Belarusian men in forced labour, one case, identified by the Border Guard;
* S3 — a Ukrainian woman not yet assessed (no decision): no registered victim.

Registered in 2025: 30 (16 identified women incl. T, 11 presumed men, S1, S2); in 2024: T.
"""

import datetime as dt
from dataclasses import dataclass, field

import time_machine

from ostoja.accounts.models import Organisation, User
from ostoja.cases.models import Case
from ostoja.cases.services import case_open
from ostoja.identification.services import decision_add
from ostoja.people.models import Person
from ostoja.people.services import person_create

type Period = tuple[dt.date, dt.date]
YEAR_2025: Period = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
BOTH_YEARS: Period = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))


@dataclass
class World:
    organisation: Organisation
    people: list[Person] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def build(manager: User) -> World:
    organisation = manager.organisation
    assert organisation is not None
    world = World(organisation)
    number = 0

    def group(
        size: int,
        *,
        gender: str,
        born: dt.date,
        citizenships: list[str],
        opened: dt.date,
        context: dict[str, list[str]],
        decisions: list[tuple[str, str, dt.date]],
        one_case: bool = False,
    ) -> None:
        nonlocal number
        people = []
        with time_machine.travel(_at(opened), tick=False):
            for _i in range(size):
                number += 1
                people.append(
                    person_create(
                        organisation=organisation,
                        data={
                            "name": f"Osoba Testowa {number}",
                            "birth_date": born,
                            "gender": gender,
                            "citizenships": citizenships,
                        },
                        acting_user=manager,
                    )
                )
            for clients in [people] if one_case else [[p] for p in people]:
                world.cases.append(
                    case_open(
                        organisation=organisation,
                        clients=clients,
                        manager=manager,
                        data=context,
                        acting_user=manager,
                    )
                )
        for status, decided_by, on in decisions:
            with time_machine.travel(_at(on), tick=False):
                for person in people:
                    decision_add(
                        person=person,
                        data={"status": status, "decided_by": decided_by, "decided_on": on},
                        acting_user=manager,
                    )
        world.people += people

    labour = {"forms": ["forced_labour"], "industries": ["A_AgricultureForestryAndFishing"]}
    actual, possible = "ActualVictimOfTrafficking", "PossibleVictimOfTrafficking"
    woman, man = Person.Gender.FEMININE, Person.Gender.MASCULINE
    identified = [(actual, "police", dt.date(2025, 3, 1))]
    presumed = [(possible, "centre", dt.date(2025, 4, 15))]
    adult_woman = dt.date(1990, 3, 1)
    group(
        12,
        gender=woman,
        born=adult_woman,
        citizenships=[],
        opened=dt.date(2025, 2, 10),
        context={**labour, "control_methods": ["DebtBondage", "Threats"]},
        decisions=identified,
    )
    group(
        3,
        gender=woman,
        born=adult_woman,
        citizenships=["DE"],
        opened=dt.date(2025, 2, 10),
        context=labour,
        decisions=identified,
    )
    group(
        1,
        gender=woman,
        born=dt.date(1994, 1, 1),
        citizenships=["RO"],
        opened=dt.date(2024, 11, 1),
        context={"forms": ["domestic_servitude"], "control_methods": ["WithholdsDocuments"]},
        decisions=[(possible, "centre", dt.date(2024, 11, 5)), *identified],
    )
    group(
        11,
        gender=man,
        born=dt.date(1985, 6, 1),
        citizenships=["PL"],
        opened=dt.date(2025, 4, 1),
        context={"forms": ["prostitution"], "recruitment": ["ThroughOnlineSocialNetworks"]},
        decisions=presumed,
    )
    group(
        1,
        gender=woman,
        born=dt.date(2010, 1, 1),
        citizenships=["CO"],
        opened=dt.date(2025, 5, 1),
        context={"forms": ["begging"]},
        decisions=presumed,
    )
    group(
        2,
        gender=man,
        born=dt.date(1975, 1, 1),
        citizenships=["BY"],
        opened=dt.date(2025, 6, 1),
        context=labour,
        decisions=[(actual, "border_guard", dt.date(2025, 6, 10))],
        one_case=True,
    )
    group(
        1,
        gender=woman,
        born=adult_woman,
        citizenships=["UA"],
        opened=dt.date(2025, 7, 1),
        context=labour,
        decisions=[],
    )
    return world
