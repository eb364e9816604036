"""A victim-level anonymised CSV shaped as the CTDC Global Dataset (DOMAIN.md §3.2–3.4):
its 63 published columns in their order, ``-99`` for a missing value, ages in CTDC's bands,
one row per registered victim (presumed or identified) in the year they were first
assisted in the period, nothing that names anyone — and small cells suppressed.

Mapped from the case: the forms of exploitation (``cases.vocabulary.FORMS`` through their
HTCDS type), the industries (ISIC sections), the means of control (the case's vocabulary
uses CTDC's own names). Not recorded by Ostoja, so always ``-99``: age at entry,
abduction, the recruiter's relationship.
"""

from django.utils.translation import gettext_lazy as _

from ostoja.cases import vocabulary as v
from ostoja.people.models import ADULT_AGE, Person
from ostoja.reports.exports.suppression import Row, Step, Suppressed, suppress
from ostoja.reports.exports.victims import REGISTERED, Victim

MISSING = "-99"
MEANS = [
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
]
EXPLOITS = [
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
]
LABOURS = [
    "Agriculture",
    "Aquafarming",
    "Begging",
    "Construction",
    "DomesticWork",
    "Hospitality",
    "IllicitActivities",
    "Manufacturing",
    "MiningOrDrilling",
    "Peddling",
    "Transportation",
    "Other",
    "NotSpecified",
]
SEXES = ["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"]
RELATIONS = ["IntimatePartner", "Friend", "Family", "Other", "Unknown"]
COLUMNS = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    *(f"meansOfControl{means}" for means in [*MEANS, "NotSpecified"]),
    "meansOfControlConcatenated",
    *EXPLOITS,
    "typeOfExploitConcatenated",
    *(f"typeOfLabour{labour}" for labour in LABOURS),
    "typeOfLabourConcatenated",
    *(f"typeOfSex{sex}" for sex in SEXES),
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    *(f"recruiterRelation{relation}" for relation in RELATIONS),
]
# CTDC's age bands (ageBroad), upper bounds included.
AGE_BANDS = [(8, "0--8"), (17, "9--17"), (20, "18--20"), (23, "21--23"), (26, "24--26")]
AGE_BANDS += [(29, "27--29"), (38, "30--38"), (47, "39--47")]
OLDEST = "48+"
GENDERS: dict[str, str] = {
    Person.Gender.FEMININE: "Female",
    Person.Gender.MASCULINE: "Male",
    Person.Gender.TRANSGENDER_FEMININE: "Trans/Transgender/NonConforming",
    Person.Gender.TRANSGENDER_MASCULINE: "Trans/Transgender/NonConforming",
    Person.Gender.NON_CONFORMING: "Trans/Transgender/NonConforming",
}
# HTCDS type of exploitation -> CTDC flag.
EXPLOIT_OF = {
    "ForcedLabour": "isForcedLabour",
    "SexualExploitation": "isSexualExploit",
    "ForcedMarriage": "isForcedMarriage",
    "ForcedMilitaryByNonStateActors": "isForcedMilitary",
    "OrganRemoval": "isOrganRemoval",
    "Servitude": "isSlaveryAndPractices",
}
EXPLOIT_WORDS = {
    "isForcedLabour": "Forced labour",
    "isSexualExploit": "Sexual exploitation",
    "isOtherExploit": "Other",
    "isForcedMarriage": "Forced marriage",
    "isForcedMilitary": "Forced military",
    "isOrganRemoval": "Organ removal",
    "isSlaveryAndPractices": "Slavery and similar practices",
}
# ISIC section (or form of exploitation) -> CTDC type of labour.
LABOUR_OF = {
    "A_AgricultureForestryAndFishing": "Agriculture",
    "B_MiningAndQuarrying": "MiningOrDrilling",
    "C_Manufacturing": "Manufacturing",
    "F_Construction": "Construction",
    "H_TransportationAndStorage": "Transportation",
    "I_AccommodationAndFoodServiceActivities": "Hospitality",
    "T_ActivitiesOfHouseholdsAsEmployers": "DomesticWork",
    "begging": "Begging",
    "criminal": "IllicitActivities",
    "domestic_servitude": "DomesticWork",
}
SEX_OF = {"prostitution": "Prostitution", "pornography": "Pornography"}
EXPLOITATION_COLUMNS = [
    *EXPLOITS,
    "typeOfExploitConcatenated",
    *(f"typeOfLabour{labour}" for labour in LABOURS),
    "typeOfLabourConcatenated",
    *(f"typeOfSex{sex}" for sex in SEXES),
    "typeOfSexConcatenated",
]
QUASI_IDENTIFIERS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "citizenship",
    "CountryOfExploitation",
    *EXPLOITATION_COLUMNS,
]
STEPS = [
    Step(_("citizenship"), {"citizenship": MISSING}),
    Step(_("country of exploitation"), {"CountryOfExploitation": MISSING}),
    Step(_("age group"), {"ageBroad": MISSING}),
    Step(_("form of exploitation"), dict.fromkeys(EXPLOITATION_COLUMNS, MISSING)),
    Step(_("child or adult"), {"majorityStatus": MISSING, "majorityStatusAtExploit": MISSING}),
    Step(_("sex"), {"gender": MISSING}),
]


def age_band(age: int | None) -> str:
    if age is None:
        return MISSING
    return next((band for upper, band in AGE_BANDS if age <= upper), OLDEST)


def _flags(names: list[str], prefix: str, chosen: set[str]) -> Row:
    return {f"{prefix}{name}": str(int(name in chosen)) for name in names}


def _words(chosen: list[str]) -> str:
    return "; ".join(chosen) if chosen else "Not specified"


def _majority(minor: bool | None) -> str:
    return MISSING if minor is None else "Minor" if minor else "Adult"


def row(victim: Victim) -> Row:
    """The CTDC row of one victim, before suppression."""
    htcds = {v.FORMS[form].htcds for form in victim.forms if form in v.FORMS}
    exploits = {EXPLOIT_OF[kind] for kind in htcds if kind in EXPLOIT_OF}
    if htcds - set(EXPLOIT_OF):
        exploits.add("isOtherExploit")
    if {"isForcedLabour", "isSexualExploit"} <= exploits:
        exploits.add("isSexAndLabour")
    labour = {LABOUR_OF[key] for key in [*victim.industries, *victim.forms] if key in LABOUR_OF}
    if victim.industries - set(LABOUR_OF):
        labour.add("Other")
    if "isForcedLabour" in exploits and not labour:
        labour.add("NotSpecified")
    sex = {SEX_OF[form] for form in victim.forms if form in SEX_OF}
    means = {m for m in victim.control_methods if m in MEANS}
    exploitation = {
        **_flags(EXPLOITS, "", exploits),
        "typeOfExploitConcatenated": _words([EXPLOIT_WORDS[e] for e in EXPLOITS if e in exploits]),
        **_flags(LABOURS, "typeOfLabour", labour),
        "typeOfLabourConcatenated": _words([name for name in LABOURS if name in labour]),
        **_flags(SEXES, "typeOfSex", sex),
        "typeOfSexConcatenated": _words([name for name in SEXES if name in sex]),
    }
    if not victim.forms:
        exploitation = dict.fromkeys(EXPLOITATION_COLUMNS, MISSING)
    at_exploitation = victim.age_at_exploitation
    return {
        "yearOfRegistration": str(victim.year),
        "Datasource": "Case Management",
        "gender": GENDERS.get(victim.gender, MISSING),
        "ageBroad": age_band(victim.age),
        "majorityStatus": _majority(
            True if victim.minor else None if victim.age is None else False
        ),
        "majorityStatusAtExploit": _majority(
            None if at_exploitation is None else at_exploitation < ADULT_AGE
        ),
        "majorityEntry": MISSING,
        "citizenship": victim.citizenship or MISSING,
        **_flags([*MEANS, "NotSpecified"], "meansOfControl", means or {"NotSpecified"}),
        "meansOfControlConcatenated": _words([m for m in MEANS if m in means]),
        **exploitation,
        "isAbduction": MISSING,
        "RecruiterRelationship": MISSING,
        "CountryOfExploitation": victim.exploitation_country or MISSING,
        **dict.fromkeys((f"recruiterRelation{relation}" for relation in RELATIONS), MISSING),
    }


def ctdc(victims: list[Victim], *, k: int) -> Suppressed:
    """The CTDC rows of the registered victims among ``victims`` (one per person), small
    cells suppressed."""
    registered = [victim for victim in victims if victim.status in REGISTERED]
    return suppress(
        [row(victim) for victim in registered],
        [victim.person for victim in registered],
        columns=QUASI_IDENTIFIERS,
        steps=STEPS,
        k=k,
    )
