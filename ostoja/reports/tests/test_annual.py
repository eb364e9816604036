"""The done-means test of issue #18: a hand-made centre — 40 contacts, 15 people, 10 cases
crossing the years' boundaries, a person assisted in two years, a person presumed one year
and formally identified the next — where every figure of the 2025 report equals a number
counted by hand (the comments say how), and the dashboard, the page, the workbook and the
command agree with it.

Times are written in the centre's local time (Europe/Warsaw): a contact at 00:10 on New
Year's Day is 2025's even though it is 2024 in UTC."""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, CaseClient, Consent, Service
from ostoja.helpline.models import Contact, ContactLanguage, ContactPurpose
from ostoja.identification.models import Decision, Preliminary
from ostoja.interventions.models import Intervention
from ostoja.network.models import (
    Booking,
    Consultation,
    Disclosure,
    Interpreter,
    Partner,
    Referral,
    Training,
)
from ostoja.people.models import Person
from ostoja.prevention.models import Counselling, FlagCatalogue
from ostoja.reports import report
from ostoja.reports.figures import Period, victims
from ostoja.shelter.models import Bed, Facility, Placement, Room
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
YEAR = Period.year(2025)


def at(day: str, time: str = "12:00") -> dt.datetime:
    """A local time in Warsaw."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=WARSAW)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


# channel, line, caller, languages, purposes, local start, how many (40 in all)
CONTACTS = [
    ("phone", "office", "victim", ["pol"], ["identification"], at("2025-03-03", "10:15"), 12),
    (
        "phone",
        "duty",
        "relative",
        ["ukr"],
        ["intervention", "shelter"],
        at("2025-07-05", "23:30"),
        8,
    ),
    ("email", "office", "police", ["pol", "eng"], ["institution"], at("2025-10-14", "14:05"), 6),
    ("sms", "duty", "", [], [], at("2025-12-31", "23:50"), 4),
    ("web", "office", "going_abroad", ["rus"], ["prevention"], at("2025-01-01", "00:10"), 3),
    ("phone", "office", "victim", ["pol"], ["identification"], at("2024-12-31", "23:30"), 2),
    ("phone", "office", "victim", ["pol"], ["identification"], at("2026-01-01", "00:30"), 2),
    ("meeting", "office", "ngo", ["vie"], ["legal", "information"], at("2025-05-20", "09:00"), 2),
]


def _contacts(org: Organisation) -> None:
    for channel, line, caller, languages, purposes, started, n in CONTACTS:
        for _ in range(n):
            contact = Contact.objects.create(
                organisation=org,
                status=Contact.Status.COMPLETED,
                channel=channel,
                line=line,
                caller_type=caller,
                started_at=started,
                summary="",
                caller_number="",
            )
            for language in languages:
                ContactLanguage.objects.create(contact=contact, language=language)
            for purpose in purposes:
                ContactPurpose.objects.create(contact=contact, purpose=purpose)
    # A draft still being written is not counted.
    Contact.objects.create(
        organisation=org, started_at=at("2025-05-05"), line="office", summary="", caller_number=""
    )


def _people(org: Organisation, by: User) -> dict[str, Person]:
    spec: dict[str, dict[str, object]] = {
        "P1": {"gender": "Feminine", "birth_date": d("1990-06-01"), "citizenships": ["PL"]},
        "P2": {"gender": "Masculine", "birth_date": d("2008-03-01"), "citizenships": ["UA"]},
        "P3": {"gender": "Masculine", "birth_date": d("1970-01-01"), "citizenships": ["UA", "PL"]},
        "P4": {"gender": "Feminine", "birth_date": d("2000-02-02"), "citizenships": ["RO"]},
        "P5": {
            "gender": "Masculine",
            "estimated_age": 40,
            "age_estimated_on": d("2025-05-10"),
            "citizenships": ["VN"],
        },
        "P6": {"gender": "Feminine", "possible_minor": True, "citizenships": ["PL"]},
        "P7": {},
        "P8": {"gender": "Feminine", "birth_date": d("1985-01-01"), "citizenships": ["PL"]},
        "P9": {"gender": "Feminine", "birth_date": d("1995-01-01"), "citizenships": ["PH"]},
        "P10": {"gender": "Masculine", "birth_date": d("1980-08-15"), "citizenships": ["BG"]},
        "P11": {"gender": "Feminine", "birth_date": d("1975-01-31"), "citizenships": ["CO"]},
        # Never a client of a case: a relative, a shelter guest, callers.
        "P12": {"kind": "related", "gender": "Masculine"},
        "P13": {"gender": "Feminine"},
        "P14": {"gender": "Masculine"},
        "P15": {"gender": "Feminine"},
    }
    return {
        key: Person.objects.create(organisation=org, name=key, created_by=by, **fields)
        for key, fields in spec.items()
    }


# key: opened, closed, status, stage, referred by, close reason, forms, harms, clients
CASES = {
    "C1": ("2024-11-10", "2025-02-15", "closed", "follow_up", "", "goals_met",
           ["forced_labour"], [], ["P1"]),
    "C2": ("2024-06-01", None, "active", "support", "", "",
           ["forced_labour", "begging"], [], ["P2", "P3"]),
    "C3": ("2025-03-01", None, "active", "assessment", "police", "",
           ["prostitution"], [], ["P4"]),
    "C4": ("2025-05-10", "2025-09-30", "closed", "follow_up", "helpline", "returned",
           [], ["workers_rights"], ["P5"]),
    "C5": ("2025-12-20", None, "open", "intake", "ngo", "",
           ["domestic_servitude"], [], ["P6", "P7"]),
    "C6": ("2023-01-15", "2024-12-31", "closed", "follow_up", "", "contact_lost",
           ["forced_labour"], [], ["P8"]),
    "C7": ("2026-01-05", None, "open", "intake", "self", "",
           ["prostitution"], [], ["P9"]),
    "C8": ("2024-02-01", "2024-05-01", "closed", "follow_up", "", "other",
           ["forced_labour"], [], ["P10"]),
    "C9": ("2025-08-01", None, "on_hold", "reflection", "", "",
           ["forced_labour", "prostitution"], [], ["P10"]),
    "C10": ("2025-02-01", "2026-02-01", "closed", "follow_up", "border_guard", "other",
            ["criminal"], ["fraud"], ["P4", "P11"]),
}  # fmt: skip


def _cases(org: Organisation, by: User, people: dict[str, Person]) -> dict[str, Case]:
    cases = {}
    for number, (key, row) in enumerate(CASES.items(), start=1):
        opened, closed, status, stage, referred, reason, forms, harms, clients = row
        case = Case.objects.create(
            organisation=org,
            year=int(opened[:4]),
            number=number,
            reference=f"KCIK/{opened[:4]}/{number}",
            opened_on=d(opened),
            closed_on=d(closed) if closed else None,
            status=status,
            stage=stage,
            referred_by=referred,
            close_reason=reason,
            forms=forms,
            harms=harms,
            created_by=by,
        )
        for client in clients:
            CaseClient.objects.create(case=case, person=people[client], added_on=d(opened))
        cases[key] = case
    return cases


def _identification(people: dict[str, Person], by: User) -> None:
    for person, status, decided_by, on in [
        ("P1", "PossibleVictimOfTrafficking", "centre", "2024-11-20"),
        ("P1", "ActualVictimOfTrafficking", "police", "2025-03-01"),
        ("P2", "ActualVictimOfTrafficking", "centre", "2024-07-01"),
        ("P4", "ActualVictimOfTrafficking", "border_guard", "2025-04-01"),
        ("P5", "PossibleVictimOfTrafficking", "centre", "2025-05-15"),
        ("P5", "NotAVictimOfTrafficking", "centre", "2025-06-01"),
        ("P6", "PossibleVictimOfTrafficking", "prosecutor", "2025-12-22"),
        ("P10", "PossibleVictimOfTrafficking", "other_org", "2025-08-05"),
        ("P10", "ActualVictimOfTrafficking", "police", "2026-01-10"),
        ("P11", "ActualVictimOfTrafficking", "prosecutor", "2025-02-10"),
    ]:
        Decision.objects.create(
            person=people[person],
            status=status,
            decided_by=decided_by,
            decided_on=d(on),
            recorded_by=by,
        )
    Preliminary.objects.create(
        person=people["P3"], reasons=["language"], decided_at=at("2025-01-10"), decided_by=by
    )


def _services(cases: dict[str, Case], people: dict[str, Person], by: User) -> None:
    for case, client, kind, on in [
        ("C2", "P2", "legal", "2025-02-01"),
        ("C3", "P4", "psychological", "2025-04-04"),
        ("C3", "P4", "psychological", "2025-05-05"),
        ("C9", "P10", "interpretation", "2025-08-10"),
        ("C1", "P1", "accommodation", "2024-12-01"),
    ]:
        Service.objects.create(
            case=cases[case], client=people[client], kind=kind, delivered_on=d(on), created_by=by
        )


def _interventions(org: Organisation, by: User) -> None:
    utc = dt.UTC
    for n, (situation, contact_at, first_action, outcome) in enumerate(
        [
            ("captivity", dt.datetime(2025, 7, 5, 21, 30, tzinfo=utc), 10, "safe"),
            ("safe_place", dt.datetime(2025, 11, 1, 10, 0, tzinfo=utc), 45, "shelter"),
            ("medical", dt.datetime(2025, 12, 31, 22, 0, tzinfo=utc), 125, ""),
            ("danger", at("2026-01-01", "00:30"), 5, "safe"),  # 2026 in Warsaw
            ("other", at("2025-03-03", "10:00"), None, "false_alarm"),
        ],
        start=1,
    ):
        Intervention.objects.create(
            organisation=org,
            reference=f"INT/{n}",
            situation=situation,
            first_contact_at=contact_at,
            opened_at=contact_at + dt.timedelta(minutes=5),
            office_hours=False,
            first_action_at=contact_at + dt.timedelta(minutes=first_action)
            if first_action is not None
            else None,
            outcome=outcome,
            status="closed" if outcome else "open",
            opened_by=by,
        )


def _shelter(org: Organisation, people: dict[str, Person], by: User) -> None:
    shelter = Facility.objects.create(organisation=org, name="Dom", kind="shelter")
    hostel = Facility.objects.create(organisation=org, name="Hostel", kind="hostel")
    room = Room.objects.create(facility=shelter, name="1")
    bed_a = Bed.objects.create(room=room, label="A")
    bed_b = Bed.objects.create(room=room, label="B")
    bed_c = Bed.objects.create(room=Room.objects.create(facility=hostel, name="1"), label="C")
    Bed.objects.create(room=room, label="D", out_of_use=True)

    def place(person: str, bed: Bed, admitted: dt.datetime, **fields: Any) -> Placement:
        fields.setdefault("status", "discharged")
        return Placement.objects.create(
            organisation=org, person=people[person], bed=bed, admitted_at=admitted, placed_by=by,
            **fields,
        )  # fmt: skip

    place("P1", bed_a, at("2024-12-30", "15:00"), discharged_at=at("2025-01-02", "10:00"),
          reason="plan_completed", destination="own_flat")  # fmt: skip
    moved = place("P4", bed_b, at("2025-03-01", "02:00"), discharged_at=at("2025-03-10", "12:00"),
                  reason="moved", brought_by="police")  # fmt: skip
    place("P4", bed_c, at("2025-03-10", "12:00"), discharged_at=at("2025-04-20", "09:00"),
          reason="own_decision", destination="another_shelter", moved_from=moved)  # fmt: skip
    place("P13", bed_a, at("2025-12-20", "18:00"), status="admitted", brought_by="staff")
    place("P14", bed_b, at("2025-06-10", "14:00"), discharged_at=at("2025-06-10", "20:00"),
          reason="other", destination="hospital")  # fmt: skip


def _network(
    org: Organisation, cases: dict[str, Case], people: dict[str, Person], by: User
) -> None:
    police = Partner.objects.create(
        organisation=org, name="KWP", kind="police", voivodeship="14", updated_by=by
    )
    ngo = Partner.objects.create(organisation=org, name="Fundacja", kind="ngo", updated_by=by)
    hour = dt.timedelta(hours=1)
    # answered: 30 minutes, 5 hours, 2 days later, not yet; the third opened case C9
    for partner, topic, asked, after, led_to in [
        (police, "identification", at("2025-02-02"), hour / 2, None),
        (police, "legal_residence", at("2025-06-06"), 5 * hour, None),
        (ngo, "identification", at("2025-09-09"), 48 * hour, cases["C9"]),
        (ngo, "other", at("2025-10-10"), None, None),
        (police, "identification", at("2024-12-31", "23:30"), None, None),
    ]:
        Consultation.objects.create(
            organisation=org, partner=partner, channel="phone", topic=topic, asked_at=asked,
            answered_at=asked + after if after else None, case=led_to, created_by=by,
        )  # fmt: skip
    for kind, on, participants in [
        ("training", "2025-04-01", 20),
        ("presentation", "2025-05-01", 35),
        ("training", "2024-10-10", 15),
    ]:
        Training.objects.create(
            organisation=org, kind=kind, held_on=d(on), audience="Policja",
            participants=participants, topic="Identyfikacja", created_by=by,
        )  # fmt: skip
    for case, client, partner, sent in [
        ("C3", "P4", police, at("2025-03-05")),
        ("C2", "P2", ngo, at("2025-02-10")),
        ("C2", "P3", ngo, at("2024-12-01")),
    ]:
        consent = Consent.objects.create(
            case=cases[case], client=people[client], scope="share_org", method="written",
            given_on=sent.date(), created_by=by,
        )  # fmt: skip
        disclosure = Disclosure.objects.create(
            organisation=org, person=people[client], case=cases[case], partner=partner,
            consent=consent, document="x", by=by, at=sent, kind="referral", basis="consent",
            channel="email",
        )  # fmt: skip
        Referral.objects.create(
            organisation=org, case=cases[case], client=people[client], partner=partner,
            disclosure=disclosure, sent_at=sent, answer_due=sent.date(), created_by=by,
        )  # fmt: skip
    interpreter = Interpreter.objects.create(
        organisation=org, name="Tłumacz", languages=["ukr", "vie"], kind="community", sex="woman",
        cost_per_hour=Decimal(100),
    )  # fmt: skip
    for language, hours, starts in [
        ("ukr", "2.5", at("2025-07-06")),
        ("ukr", "1.5", at("2025-08-01")),
        ("vie", "3", at("2025-05-20")),
        ("ukr", "4", at("2024-12-01")),
    ]:
        Booking.objects.create(
            organisation=org, interpreter=interpreter, purpose="call", language=language,
            starts_at=starts, hours=Decimal(hours), cost=Decimal(0), created_by=by,
        )  # fmt: skip


def _prevention(org: Organisation, by: User) -> None:
    catalogue = FlagCatalogue.objects.create(
        version=99, name="Test", source="test", medium_from=3, high_from=6
    )
    for work, when in [
        ("agriculture", at("2025-02-02")),
        ("care", at("2025-03-03")),
        ("agriculture", at("2025-03-04")),
        ("agriculture", at("2024-06-06")),
    ]:
        Counselling.objects.create(
            organisation=org, counsellor=by, catalogue=catalogue, work=work, created_at=when
        )


@pytest.fixture
def world(centre: dict[Role, Persona]) -> Organisation:
    by = centre[Role.COORDINATOR].user
    org = by.organisation
    assert org is not None
    _contacts(org)
    people = _people(org, by)
    cases = _cases(org, by, people)
    _identification(people, by)
    _services(cases, people, by)
    _interventions(org, by)
    _shelter(org, people, by)
    _network(org, cases, people, by)
    _prevention(org, by)
    return org


# Every figure of the 2025 report, counted by hand from the fixture above.
EXPECTED: dict[str, tuple[dict[str, object], object]] = {
    # 12+8+6+4+3+2 = 35 in 2025: the 2 of 31 Dec 2024 23:30 and the 2 of 1 Jan 2026 00:30
    # are not, the 3 of 1 Jan 2025 00:10 (still 2024 in UTC) are; the draft is not.
    "contacts_by_channel": ({"phone": 20, "email": 6, "sms": 4, "web": 3, "meeting": 2}, 35),
    "contacts_by_line": ({"office": 23, "duty": 12}, 35),
    "contacts_by_caller": (
        {"victim": 12, "relative": 8, "police": 6, "going_abroad": 3, "ngo": 2, "-": 4},
        35,
    ),
    "contacts_by_language": (
        {"pol": 18, "ukr": 8, "eng": 6, "rus": 3, "vie": 2, "-": 4},
        35,
    ),
    "contacts_by_purpose": (
        {
            "identification": 12,
            "intervention": 8,
            "shelter": 8,
            "institution": 6,
            "prevention": 3,
            "legal": 2,
            "information": 2,
            "-": 4,
        },
        35,
    ),
    "contacts_by_month": (
        {"2025-01": 3, "2025-03": 12, "2025-05": 2, "2025-07": 8, "2025-10": 6, "2025-12": 4},
        35,
    ),
    "contacts_by_hour": ({"00": 3, "09": 2, "10": 12, "14": 6, "23": 12}, 35),
    "consultations_by_kind": ({"police": 2, "ngo": 2}, 4),
    "consultations_by_topic": ({"identification": 2, "legal_residence": 1, "other": 1}, 4),
    "consultations_by_voivodeship": ({"14": 2, "-": 2}, 4),
    "consultations_by_month": ({"2025-02": 1, "2025-06": 1, "2025-09": 1, "2025-10": 1}, 4),
    "consultations_response": ({"0-1": 1, "1-24": 1, "24-72": 1, "-": 1}, 4),
    "consultations_outcome": ({"case": 1, "advice": 3}, 4),
    "trainings": ({"training": 1, "presentation": 1}, 2),
    "training_participants": ({"training": 20, "presentation": 35}, 55),
    "preventive_consultations": ({"agriculture": 2, "care": 1}, 3),
    # Cases open in 2025: C1 (closed 15 Feb), C2, C3, C4, C5, C9, C10 — not C6 (closed
    # 31 Dec 2024), C7 (2026), C8 (2024). Their clients: P1 P2 P3 P4 P5 P6 P7 P10 P11 (P4
    # is in two cases and counts once).
    "people_by_sex": ({"Feminine": 4, "Masculine": 4, "NonSpecifiedUnknown": 1}, 9),
    # P2 16 and P6 a possible minor; P4 24 on 1 Feb (25 the next day); P1 34; P5 40 (an
    # estimate); P10 44 on 1 Aug; P11 50; P3 55; P7 unknown.
    "people_by_age": (
        {"0-17": 2, "18-24": 1, "25-34": 1, "35-44": 2, "45-54": 1, "55+": 1, "-": 1},
        9,
    ),
    # P3 is UA and PL: the first recorded counts.
    "people_by_citizenship": (
        {"UA": 2, "PL": 2, "RO": 1, "VN": 1, "BG": 1, "CO": 1, "-": 1},
        9,
    ),
    "people_by_citizenship_group": ({"national": 2, "eu": 2, "non_eu": 4, "-": 1}, 9),
    # P4: prostitution (C3) and criminal (C10); P10: only C9's forms (C8 was 2024's).
    "people_by_form": (
        {
            "forced_labour": 4,
            "begging": 2,
            "prostitution": 2,
            "criminal": 2,
            "domestic_servitude": 2,
            "-": 1,
        },
        9,
    ),
    "people_by_eurostat_form": ({"SEX_EXP": 2, "LAB_EXP": 6, "OTH": 4, "-": 1}, 9),
    "people_by_harm": ({"workers_rights": 1, "fraud": 2, "-": 6}, 9),
    # P1 presumed in 2024, identified by the police in 2025; P10 identified only in 2026;
    # P5 found not a victim after being possible; P3 only a preliminary identification.
    "people_by_identification": (
        {"identified": 3, "presumed": 4, "not_victim": 1, "undetermined": 1},
        9,
    ),
    "people_by_identifier": (
        {"police": 1, "border_guard": 1, "prosecutor": 2, "centre": 3, "other_org": 1, "-": 1},
        9,
    ),
    "cases_opened": ({"police": 1, "helpline": 1, "ngo": 1, "border_guard": 1, "-": 1}, 5),
    "cases_closed": ({"goals_met": 1, "returned": 1}, 2),
    # The one opened at 00:35 on 1 Jan 2026 (Warsaw) is 2026's.
    "interventions_by_situation": (
        {"captivity": 1, "safe_place": 1, "medical": 1, "other": 1},
        4,
    ),
    "interventions_by_outcome": ({"safe": 1, "shelter": 1, "false_alarm": 1, "-": 1}, 4),
    "interventions_first_action": ({"0-15": 1, "15-60": 1, "60-240": 1, "-": 1}, 4),
    # Morning rule: P1 30 Dec–2 Jan: 1 night in 2025 (2 in 2024); P4 from 02:00 on 1 Mar:
    # nights 28 Feb–9 Mar = 10 in the shelter, then 10 Mar–19 Apr = 41 in the hostel; P13
    # from 20 Dec, still there: 12; P14 admitted and discharged the same day: 0.
    "shelter_nights": ({"shelter": 23, "hostel": 41}, 64),
    "shelter_people": ({"shelter": 3, "hostel": 1}, 3),
    # The same 64 nights by place and by what is known of the people: P1 (PL, 34 on 30 Dec
    # 2024, C1's forced labour) 1; P4 (RO, 25 on 1 and on 10 Mar, C3's prostitution and
    # C10's criminal activity) 51; P13 (nothing recorded, no case) 12 — all women.
    "shelter_nights_by_facility": ({"Dom": 23, "Hostel": 41}, 64),
    "shelter_nights_by_sex": ({"Feminine": 64}, 64),
    "shelter_nights_by_age": ({"25-34": 52, "-": 12}, 64),
    "shelter_nights_by_citizenship": ({"RO": 51, "-": 12, "PL": 1}, 64),
    "shelter_nights_by_form": (
        {"forced_labour": 1, "prostitution": 51, "criminal": 51, "-": 12},
        64,
    ),
    # The move to the hostel is not an admission, nor a discharge.
    "shelter_admissions": ({"police": 1, "staff": 1, "-": 1}, 3),
    "shelter_discharges": ({"own_flat": 1, "another_shelter": 1, "hospital": 1}, 3),
    # P1: 3 nights; P4: 51 (28 Feb–19 Apr, the move included); P14: 0.
    "shelter_length_of_stay": ({"0-7": 2, "31-90": 1}, 3),
    # 23 nights in the shelter's 2 beds in use (D is out of use) × 365 nights = 3.15 %.
    "shelter_occupancy": ({"shelter": Decimal("3.2")}, Decimal("3.2")),
    "services_by_kind": ({"legal": 1, "psychological": 2, "interpretation": 1}, 4),
    "referrals_by_partner": ({"police": 1, "ngo": 1}, 2),
    "interpreting_hours": ({"ukr": Decimal("4.00"), "vie": Decimal("3.00")}, Decimal("7.00")),
}


def test_every_figure_of_the_year_equals_the_hand_count(world: Organisation) -> None:
    built = report.build(world, YEAR)
    assert set(built.figure_keys) == set(EXPECTED)
    for key, (values, total) in EXPECTED.items():
        table = built.table(key)
        assert (table.values(), table.total) == (values, total), key


def test_the_year_before_counts_the_people_and_nights_it_had(world: Organisation) -> None:
    built = report.build(world, Period.year(2024))
    # C1, C2, C6, C8: P1 P2 P3 P8 P10 — P1 and P10 are assisted in both years.
    assert built.table("people_by_sex").values() == {"Feminine": 2, "Masculine": 3}
    # P1 and P2 presumed by the centre (P1's police decision is 2025's).
    assert built.table("people_by_identification").values() == {"presumed": 2, "undetermined": 3}
    assert built.table("shelter_nights").values() == {"shelter": 2}
    assert built.table("contacts_by_channel").total == 2
    assert built.table("interpreting_hours").total == Decimal("4.00")
    assert built.table("consultations_by_topic").total == 1


def test_the_next_year_starts_with_new_years_night(world: Organisation) -> None:
    built = report.build(world, Period(d("2026-01-01"), d("2026-01-31")))
    assert built.table("contacts_by_channel").values() == {"phone": 2}
    assert built.table("interventions_by_situation").values() == {"danger": 1}
    assert built.table("shelter_nights").values() == {"shelter": 31}  # P13 stays on


def test_victims_carry_no_identity(world: Organisation) -> None:
    rows = victims(world, YEAR)
    assert len(rows) == 9
    fields = set(type(rows[0]).__dataclass_fields__)
    assert not fields & {"name", "pk", "id", "code", "person", "birth_date", "phone"}


def test_the_dashboard_page_workbook_and_command_agree(
    world: Organisation, client: Client, centre: dict[Role, Persona], tmp_path: Path
) -> None:
    force_sign_in(client, centre[Role.ANALYST].user)
    query = "from=2025-01-01&to=2025-12-31"
    for url in (f"/?{query}", f"/reports/annual/?{query}"):
        html = text(client.get(url))
        for key, (_values, total) in EXPECTED.items():
            start = html.index(f'data-figure="{key}"')
            chunk = html[start : html.index('data-key="total"', start) + 100]
            assert f'data-value="{total}"' in chunk, (url, key)
    workbook = client.get("/reports/annual/xlsx/?from=2025-01-01&to=2025-12-31")
    book = load_workbook(io.BytesIO(workbook.content))
    for key, (values, total) in EXPECTED.items():
        last = list(book[key].iter_rows(values_only=True))[-1]
        assert last[1] == (float(total) if isinstance(total, Decimal) else total), key
        assert sum(1 for row in book[key].iter_rows(min_row=7, values_only=True) if row[1]) == (
            len(values) + 1  # and the total
        ), key
    output = tmp_path / "2025.xlsx"
    call_command("report_annual", "--year", "2025", "--format", "xlsx", "--output", str(output))
    command_book = load_workbook(output)
    assert [list(s.iter_rows(min_row=6, values_only=True)) for s in command_book][1:] == [
        list(s.iter_rows(min_row=6, values_only=True)) for s in book
    ][1:]
    generated = AuditEntry.objects.get(action="report.generated")
    assert generated.data["from"] == "2025-01-01" and generated.organisation == world
    pdf = tmp_path / "2025.pdf"
    call_command("report_annual", "--year", "2025", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_coordinators_status_counts_agree_with_the_case_list(
    world: Organisation, client: Client, centre: dict[Role, Persona]
) -> None:
    force_sign_in(client, centre[Role.COORDINATOR].user)
    html = text(client.get("/"))
    start = html.index('data-figure="caseload_by_status"')
    chunk = html[start : html.index("</table>", start)]
    # C5 C7 open; C2 C3 active; C9 on hold; five closed.
    for status, n in {"open": 2, "active": 2, "on_hold": 1, "closed": 5}.items():
        assert f'href="/cases/?status={status}">' in chunk
        row = chunk[chunk.index(f'data-key="{status}"') :]
        assert f'data-value="{n}"' in row[: row.index("</tr>")], status
        listed = text(client.get(f"/cases/?status={status}"))
        assert len(set(re.findall(r'href="/cases/([0-9a-f-]{36})/"', listed))) == n, status
    assert 'data-testid="open-cases">5<' in html
