"""The people pages: find, register (with the duplicate warning), see, edit, relate, merge.

Names never travel in a URL (they would land in logs): searches and the duplicate check are
POSTs."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import permission_required_by, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import can_view, may_break_glass, works_with_people
from ostoja.accounts.records import history, source_of_request
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.audit.selectors import conflict_page
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import render_panel, uuid_or_404
from ostoja.lib.locking import Conflict, changed_fields, merge, versioned
from ostoja.lib.paging import lite_page
from ostoja.people import services
from ostoja.people.access import TARGET, access_person, people_visible_to, person_scopes
from ostoja.people.forms import MatchForm, MergeForm, PersonForm, RelationForm, SearchForm
from ostoja.people.matching import Match, find_matches
from ostoja.people.models import Person, Relation

# Helpline and case work only (not the shelter, analysts, the DPO, administrators).
_people_staff = permission_required_by(works_with_people)


def _matches(
    request: AuthenticatedHttpRequest, data: dict[str, Any], exclude: Person | None = None
) -> list[dict[str, Any]]:
    """Likely matches, each either open to the user (with its name) or out of their reach
    (only that it exists, and the break-the-glass offer)."""
    names = [data.get("name") or "", data.get("name_latin") or ""]
    names += str(data.get("aliases") or "").splitlines()
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        return []
    birth_year = None
    if data.get("estimated_age") is not None and not data.get("birth_date"):
        birth_year = timezone.localdate().year - int(data["estimated_age"])
    assert request.user.organisation is not None  # noqa: S101  # works_with_people implies it
    found: list[Match] = find_matches(
        request.user.organisation,
        names=names,
        birth_date=data.get("birth_date"),
        birth_year=birth_year,
        exclude=exclude,
    )
    result = []
    scopes = person_scopes([m.person for m in found])
    for match in found:
        scope = scopes[match.person.pk]
        result.append(
            {
                "match": match,
                "visible": can_view(request.user, scope),
                "may_break_glass": may_break_glass(request.user, scope),
            }
        )
    trail.record(
        "person.matched",
        actor=request.user,
        data={"candidates": [str(m.person.code) for m in found]},
    )
    return result


@_people_staff
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My people (newest first) and a search by name in any script (POST)."""
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        results = _matches(request, {"name": form.cleaned_data["q"]})
    page = lite_page(
        people_visible_to(request.user).filter(merged_into__isnull=True),
        request.GET.get("page"),
    )
    trail.record("person.listed", actor=request.user)
    context = {"form": form, "results": results, "page": page}
    return render(request, "people/person_list.html", context)


@require_POST
@_people_staff
def person_matches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The duplicate warning, refreshed as the person form is typed (htmx)."""
    form = MatchForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    exclude = None
    if request.POST.get("person"):
        exclude = access_person(request.user, uuid_or_404(request.POST["person"])).record
    context = {"matches": _matches(request, data, exclude=exclude), "editing": exclude}
    return render(request, "people/partials/matches.html", context)


@_people_staff
def person_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a person — from a helpline contact, if one is given (it is then linked, and
    what it knows of the caller is offered)."""
    source = source_of_request(request, "contact")
    form = PersonForm(request.POST or None, initial=dict(source.known) if source else {})
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        try:
            person = services.person_create(
                organisation=request.user.organisation,
                data=form.cleaned_data,
                source=source,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Person registered."))
            return redirect("people:person_detail", code=person.code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "source": source}
    return render(request, "people/person_form.html", context, status=status)


@_people_staff
def person_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The person, their safe-contact protocol and relations; their history (contacts,
    cases, assessments, interventions) is a panel (htmx: ``person_history``)."""
    access = access_person(request.user, code)
    person = access.record
    if person.merged_into_id is not None:
        messages.info(request, _("This record was merged into another one."))
        return redirect("people:person_detail", code=person.merged_into.code)  # type: ignore[union-attr]
    trail.record("person.viewed", actor=request.user, target=person)
    relations = list(person.relations.select_related("other"))
    related_by = list(Relation.objects.filter(other=person).select_related("person"))
    others = [r.other for r in relations] + [r.person for r in related_by]
    scopes = person_scopes(others)
    context = {
        "person": person,
        "access": access,
        "relations": [(r, r.other, can_view(request.user, scopes[r.other.pk])) for r in relations],
        "related_by": [
            (r, r.person, can_view(request.user, scopes[r.person.pk])) for r in related_by
        ],
        "relation_form": RelationForm(),
        "minor": person.is_minor(),
        "age": person.age(),
        "can_work_cases": request.user.can(Capability.WORK_CASES),
        # The person's case managers register and approve their data protection requests.
        "case_manager": access.writable and request.user.pk in access.scope.case_managers(),
    }
    return render(request, "people/person_detail.html", context)


@_people_staff
def person_history(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The person's contacts, cases, assessments and interventions as one timeline, each
    as far as the user may see it (every app says what it knows: ``accounts.records``)."""
    person = access_person(request.user, code).record
    trail.record("person.viewed", actor=request.user, target=person, data={"for": "history"})
    context = {"events": history(TARGET, request.user, person)}
    return render_panel(request, "people/partials/history.html", context, title=_("History"))


@_people_staff
def relation_form(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The form relating this person to another (loaded when opened: htmx), offering the
    people one may open, newest first (bounded)."""
    person = access_person(request.user, code, write=True).record
    candidates = (
        people_visible_to(request.user)
        .filter(merged_into__isnull=True)
        .exclude(pk=person.pk)
        .order_by("-created_at")[:200]
    )
    trail.record("person.listed", actor=request.user, data={"for": "relation"})
    context = {"person": person, "candidates": candidates, "relation_form": RelationForm()}
    title = _("Add relation")
    return render_panel(request, "people/partials/relation_form.html", context, title=title)


@_people_staff
def person_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A person's details; saved over a version someone else saved meanwhile, the conflict
    page: both versions field by field, and the form again with this user's changes on top
    (ostoja.lib.locking)."""
    person = access_person(request.user, code, write=True).record
    if person.merged_into_id is not None:
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    versioned(form, person.version)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if changed_fields(form):
                services.person_update(
                    person=person,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    acting_user=request.user,
                )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as error:
            form, differences = merge(PersonForm, form, error.stored)
            actions = ["person.updated", "person.created", "person.merged"]
            conflict = conflict_page(error.stored, differences, actions)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:person_detail", code=person.code)
    trail.record("person.viewed", actor=request.user, target=person, data={"for": "edit"})
    status = 409 if conflict else 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "person": person,
        "conflict": conflict,
        "discard_url": reverse("people:person_detail", args=[person.code]),
    }
    return render(request, "people/person_form.html", context, status=status)


@require_POST
@_people_staff
def relation_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, code, write=True).record
    form = RelationForm(request.POST)
    if form.is_valid():
        other = access_person(request.user, form.cleaned_data["other"]).record
        try:
            services.relation_add(
                person=person,
                other=other,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Relation added."))
    else:
        messages.error(request, _("Choose a person and the relation."))
    return redirect("people:person_detail", code=person.code)


@require_POST
@_people_staff
def relation_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    relation = Relation.objects.select_related("person", "other").filter(code=code).first()
    if relation is None:
        raise Http404
    access_person(request.user, relation.person.code, write=True)
    services.relation_remove(relation=relation, acting_user=request.user)
    messages.success(request, _("Relation removed."))
    return redirect("people:person_detail", code=relation.person.code)


@sudo_required
@_people_staff
def person_merge(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Merge a duplicate into this record, after comparing the two side by side."""
    keep = access_person(request.user, code, write=True).record
    form = MergeForm(request.POST or request.GET or None)
    if not form.is_valid():
        raise Http404
    duplicate = access_person(request.user, form.cleaned_data["duplicate"], write=True).record
    if request.method == "POST":
        try:
            services.person_merge(keep=keep, duplicate=duplicate, acting_user=request.user)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Records merged."))
            return redirect("people:person_detail", code=keep.code)
    for shown in (keep, duplicate):
        trail.record("person.viewed", actor=request.user, target=shown, data={"for": "merge"})
    return render(request, "people/person_merge.html", {"keep": keep, "duplicate": duplicate})
