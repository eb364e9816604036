"""The identification pages: a person's identification (status history, preliminary
identification, decisions, assessments), the assessment with its live result, the
assessment summary (PDF) and the indicator catalogues.

Wording: an assessment's result is always "indicators suggest trafficking" — decision
support — never an identification (DOMAIN.md §1.2, §5.5)."""

import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.records import source_of_request
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.cases.access import cases_visible_to
from ostoja.cases.selectors import client_sharing_consents
from ostoja.identification import pdf, services
from ostoja.identification.access import access_assessment
from ostoja.identification.forms import (
    AnswerForm,
    CatalogueForm,
    DecisionForm,
    PreliminaryForm,
    StartForm,
)
from ostoja.identification.models import Assessment, Catalogue, Dimension, Indicator, ListCode
from ostoja.identification.reference import catalogue_as_data
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import uuid_or_404
from ostoja.people.access import access_person
from ostoja.people.models import Person


def _person_for(request: AuthenticatedHttpRequest, code: uuid.UUID, *, write: bool) -> Person:
    return access_person(request.user, code, write=write).record


def _assessment(request: AuthenticatedHttpRequest, code: uuid.UUID, *, write: bool) -> Assessment:
    return access_assessment(request.user, code, write=write).record


def _panel_context(request: AuthenticatedHttpRequest, person: Person) -> dict[str, object]:
    assessments = person.assessments.select_related("catalogue", "created_by")
    return {
        "person": person,
        "status": services.status_of(person),
        "decisions": person.identification_decisions.select_related("recorded_by", "assessment"),
        "preliminaries": person.preliminary_identifications.select_related("decided_by"),
        "assessments": assessments,
        "start_form": StartForm(initial={"age_at_exploitation": person.age()}),
        "preliminary_form": PreliminaryForm(prefix="preliminary"),
        "decision_form": DecisionForm(prefix="decision", assessments=assessments),
        "decides": request.user.can(Capability.WORK_CASES),
    }


def person_identification(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    person = _person_for(request, code, write=False)
    trail.record("identification.viewed", actor=request.user, target=person)
    context = _panel_context(request, person)
    source = source_of_request(request, "contact")
    if source is not None:  # from the live call: a screening, linked to the contact
        context["contact"] = source.record
        context["start_form"] = StartForm(
            initial={"mode": "screening", "age_at_exploitation": person.age()}
        )
    return render(request, "identification/person.html", context)


@require_POST
def assessment_new(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Start an assessment of the person (from their page, a case, or a live contact)."""
    person = _person_for(request, code, write=True)
    form = StartForm(request.POST)
    if not form.is_valid():
        context = _panel_context(request, person) | {"start_form": form}
        return render(request, "identification/person.html", context, status=400)
    case = None
    if request.POST.get("case"):
        case = (
            cases_visible_to(request.user)
            .filter(code=uuid_or_404(request.POST["case"]), clients__person=person)
            .first()
        )
    source = source_of_request(request, "contact")
    try:
        assessment = services.assessment_start(
            person=person,
            mode=form.cleaned_data["mode"],
            exploitation=form.cleaned_data["exploitation"],
            age_at_exploitation=form.cleaned_data["age_at_exploitation"],
            case=case,
            contact=source.record if source else None,
            acting_user=request.user,
        )
    except ValidationError as error:
        report(request, error)
        return redirect("identification:person", code=person.code)
    return redirect("identification:assessment", code=assessment.code)


def _questionnaire(assessment: Assessment) -> list[dict[str, object]]:
    """Per list and dimension, the indicators with their answers (for the page)."""
    language = translation.get_language() or "pl"
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    indicators = services.indicators_of(assessment)
    # An indicator the lists share is asked once, where it first comes; the others say so.
    lists_of: dict[tuple[str, str], list[str]] = {}
    for i in indicators:
        lists_of.setdefault((i.dimension, i.code), []).append(i.list_code)
    asked: set[tuple[str, str]] = set()
    out = []
    for list_code in assessment.lists:
        dimensions = []
        for dimension in Dimension:
            rows = []
            for i in indicators:
                key = (i.dimension, i.code)
                if i.list_code != list_code or i.dimension != dimension or key in asked:
                    continue
                asked.add(key)
                also = [ListCode(c).label for c in lists_of[key] if c != list_code]
                rows.append(
                    {
                        "indicator": i,
                        "text": i.question(language)
                        if assessment.mode == Assessment.Mode.SCREENING
                        else i.text(language),
                        "answer": answers.get(i.pk),
                        "also": also,
                    }
                )
            if rows:
                dimensions.append({"dimension": dimension, "rows": rows})
        label = ListCode(list_code).label
        out.append({"list_code": list_code, "label": label, "dimensions": dimensions})
    return out


def _progress(assessment: Assessment) -> dict[str, int]:
    """How many of the asked indicators are answered (one the lists share counts once)."""
    indicators = services.indicators_of(assessment)
    answered = set(
        assessment.answers.filter(indicator__in=[i.pk for i in indicators]).values_list(
            "indicator__dimension", "indicator__code"
        )
    )
    return {"answered": len(answered), "total": len({(i.dimension, i.code) for i in indicators})}


def assessment_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    assessment = _assessment(request, code, write=False)
    trail.record(
        "assessment.viewed",
        actor=request.user,
        target=assessment.person,
        data={"assessment": str(assessment.code)},
    )
    context = {
        "assessment": assessment,
        "lists": _questionnaire(assessment),
        "results": services.labelled_results(assessment),
        **_progress(assessment),
        "values": AnswerForm.base_fields["value"].choices,  # type: ignore[attr-defined]
        "sources": AnswerForm.base_fields["source"].choices,  # type: ignore[attr-defined]
        "consents": client_sharing_consents(assessment.person),
    }
    return render(request, "identification/assessment.html", context)


@require_POST
def answer(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One answer (htmx, as it is given): saved, and the result panel comes back."""
    assessment = _assessment(request, code, write=True)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The answer could not be saved."), status=400)
    indicator = Indicator.objects.filter(pk=form.cleaned_data["indicator"]).first()
    if indicator is None:
        raise Http404
    try:
        services.answer_set(
            assessment=assessment,
            indicator=indicator,
            value=form.cleaned_data["value"],
            source=form.cleaned_data["source"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
    except ValidationError:
        raise Http404 from None
    context = {
        "assessment": assessment,
        "results": services.labelled_results(assessment),
        **_progress(assessment),
    }
    if request.htmx:  # type: ignore[attr-defined]  # the panel, and the phone's summary bar
        return render(request, "identification/partials/answer.html", context)
    return redirect("identification:assessment", code=assessment.code)


@require_POST
def assessment_discard(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Throw away an assessment started by mistake."""
    assessment = _assessment(request, code, write=True)
    try:
        services.assessment_discard(assessment=assessment, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
        return redirect("identification:assessment", code=assessment.code)
    messages.success(request, _("Assessment discarded."))
    return redirect("identification:person", code=assessment.person.code)


@require_POST
def assessment_continue(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    assessment = _assessment(request, code, write=True)
    services.assessment_continue(assessment=assessment, acting_user=request.user)
    return redirect("identification:assessment", code=assessment.code)


@require_POST
@capability_required(Capability.WORK_CASES)
def preliminary_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    person = _person_for(request, code, write=True)
    form = PreliminaryForm(request.POST, prefix="preliminary")
    if form.is_valid():
        try:
            services.preliminary_add(
                person=person,
                reasons=form.cleaned_data["reasons"],
                apply_standards=form.cleaned_data["apply_standards"],
                notes=form.cleaned_data["notes"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Preliminary identification recorded."))
            return redirect("identification:person", code=person.code)
    context = _panel_context(request, person) | {"preliminary_form": form}
    return render(request, "identification/person.html", context, status=400)


@require_POST
@capability_required(Capability.WORK_CASES)
def decision_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    person = _person_for(request, code, write=True)
    form = DecisionForm(request.POST, prefix="decision", assessments=person.assessments.all())
    if form.is_valid():
        try:
            services.decision_add(person=person, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("identification:person", code=person.code)
    context = _panel_context(request, person) | {"decision_form": form}
    return render(request, "identification/person.html", context, status=400)


@sudo_required
def assessment_summary(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The assessment summary for a referral to the police or Border Guard (PDF, Polish or
    English), under a sharing consent of the person: identity only if it names identity."""
    assessment = _assessment(request, code, write=False)
    consent = next(
        (
            c
            for c in client_sharing_consents(assessment.person)
            if str(c.code) == request.GET.get("consent")
        ),
        None,
    )
    if consent is None:
        messages.error(request, _("There is no consent in force to share this client's data."))
        return redirect("identification:assessment", code=assessment.code)
    recipient = request.GET.get("to", "").strip()[:200]
    if not recipient:
        messages.error(request, _("Say to whom you are giving the summary."))
        return redirect("identification:assessment", code=assessment.code)
    language = "en" if request.GET.get("lang") == "en" else "pl"
    with translation.override(language):
        document = pdf.assessment_summary(assessment=assessment, consent=consent, user=request.user)
    with transaction.atomic():
        trail.record(
            "assessment.summary_exported",
            actor=request.user,
            target=assessment.person,
            data={
                "assessment": str(assessment.code),
                "consent": str(consent.code),
                "lang": language,
            },
        )
        # Downloaded to be handed to the police or the Border Guard: the ledger says to whom.
        ledger.disclosure_record(
            organisation=assessment.organisation,
            person=assessment.person,
            case=consent.case,
            recipient=recipient,
            kind=ledger.Kind.ASSESSMENT_SUMMARY,
            parts=["assessment", *(["identity"] if "identity" in consent.shares else [])],
            basis=ledger.Basis.CONSENT,
            consent=consent,
            document=f"assessment_summary_{language}",
            channel=ledger.Channel.DOWNLOAD,
            by=request.user,
        )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{language}.pdf"'
    return response


@capability_required(Capability.SEE_ALL_CASES)
def catalogues(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The indicator catalogue versions; a coordinator adds a new one from a JSON file."""
    form = CatalogueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.catalogue_add(
                data=form.cleaned_data["file"], acting_user=request.user
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
        else:
            messages.success(
                request, _("Version %(version)s added.") % {"version": catalogue.version}
            )
            return redirect("identification:catalogues")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "catalogues": Catalogue.objects.select_related("created_by")}
    return render(request, "identification/catalogues.html", context, status=status)


@capability_required(Capability.SEE_ALL_CASES)
def catalogue_download(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    catalogue = Catalogue.objects.filter(version=version).first()
    if catalogue is None:
        raise Http404
    body = json.dumps(catalogue_as_data(catalogue), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicators-v{version}.json"'
    return response
