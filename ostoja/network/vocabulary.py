"""The directory's lists: Poland's voivodeships, the kinds of partner the centre works with,
and the kinds of service (the taxonomy of the HSDS export, DOMAIN.md §7)."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Voivodeship(models.TextChoices):
    """Poland's sixteen voivodeships, by their TERYT codes."""

    DOLNOSLASKIE = "02", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "04", "kujawsko-pomorskie"
    LUBELSKIE = "06", "lubelskie"
    LUBUSKIE = "08", "lubuskie"
    LODZKIE = "10", "łódzkie"
    MALOPOLSKIE = "12", "małopolskie"
    MAZOWIECKIE = "14", "mazowieckie"
    OPOLSKIE = "16", "opolskie"
    PODKARPACKIE = "18", "podkarpackie"
    PODLASKIE = "20", "podlaskie"
    POMORSKIE = "22", "pomorskie"
    SLASKIE = "24", "śląskie"
    SWIETOKRZYSKIE = "26", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "28", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "30", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "32", "zachodniopomorskie"


class PartnerKind(models.TextChoices):
    """The institutions and organisations the centre consults, refers to and hears from."""

    POLICE = "police", _("Police unit")
    POLICE_THB = "police_thb", _("Police anti-trafficking team")
    BORDER_GUARD = "border_guard", _("Border Guard post")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspectorate (PIP)")
    CONSULATE = "consulate", _("Consulate or embassy")
    CRISIS_CENTRE = "crisis_centre", _("Crisis intervention centre")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance centre (OPS/MOPS)")
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("Non-governmental organisation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HEALTH = "health", _("Health care")
    PSYCHOLOGICAL = "psychological", _("Psychological care")
    IOM = "iom", _("International Organization for Migration (IOM)")
    REGISTER = "register", _("Register of employers or recruitment agencies")
    OTHER = "other", _("Other")


class ServiceKind(models.TextChoices):
    """What a partner's service does: the taxonomy the export classifies services by."""

    SHELTER = "shelter", _("Shelter")
    CRISIS = "crisis", _("Crisis intervention")
    LEGAL = "legal", _("Legal help")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological help")
    INTERPRETATION = "interpretation", _("Interpretation")
    RETURN = "return", _("Return assistance")
    LABOUR = "labour", _("Labour inspection")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    SOCIAL = "social", _("Social assistance")
    CONSULAR = "consular", _("Consular help")
    INFORMATION = "information", _("Information and registers")
    OTHER = "other", _("Other")


class Weekday(models.TextChoices):
    """Days of the week as RFC 5545 names them (HSDS ``schedule.byday``)."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


# Who referred a case (``cases.vocabulary.Referrer``), by the kind of the partner.
_REFERRERS = {
    PartnerKind.POLICE: "police",
    PartnerKind.POLICE_THB: "police",
    PartnerKind.BORDER_GUARD: "border_guard",
    PartnerKind.PROSECUTOR: "prosecutor",
    PartnerKind.COURT: "prosecutor",
    PartnerKind.CONSULATE: "consulate",
    PartnerKind.SOCIAL_ASSISTANCE: "social",
    PartnerKind.NGO: "ngo",
    PartnerKind.SHELTER: "ngo",
    PartnerKind.CRISIS_CENTRE: "social",
}


def referrer(partner: Any) -> str:
    """The case's "referred by" for a case that came from ``partner``."""
    return _REFERRERS.get(partner.kind, "other")


def disclosure_labels() -> dict[str, Any]:
    """The words of a disclosure's parts: a sharing consent's (``cases.vocabulary.SHARES``)
    and the ledger's own (``accounts.disclosures.PARTS``)."""
    from ostoja.accounts.disclosures import PARTS
    from ostoja.cases.vocabulary import SHARES

    return {**SHARES, **PARTS}
