"""The data protection officer's view of the audit trail."""

from django.http import HttpResponse
from django.shortcuts import render

from ostoja.accounts.access import users_visible_to
from ostoja.accounts.decorators import capability_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.roles import Capability
from ostoja.audit import selectors, trail
from ostoja.audit.access import access_record_history, entries_visible_to
from ostoja.audit.forms import EntryFilterForm
from ostoja.lib.paging import lite_page

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
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/entry_list.html", context)


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
    context = {"readers": readers, "target_type": target_type, "code": code}
    return render(request, "audit/seen_by.html", context)
