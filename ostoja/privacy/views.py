"""The data protection officer's view of the audit trail."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.access import users_visible_to
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.roles import Capability
from ostoja.audit import services, trail
from ostoja.audit.models import ENTRY_TARGET, AuditEntry
from ostoja.lib.forms import add_errors
from ostoja.lib.http import parse_uuid
from ostoja.lib.paging import lite_page
from ostoja.people.access import TARGET as PERSON
from ostoja.privacy import readable, selectors
from ostoja.privacy.access import (
    access_entry,
    access_person_trail,
    access_record_history,
    entries_visible_to,
)
from ostoja.privacy.forms import EntryFilterForm, PeriodForm, RedactForm

_review = capability_required(Capability.REVIEW_AUDIT)


@_review
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None, staff=users_visible_to(request.user))
    entries = entries_visible_to(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    trail.record(
        "audit.reviewed",
        actor=request.user,
        data={k: str(v) for k, v in filters.items() if v and k != "actor"}
        | ({"actor": str(filters["actor"].code)} if filters.get("actor") else {}),
    )
    page = lite_page(selectors.filter_entries(entries, filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": readable.rows(page, request.user),
        "query": query.urlencode(),
    }
    return render(request, "privacy/entry_list.html", context)


def seen_by(request: AuthenticatedHttpRequest, target_type: str, code: str) -> HttpResponse:
    """Who has seen one record (a person, a case, a staff account): for the DPO, and for
    the record's case managers (ARCHITECTURE §4)."""
    entries = access_record_history(request.user, target_type, code)
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=target_type,
        target_code=code,
        purpose="seen-by",
    )
    readers = selectors.seen_by(entries, target_type, code)
    names = readable.names([], request.user, links=False, codes=[code])
    context = {
        "readers": readers,
        "target_type": target_type,
        "code": code,
        "record": names.target(target_type, code),
        "reviewer": request.user.can(Capability.REVIEW_AUDIT),
        "person": target_type == PERSON and parse_uuid(code) is not None,
    }
    return render(request, "privacy/seen_by.html", context)


def person_seen(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Who has seen a person's records — the person with their cases, contacts, calls,
    interventions and identification — in one list, newest first, by dates: for the DPO
    (every record, as codes) and the person's case managers (the records they may open)."""
    access = access_person_trail(request.user, code)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    entries = selectors.about(access.entries, access.records)
    entries = selectors.in_period(entries, period.get("since"), period.get("until"))
    if period.get("reads"):
        entries = entries.filter(selectors.reads())
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=PERSON,
        target_code=str(code),
        purpose="seen-by-person",
        data={"records": len(access.records)} | {k: str(v) for k, v in period.items() if v},
    )
    page = lite_page(entries.select_related("actor"), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = readable.names(
        [], request.user, links=access.reviewer, codes=[r.target_code for r in access.records]
    )
    context = {
        "access": access,
        "form": form,
        "records": [names.target(r.target_type, r.target_code) for r in access.records],
        "readers": selectors.readers_of(entries),
        "page": page,
        "rows": readable.rows(page, request.user, links=access.reviewer),
        "query": query.urlencode(),
    }
    return render(request, "privacy/person_seen.html", context)


# --- One entry --------------------------------------------------------------------------------


@_review
def entry_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One entry: everything it records, who redacted it and why, and the redaction form."""
    entry = access_entry(request.user, code)
    return _entry_page(request, entry, RedactForm())


@_review
@require_POST
@sudo_required
def entry_redact(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Redact an entry's data, with a reason (sudo mode; ``services.entry_redact``)."""
    entry = access_entry(request.user, code, write=True)
    form = RedactForm(request.POST)
    if form.is_valid():
        try:
            services.entry_redact(
                entry=entry,
                reason=AuditEntry.RedactionReason(form.cleaned_data["reason"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The data of entry {seq} was redacted.").format(seq=entry.seq)
            )
            return redirect("privacy:entry_detail", code=entry.seq)
    return _entry_page(request, entry, form, status=400)


def _entry_page(
    request: AuthenticatedHttpRequest, entry: AuditEntry, form: RedactForm, status: int = 200
) -> HttpResponse:
    """The entry's page — also after a refused redaction: either way a reading of the trail."""
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=ENTRY_TARGET,
        target_code=str(entry.seq),
        purpose="entry",
    )
    context = {
        "entry": entry,
        "row": readable.rows([entry], request.user)[0],
        "redaction": selectors.redaction_of(entry),
        "form": form,
        "may_redact": selectors.redactable(request.user, entry),
    }
    return render(request, "privacy/entry_detail.html", context, status=status)
