"""The assessment summary for a referral to the police or Border Guard (PDF, WeasyPrint;
``ostoja.cases.pdf`` for the rules: nothing is fetched). Identity only if the consent names
it; the result is called what it is — indicators suggesting trafficking, not an
identification."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ostoja.accounts.models import User
from ostoja.cases.models import Consent
from ostoja.cases.pdf import render_pdf
from ostoja.identification import services
from ostoja.identification.models import Assessment


def summary_context(*, assessment: Assessment, consent: Consent, user: User) -> dict[str, Any]:
    language = translation.get_language() or "pl"
    answers = assessment.answers.select_related("indicator").filter(value="yes")
    return {
        "assessment": assessment,
        "person": assessment.person if "identity" in consent.shares else None,
        "consent": consent,
        "results": services.labelled_results(assessment),
        "present": [(a.indicator, a.indicator.text(language), a) for a in answers],
        "generated_at": timezone.localtime(),
        "author": user,
    }


def assessment_summary(*, assessment: Assessment, consent: Consent, user: User) -> bytes:
    context = summary_context(assessment=assessment, consent=consent, user=user)
    return render_pdf(render_to_string("identification/summary_pdf.html", context))
