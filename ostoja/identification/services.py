"""Every change in identification (STYLE.md: one transaction, one audit entry), and the
assessment's result as the engine computes it from the assessment's own catalogue version."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.records import register_mover
from ostoja.audit.trail import record
from ostoja.cases.models import Case, Deadline
from ostoja.cases.services import deadline_add
from ostoja.cases.vocabulary import DeadlineKind
from ostoja.helpline.models import Contact
from ostoja.identification import engine
from ostoja.identification.models import (
    Answer,
    Assessment,
    Catalogue,
    Decision,
    Dimension,
    Indicator,
    ListCode,
    Preliminary,
)
from ostoja.identification.reference import load_catalogue, validate_catalogue
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import ADULT_AGE, Person

LABOUR, SEXUAL = "labour", "sexual"


def lists_for(*, minor: bool, exploitation: list[str]) -> list[str]:
    """The lists to use (DOMAIN.md §1.7): child lists under 18, and one list per form of
    exploitation — both when both apply; labour when it is not known yet."""
    kinds = [k for k in (LABOUR, SEXUAL) if k in exploitation] or [LABOUR]
    age = "child" if minor else "adult"
    return [f"{age}_{kind}" for kind in kinds]


@transaction.atomic
def assessment_start(
    *,
    person: Person,
    mode: str,
    exploitation: list[str],
    age_at_exploitation: int | None,
    acting_user: User,
    case: Case | None = None,
    contact: Contact | None = None,
) -> Assessment:
    """Start an assessment with the current catalogue; the lists follow from the age at
    exploitation (or, if unknown, whether the person is or may be a minor)."""
    catalogue = Catalogue.current()
    if catalogue is None:
        raise ValidationError(_("No indicator catalogue is loaded; ask a coordinator."))
    if age_at_exploitation is not None:
        minor = age_at_exploitation < ADULT_AGE or person.possible_minor
    else:
        minor = person.is_minor()
    assessment = Assessment.objects.create(
        organisation=person.organisation,
        person=person,
        case=case,
        contact=contact,
        catalogue=catalogue,
        lists=lists_for(minor=minor, exploitation=exploitation),
        mode=mode,
        age_at_exploitation=age_at_exploitation,
        notes="",
        created_by=acting_user,
    )
    record(
        "assessment.started",
        actor=acting_user,
        target=person,
        data={"assessment": str(assessment.code), "lists": assessment.lists, "mode": mode},
    )
    return assessment


@transaction.atomic
def answer_set(
    *,
    assessment: Assessment,
    indicator: Indicator,
    value: str,
    source: str,
    note: str,
    acting_user: User,
) -> Answer:
    if indicator.catalogue_id != assessment.catalogue_id or (
        indicator.list_code not in assessment.lists
    ):
        raise ValidationError(_("This indicator is not part of the assessment."))
    # An indicator several of the assessment's lists share (the same code in the same
    # dimension) is asked once: its answer is the answer in each of them.
    shared = Indicator.objects.filter(
        catalogue_id=assessment.catalogue_id,
        code=indicator.code,
        dimension=indicator.dimension,
        list_code__in=assessment.lists,
    )
    for each in shared:
        answer = Answer.objects.filter(assessment=assessment, indicator=each).first()
        if answer is None:
            answer = Answer(assessment=assessment, indicator=each)
        answer.value, answer.source, answer.note = value, source, note or ""
        answer.answered_at, answer.answered_by = timezone.now(), acting_user
        answer.full_clean(exclude=["assessment", "indicator", "answered_by"])
        answer.save()
        if each.pk == indicator.pk:
            given = answer
    assessment.save(update_fields=["updated_at"])
    record(
        "assessment.answered",
        actor=acting_user,
        target=assessment.person,
        data={"assessment": str(assessment.code), "indicator": indicator.pk, "value": value},
    )
    return given


@transaction.atomic
def assessment_continue(*, assessment: Assessment, acting_user: User) -> None:
    """A screening becomes a full assessment: its answers are kept."""
    assessment.mode = Assessment.Mode.FULL
    assessment.save(update_fields=["mode", "updated_at"])
    record(
        "assessment.continued",
        actor=acting_user,
        target=assessment.person,
        data={"assessment": str(assessment.code)},
    )


def indicators_of(assessment: Assessment) -> list[Indicator]:
    indicators = Indicator.objects.filter(
        catalogue=assessment.catalogue_id, list_code__in=assessment.lists
    )
    if assessment.mode == Assessment.Mode.SCREENING:
        indicators = indicators.filter(screening=True)
    return list(indicators)


def labelled_results(assessment: Assessment) -> list[tuple[str, str, engine.ListResult]]:
    """``results`` as (list code, list name, result), for pages and PDFs."""
    return [(code, str(ListCode(code).label), r) for code, r in results(assessment).items()]


def results(assessment: Assessment) -> dict[str, engine.ListResult]:
    """The engine's result per list, computed from the assessment's own catalogue version
    (a newer version changes nothing here) and all its answers."""
    language = get_language() or "pl"
    indicators = Indicator.objects.filter(
        catalogue=assessment.catalogue_id, list_code__in=assessment.lists
    )
    answers = {
        (a.indicator.dimension, a.indicator.code, a.indicator.list_code): a.value
        for a in assessment.answers.select_related("indicator")
    }
    labels = {d.value: str(d.label) for d in Dimension}
    found = {}
    for list_code in assessment.lists:
        items = [
            engine.Item(
                code=i.code, dimension=i.dimension, strength=i.strength, label=i.text(language)
            )
            for i in indicators
            if i.list_code == list_code
        ]
        given = {
            f"{dimension}:{code}": value
            for (dimension, code, of_list), value in answers.items()
            if of_list == list_code
        }
        found[list_code] = engine.evaluate(
            items,
            given,
            assessment.catalogue.rules,
            child=list_code.startswith("child"),
            dimension_labels=labels,
            list_code=list_code,
        )
    return found


@transaction.atomic
def preliminary_add(
    *,
    person: Person,
    reasons: list[str],
    apply_standards: bool,
    notes: str,
    acting_user: User,
    case: Case | None = None,
) -> Preliminary:
    if not reasons:
        raise ValidationError({"reasons": _("Say why contact with the person is limited.")})
    preliminary = Preliminary.objects.create(
        person=person,
        case=case,
        reasons=reasons,
        apply_standards=apply_standards,
        notes=notes or "",
        decided_by=acting_user,
    )
    record(
        "identification.preliminary",
        actor=acting_user,
        target=person,
        data={"reasons": reasons, "apply_standards": apply_standards},
    )
    return preliminary


@transaction.atomic
def decision_add(*, person: Person, data: dict[str, Any], acting_user: User) -> Decision:
    """Record an identification decision. A presumed-victim certificate can only come from
    law enforcement (art. 172 ust. 1); its date starts the reflection period in every open
    case of the person (``cases.services.deadline_add``: 3 or 4 months, from reference
    data)."""
    decision = Decision(person=person, recorded_by=acting_user, **data)
    decision.basis = decision.basis or ""
    errors: dict[str, str] = {}
    if decision.decided_on > timezone.localdate():
        errors["decided_on"] = _("This date cannot be in the future.")
    if decision.certificate_issued_on is not None:
        if not decision.is_formal:
            errors["certificate_issued_on"] = _(
                "Only the Police, the Border Guard or a prosecutor issue the certificate."
            )
        elif decision.certificate_issued_on > timezone.localdate():
            errors["certificate_issued_on"] = _("This date cannot be in the future.")
    if decision.assessment is not None and decision.assessment.person_id != person.pk:
        errors["assessment"] = _("The assessment is of another person.")
    if errors:
        raise ValidationError(errors)
    decision.save()
    record(
        "identification.decided",
        actor=acting_user,
        target=person,
        data={
            "status": decision.status,
            "decided_by": decision.decided_by,
            "assessment": str(decision.assessment.code) if decision.assessment else None,
            "certificate": bool(decision.certificate_issued_on),
        },
    )
    if decision.certificate_issued_on is not None:
        _reflection_deadlines(person, decision.certificate_issued_on, acting_user)
    return decision


def _reflection_deadlines(person: Person, issued: dt.date, acting_user: User) -> None:
    open_cases = Case.objects.filter(clients__person=person).exclude(status=Case.Status.CLOSED)
    for case in open_cases:
        exists = case.deadlines.filter(
            kind=DeadlineKind.REFLECTION, client=person, starts_on=issued
        ).exists()
        if not exists:
            deadline_add(
                case=case,
                instance=Deadline(kind=DeadlineKind.REFLECTION, client=person, starts_on=issued),
                acting_user=acting_user,
            )


@transaction.atomic
def assessment_discard(*, assessment: Assessment, acting_user: User) -> None:
    """Throw away an assessment started by mistake (the wrong person, the wrong lists):
    not one a decision relies on. The audit trail keeps that it existed."""
    record(
        "assessment.discarded",
        actor=acting_user,
        target=assessment.person,
        data={"assessment": str(assessment.code)},
    )
    try:
        with transaction.atomic():
            assessment.delete()
    except ProtectedError:
        raise ValidationError(
            _("A decision relies on this assessment: it stays in the record.")
        ) from None


def status_of(person: Person) -> Decision | None:
    """The person's current status: the latest decision."""
    return person.identification_decisions.order_by("-decided_on", "-recorded_at").first()


@transaction.atomic
def catalogue_add(*, data: dict[str, Any], acting_user: User) -> Catalogue:
    """A new version of the indicator lists and rule (e.g. after checking the ILO tables,
    or the centre's own list). Old assessments keep the version they used."""
    errors = validate_catalogue(data)
    if not errors and Catalogue.objects.filter(version=data["version"]).exists():
        errors = [_("Version %(version)s exists already.") % {"version": data["version"]}]
    if errors:
        raise ValidationError(errors)
    catalogue = load_catalogue(data, created_by=acting_user)
    record(
        "identification.catalogue_added",
        actor=acting_user,
        data={"version": catalogue.version, "indicators": catalogue.indicators.count()},
    )
    return catalogue


def _mover(model: type[models.Model]) -> Callable[[models.Model, models.Model], int]:
    def move(duplicate: models.Model, keep: models.Model) -> int:
        return model._default_manager.filter(person=duplicate).update(person=keep)

    return move


# A merge of people moves their assessments, decisions and preliminary identifications.
for _model in (Assessment, Decision, Preliminary):
    register_mover(PERSON, _model._meta.model_name or "", _mover(_model))
