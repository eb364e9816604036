"""The case's vocabularies and their mappings to the standards (DOMAIN.md §0.7–0.8, §3.1,
§4.1, §5.1). The centre records its own categories; exports map them.

* Forms of exploitation: the list of Kodeks karny art. 115 §22 [V], plus the forms of
  Directive 2011/36 as amended by 2024/1712 [S] that Polish law covers under "other forms",
  each mapped to HTCDS ``vic_TypeOfExploitation`` and the Eurostat ``crim_thb`` group.
* Other harm: what the centre also handles that is not trafficking (DOMAIN.md §6: KCIK's
  categories mix "violation of workers' rights", "domestic violence" …).
* Industry: ISIC Rev.4 sections as HTCDS names them; means of control: the 16 HTCDS values;
  recruitment: HTCDS ``vic_MethodOfRecruitment``.
"""

from typing import NamedTuple

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.policy import FieldClass


class Form(NamedTuple):
    label: Promise
    htcds: str
    eurostat: str  # crim_thb: SEX_EXP, LAB_EXP, OTH


FORMS: dict[str, Form] = {
    "prostitution": Form(_("Prostitution"), "SexualExploitation", "SEX_EXP"),
    "pornography": Form(_("Pornography"), "SexualExploitation", "SEX_EXP"),
    "other_sexual": Form(_("Other sexual exploitation"), "SexualExploitation", "SEX_EXP"),
    "forced_labour": Form(_("Forced labour"), "ForcedLabour", "LAB_EXP"),
    "forced_services": Form(_("Forced services"), "ForcedLabour", "LAB_EXP"),
    "domestic_servitude": Form(_("Domestic servitude"), "Servitude", "LAB_EXP"),
    "begging": Form(_("Begging"), "ForcedBegging", "OTH"),
    "slavery": Form(_("Slavery"), "Servitude", "OTH"),
    "degrading": Form(_("Other exploitation degrading human dignity"), "Other", "OTH"),
    "organs": Form(_("Removal of cells, tissues or organs"), "OrganRemoval", "OTH"),
    "criminal": Form(_("Forced criminal activities"), "Other", "OTH"),
    "marriage": Form(_("Forced marriage"), "ForcedMarriage", "OTH"),
    "adoption": Form(_("Illegal adoption"), "ForcedAdoption", "OTH"),
    "surrogacy": Form(_("Surrogacy"), "Surrogacy", "OTH"),
}

HARMS: dict[str, Promise] = {
    "workers_rights": _("Violation of workers' rights"),
    "domestic_violence": _("Domestic violence"),
    "inhuman_treatment": _("Inhuman or degrading treatment"),
    "fraud": _("Fraud by a job agency"),
    "other": _("Other"),
}

INDUSTRIES: dict[str, Promise] = {
    "A_AgricultureForestryAndFishing": _("Agriculture, forestry and fishing"),
    "B_MiningAndQuarrying": _("Mining and quarrying"),
    "C_Manufacturing": _("Manufacturing"),
    "D_ElectricityGasSteamAndAirConditioningSupply": _("Electricity, gas and steam"),
    "E_WaterSupplySewerageWasteManagement": _("Water supply, sewerage and waste"),
    "F_Construction": _("Construction"),
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles": _("Trade and repair of vehicles"),
    "H_TransportationAndStorage": _("Transportation and storage"),
    "I_AccommodationAndFoodServiceActivities": _("Accommodation and food services"),
    "J_InformationAndCommunication": _("Information and communication"),
    "K_FinancialAndInsuranceActivities": _("Finance and insurance"),
    "L_RealEstateActivities": _("Real estate"),
    "M_ProfessionalScientificAndTechnicalActivities": _("Professional and technical services"),
    "N_AdministrativeAndSupportServiceActivities": _("Administrative and support services"),
    "O_PublicAdministrationAndDefence": _("Public administration"),
    "P_Education": _("Education"),
    "Q_HumanHealthAndSocialWorkActivities": _("Health and social work"),
    "R_ArtsEntertainmentAndRecreation": _("Arts and entertainment"),
    "S_OtherServiceActivities": _("Other services"),
    "T_ActivitiesOfHouseholdsAsEmployers": _("Households as employers (domestic work)"),
    "U_ActivitiesOfExtraterritorialOrganizations": _("Extraterritorial organisations"),
}

CONTROL_METHODS: dict[str, Promise] = {
    "DebtBondage": _("Debt bondage"),
    "TakesEarnings": _("Takes earnings"),
    "RestrictsFinancialAccess": _("Restricts access to money"),
    "Threats": _("Threats"),
    "PsychologicalAbuse": _("Psychological abuse"),
    "PhysicalAbuse": _("Physical abuse"),
    "SexualAbuse": _("Sexual abuse"),
    "FalsePromises": _("False promises"),
    "PsychoactiveSubstances": _("Psychoactive substances"),
    "RestrictsMovement": _("Restricts movement or isolates"),
    "RestrictsMedicalCare": _("Restricts medical care"),
    "ExcessiveWorkingHours": _("Excessive working hours"),
    "UsesChildren": _("Uses children"),
    "ThreatOfLawEnforcement": _("Threatens with police or immigration authorities"),
    "WithholdsNecessities": _("Withholds necessities"),
    "WithholdsDocuments": _("Withholds documents"),
    "Other": _("Other"),
}

RECRUITMENT: dict[str, Promise] = {
    "AtAPlaceOfBusiness": _("At a place of business"),
    "AtAnEducationalInstitution": _("At a school or college"),
    "AtWork": _("At work"),
    "ThroughOnlineSocialNetworks": _("Through social networks"),
    "ThroughAnOnlineAdvertisement": _("Through an online advertisement"),
    "ThroughATelevisionAdvert": _("Through a television advertisement"),
    "ThroughANewspaperAdvert": _("Through a newspaper advertisement"),
    "ThroughFamilyOrFamilyEvents": _("Through family"),
    "ThroughFriendsOrSocialEvents": _("Through friends or acquaintances"),
    "Other": _("Other"),
}


class Referrer(models.TextChoices):
    SELF = "self", _("The person themselves")
    HELPLINE = "helpline", _("Helpline contact")
    POLICE = "police", _("Police")
    BORDER_GUARD = "border_guard", _("Border Guard")
    PROSECUTOR = "prosecutor", _("Prosecutor or court")
    NGO = "ngo", _("NGO")
    CONSULATE = "consulate", _("Consulate or embassy")
    SOCIAL_SERVICES = "social", _("Social services")
    FAMILY = "family", _("Family or friends")
    OTHER = "other", _("Other")


class Domain(models.TextChoices):
    """Domains of the support plan (the issue; HTCDS ``spl_Type`` mapped in exports)."""

    SAFETY = "safety", _("Safety")
    ACCOMMODATION = "accommodation", _("Accommodation")
    HEALTH_MENTAL = "mental_health", _("Mental health")
    HEALTH_PHYSICAL = "physical_health", _("Physical health")
    LEGAL_CRIMINAL = "criminal", _("Criminal proceedings")
    LEGAL_RESIDENCE = "residence", _("Residence law")
    LEGAL_FAMILY = "family_law", _("Family law")
    DOCUMENTS = "documents", _("Documents")
    MONEY = "money", _("Money")
    FAMILY_CONTACT = "family", _("Contact with family")
    RETURN = "return", _("Return or integration")
    LAW_ENFORCEMENT = "cooperation", _("Cooperation with law enforcement")
    EDUCATION_WORK = "work", _("Education and work")


class ServiceKind(models.TextChoices):
    LEGAL = "legal", _("Legal consultation")
    HEALTH = "health", _("Health consultation or care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    INTERPRETATION = "interpretation", _("Interpretation")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MATERIAL = "material", _("Material help")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment to police or court")
    RETURN = "return", _("Return assistance")
    OTHER = "other", _("Other")


class LegalArea(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal procedure")
    RESIDENCE = "residence", _("Residence of foreigners")
    FAMILY = "family", _("Family law")
    LABOUR = "labour", _("Labour law")
    COMPENSATION = "compensation", _("Compensation")
    OTHER = "other", _("Other")


# Whose eyes a service's details are for (ostoja.accounts.policy field classes).
SERVICE_FIELD_CLASS: dict[str, FieldClass] = {
    ServiceKind.LEGAL: FieldClass.LEGAL,
    ServiceKind.HEALTH: FieldClass.HEALTH,
    ServiceKind.PSYCHOLOGICAL: FieldClass.HEALTH,
}


class DeadlineKind(models.TextChoices):
    REFLECTION = "reflection", _("End of the reflection period (certificate, art. 170–172)")
    PERMIT = "permit", _("Temporary residence permit expires (art. 176)")
    HEARING = "hearing", _("Hearing or interview")
    APPLICATION = "application", _("Application or appeal deadline")
    OTHER = "other", _("Other")


# What a client is told before a decision (the issue: "with what information they were
# given first").
INFORMATION: dict[str, Promise] = {
    "rights": _("Their rights as an injured party"),
    "reflection": _("The reflection period and its end"),
    "programme": _("The support programme (KPWiOO) and its conditions"),
    "procedure": _("What criminal proceedings involve"),
    "risks": _("Risks to their safety and their family's"),
    "residence": _("Consequences for their stay in Poland"),
    "return": _("Assisted return and what it offers"),
    "confidentiality": _("Confidentiality and what will be shared"),
}

# HTCDS consent checklist (DOMAIN.md §3.1 ``con_``): the person was informed …
CHECKLIST: dict[str, Promise] = {
    "purpose": _("of the purpose of the interview"),
    "use": _("of the actual and potential use of the data"),
    "research": _("of the use of non-identifying data for research"),
    "access": _("of their right to request their personal data"),
    "retention": _("of how long the data are stored"),
    "withdraw": _("of how to withdraw consent"),
}

# What a referral may carry, each part only with a consent that names it.
SHARES: dict[str, Promise] = {
    "identity": _("Name, date of birth and citizenship"),
    "contact": _("Contact details and the safe-contact protocol"),
    "context": _("Trafficking context"),
    "plan": _("Support plan"),
    "services": _("Services delivered"),
    "health": _("Health details"),
    "legal": _("Legal details and deadlines"),
    "decisions": _("The client's decisions"),
}

RISK_FACTORS: dict[str, Promise] = {
    "perpetrators_know": _("Perpetrators know where the person is"),
    "threats": _("Recent threats to the person or family"),
    "debt": _("Outstanding 'debt' to the perpetrators"),
    "family_at_risk": _("Family in the country of origin at risk"),
    "contact_with_perpetrators": _("Still in contact with perpetrators"),
    "health": _("Urgent health needs"),
    "self_harm": _("Risk of self-harm"),
    "no_documents": _("No documents"),
    "minor": _("A child is involved"),
}


def choices(vocabulary: dict[str, Promise] | dict[str, Form]) -> list[tuple[str, Promise]]:
    """Form choices of a vocabulary."""
    return [
        (key, value.label if isinstance(value, Form) else value)
        for key, value in vocabulary.items()
    ]
