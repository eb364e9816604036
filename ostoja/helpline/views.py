"""The helpline's pages: the contact list and the live-call screen."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import Scope, can_view, find_scope
from ostoja.accounts.records import history
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.helpline import selectors, services
from ostoja.helpline.access import (
    TARGET,
    access_attachment,
    access_contact,
    access_follow_up,
    contacts_visible_to,
    helpline_staff,
)
from ostoja.helpline.forms import (
    SUMMARY_TEMPLATES,
    CompleteForm,
    ContactFilterForm,
    ContactForm,
    FollowUpForm,
    ReplyForm,
)
from ostoja.helpline.models import Contact, ContactLink
from ostoja.lib.crypto.files import EncryptedStorage, file_response
from ostoja.lib.forms import add_errors, report
from ostoja.lib.paging import lite_page

_helpline = capability_required(Capability.LOG_CONTACTS)
INTERVENTION = "interventions.intervention"  # as the access policy names them


@_helpline
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    contacts = selectors.filter_contacts(
        contacts_visible_to(request.user), filters, request.user.pk
    )
    page = lite_page(contacts, request.GET.get("page"))
    trail.record(
        "contact.listed", actor=request.user, data={k: str(v) for k, v in filters.items() if v}
    )
    query = request.GET.copy()
    query.pop("page", None)
    follow_ups = selectors.open_follow_ups(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "follow_ups": follow_ups[:20],
        "labels": _choice_labels(),
    }
    return render(request, "helpline/contact_list.html", context)


def _choice_labels() -> dict[str, dict[str, str]]:
    """Display names of the list's choices, translated once per page: ``get_FOO_display``
    on each of 50 rows translates every choice of the field again (measured: half the
    page's time at a million contacts)."""
    fields = {
        "channel": Contact.Channel,
        "line": Contact.Line,
        "caller_type": Contact.CallerType,
        "purpose": Contact.Purpose,
        "urgency": Contact.Urgency,
    }
    return {name: {v: str(text) for v, text in kind.choices} for name, kind in fields.items()}


@require_POST
@_helpline
def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The phone rings: one click (or Alt+N) opens a live-call screen with its clock."""
    assert request.user.organisation is not None  # noqa: S101  # LOG_CONTACTS implies one
    channel = request.POST.get("channel", Contact.Channel.PHONE)
    if channel not in Contact.Channel.values:
        channel = Contact.Channel.PHONE
    contact = services.contact_start(
        organisation=request.user.organisation, channel=channel, acting_user=request.user
    )
    return redirect("helpline:contact_edit", code=contact.code)


def _initial(contact: Contact) -> dict[str, Any]:
    return {
        "channel": contact.channel,
        "direction": contact.direction,
        "caller_number": contact.caller_number,
        "number_withheld": contact.number_withheld,
        "caller_type": contact.caller_type,
        "languages": [x.language for x in contact.languages.all()],
        "interpreter": contact.interpreter,
        "purposes": [x.purpose for x in contact.purposes.all()],
        "urgency": contact.urgency,
        "summary": contact.summary,
        "outcome": contact.outcome,
        "started_at": timezone.localtime(contact.started_at),
        "ended_at": timezone.localtime(contact.ended_at) if contact.ended_at else None,
    }


def _repeat_caller(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, object]:
    """The repeat-caller panel: the latest three earlier contacts and how many there are."""
    others = selectors.previous_contacts(contact, contacts_visible_to(request.user))
    return {"previous": others[:3], "previous_count": len(others)}


def _visible_links(
    request: AuthenticatedHttpRequest, contact: Contact
) -> list[tuple[ContactLink, Scope]]:
    """The records this contact concerns that the user may open, with where they are."""
    found = []
    for link in contact.links.all():
        scope = find_scope(request.user, link.target_type, link.target_code)
        if scope is not None and can_view(request.user, scope):
            found.append((link, scope))
    return found


def _screen(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    form: ContactForm,
    status: int = 200,
    reply_form: ReplyForm | None = None,
) -> HttpResponse:
    context = {
        "contact": contact,
        "form": form,
        **_repeat_caller(request, contact),
        "links": _visible_links(request, contact),
        # What came of the contact in the other apps (an emergency intervention).
        "outcomes": (outcomes := history(TARGET, request.user, contact)),
        "intervention_opened": any(e.record_type == INTERVENTION for e in outcomes),
        "follow_up_form": FollowUpForm(staff=helpline_staff(request.user)),
        "reply_form": reply_form or ReplyForm(),
        "editable": contact.status == Contact.Status.DRAFT,
        "summary_templates": SUMMARY_TEMPLATES,
    }
    return render(request, "helpline/contact_form.html", context, status=status)


@_helpline
def contact_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The live-call screen (and, once completed, the contact's page)."""
    write = request.method == "POST"
    contact = access_contact(request.user, code, write=write).record
    if not write:
        trail.record("contact.viewed", actor=request.user, target=contact)
        return _screen(request, contact, ContactForm(initial=_initial(contact)))
    complete = "complete" in request.POST
    form = (CompleteForm if complete else ContactForm)(request.POST)
    if form.is_valid():
        try:
            services.contact_save(
                contact=contact, data=form.cleaned_data, acting_user=request.user, complete=complete
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Contact completed.") if complete else _("Saved."))
            if complete:
                return redirect("helpline:contact_list")
            return redirect("helpline:contact_edit", code=contact.code)
    return _screen(request, contact, form, status=400)


@require_POST
@_helpline
def contact_autosave(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Every few seconds while typing (htmx): save every field that is valid, say which
    are not, and refresh the repeat-caller panel. A closed tab loses at most seconds."""
    contact = access_contact(request.user, code, write=True).record
    if contact.status != Contact.Status.DRAFT:
        raise PermissionDenied
    form = ContactForm(request.POST)
    form.is_valid()
    valid = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    try:
        services.contact_save(contact=contact, data=valid, acting_user=request.user)
    except ValidationError as error:
        add_errors(form, error)
    context = {
        "form": form,
        "contact": contact,
        **_repeat_caller(request, contact),
        "saved_at": timezone.localtime(),
    }
    return render(request, "helpline/partials/autosave.html", context)


@require_POST
@_helpline
def contact_discard(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Throw away a draft started by mistake (the button of the live-call screen)."""
    contact = access_contact(request.user, code, write=True).record
    try:
        services.contact_discard(contact=contact, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
        return redirect("helpline:contact_edit", code=contact.code)
    messages.success(request, _("Draft discarded."))
    return redirect("helpline:contact_list")


@require_POST
@_helpline
def follow_up_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    contact = access_contact(request.user, code, write=True).record
    form = FollowUpForm(request.POST, staff=helpline_staff(request.user))
    if form.is_valid():
        services.follow_up_add(
            contact=contact,
            task=form.cleaned_data["task"],
            due=form.cleaned_data["due"],
            assignee=form.cleaned_data["assignee"] or request.user,
            acting_user=request.user,
        )
        messages.success(request, _("Follow-up added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("helpline:contact_edit", code=contact.code)


@require_POST
@_helpline
def follow_up_done(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    follow_up = access_follow_up(request.user, code)
    services.follow_up_done(follow_up=follow_up, acting_user=request.user)
    messages.success(request, _("Follow-up done."))
    return redirect("helpline:contact_list")


@require_POST
@_helpline
def contact_reply(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Answer an e-mail from its contact page; the answer is threaded to it."""
    contact = access_contact(request.user, code, write=True).record
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.contact_reply(
                contact=contact, body=form.cleaned_data["body"], acting_user=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
            for text in error.messages:
                messages.error(request, text)  # shown even where there is no reply form
        else:
            messages.success(request, _("Answer sent."))
            return redirect("helpline:contact_edit", code=contact.code)
    return _screen(
        request, contact, ContactForm(initial=_initial(contact)), status=400, reply_form=form
    )


@sudo_required
@_helpline
def attachment_download(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    attachment = access_attachment(request.user, code)
    trail.record(
        "contact.attachment_downloaded",
        actor=request.user,
        target=attachment.contact,
        data={"attachment": str(attachment.code)},
    )
    return file_response(
        EncryptedStorage(),
        attachment.stored_name,
        content_type=attachment.content_type,
        filename=attachment.filename,
    )
