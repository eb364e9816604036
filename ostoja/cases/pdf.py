"""The case summary for a referral, as a PDF (WeasyPrint, from our own template).

It carries one client's data, and of it only the parts the client's consent names (the
consent's ``shares``) and the user may read (health and legal details by field class).
WeasyPrint fetches nothing: every URL the template might contain is refused, so a PDF
never makes a request to anyone (no third party, ever)."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, FieldClass
from ostoja.cases.models import Case, Consent
from ostoja.cases.vocabulary import FORMS, SHARES


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the case summary fetches nothing ({url})")


def summary_context(*, access: Access[Case], consent: Consent, user: User) -> dict[str, Any]:
    """What the summary shows: the parts named by the consent, readable by the user."""
    case = access.record
    client = consent.client
    shares = set(consent.shares)
    if not access.health:
        shares.discard("health")
    if not access.legal:
        shares.discard("legal")
    services = [
        s
        for s in case.services.filter(client=client)
        if ("health" in shares if s.field_class == FieldClass.HEALTH else True)
        and ("legal" in shares if s.field_class == FieldClass.LEGAL else True)
    ]
    return {
        "case": case,
        "client": client,
        "consent": consent,
        "shares": shares,
        "share_labels": [SHARES[k] for k in SHARES if k in shares],
        "forms": [FORMS[k].label for k in case.forms if k in FORMS],
        "goals": case.goals.filter(client__in=[client, None]).prefetch_related("actions"),
        "services": services,
        "decisions": case.decisions.filter(client=client),
        "deadlines": case.deadlines.filter(client__in=[client, None]),
        "generated_at": timezone.localtime(),
        "author": user,
    }


def render_pdf(html: str) -> bytes:
    """A PDF of ``html``, fetching nothing."""
    # Imported here: WeasyPrint loads Pango when imported, and only PDFs need it.
    from weasyprint import HTML

    document: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return document


def render_summary(context: dict[str, Any]) -> bytes:
    """The summary of ``summary_context`` as a PDF."""
    return render_pdf(render_to_string("cases/summary_pdf.html", context))


def case_summary(*, access: Access[Case], consent: Consent, user: User) -> bytes:
    return render_summary(summary_context(access=access, consent=consent, user=user))
