"""The helpline: the live-call screen, autosave, repeat callers, lists, follow-ups."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline import selectors, services
from ostoja.helpline.models import Contact, ContactLink, FollowUp
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.test import Persona, assert_access, force_sign_in, sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = dt.timezone(dt.timedelta(hours=1))  # November: CET


def _start(client: Client) -> Contact:
    response = client.post("/helpline/new/", {"channel": "phone"})
    assert response.status_code == 302
    return Contact.objects.latest("started_at")


def _form(contact: Contact, **changes: Any) -> dict[str, Any]:
    data = {
        "channel": "phone",
        "direction": "in",
        "caller_number": "",
        "caller_type": "",
        "urgency": "routine",
        "summary": "",
        "outcome": "",
        "started_at": timezone.localtime(contact.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        "ended_at": "",
    }
    return data | changes


@pytest.mark.parametrize(
    ("moment", "line"),
    [
        (dt.datetime(2026, 11, 10, 10, 0, tzinfo=WARSAW), "office"),  # Tuesday
        (dt.datetime(2026, 11, 14, 2, 0, tzinfo=WARSAW), "duty"),  # Saturday 02:00
        (dt.datetime(2026, 11, 11, 11, 0, tzinfo=WARSAW), "duty"),  # Independence Day
        (dt.datetime(2026, 11, 10, 20, 0, tzinfo=WARSAW), "duty"),  # Tuesday evening
    ],
)
def test_a_contact_knows_its_line_from_office_hours(
    client: Client, centre: dict[Role, Persona], moment: dt.datetime, line: str
) -> None:
    with time_machine.travel(moment, tick=False):
        sign_in(client, centre[Role.COUNSELLOR])
        contact = _start(client)
    assert contact.line == line and contact.status == Contact.Status.DRAFT
    assert AuditEntry.objects.filter(
        action="contact.started", target_code=str(contact.code)
    ).exists()


def test_a_routine_call_is_logged_and_autosaved_without_loss(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    contact = _start(client)
    url = f"/helpline/{contact.code}/"
    saved = client.post(
        url + "autosave/",
        _form(
            contact,
            caller_number="0048 22 123 45 67",
            caller_type="going_abroad",
            purposes=["prevention"],
            languages=["ukr", "pol"],
            summary="Oferta pracy w Holandii",
        ),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert saved.status_code == 200 and "Draft saved at" in text(saved)
    # The tab closes; the counsellor opens the contact again: everything is there.
    page = text(client.get(url))
    assert "Oferta pracy w Holandii" in page and "0048 22 123 45 67" in page
    contact.refresh_from_db()
    assert {p.purpose for p in contact.purposes.all()} == {"prevention"}
    assert {x.language for x in contact.languages.all()} == {"ukr", "pol"}
    done = client.post(
        url,
        _form(
            contact,
            caller_number="0048 22 123 45 67",
            caller_type="going_abroad",
            purposes=["prevention"],
            languages=["ukr"],
            summary="Oferta pracy w Holandii",
            outcome="advice",
            complete="1",
        ),
    )
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.status == Contact.Status.COMPLETED and contact.ended_at is not None
    assert contact.caller_number == "0048 22 123 45 67"
    assert {x.language for x in contact.languages.all()} == {"ukr"}
    # The completed contact names its language, in the reader's language — never "ukr".
    assert '<dd class="col-sm-9">ukraiński</dd>' in text(client.get(url))
    assert ">Ukrainian</dd>" in text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    actions = set(
        AuditEntry.objects.filter(target_code=str(contact.code)).values_list("action", flat=True)
    )
    assert {"contact.started", "contact.saved", "contact.viewed", "contact.completed"} <= actions


def test_bad_input_gets_a_clear_error_and_loses_nothing(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    contact = _start(client)
    url = f"/helpline/{contact.code}/"
    before = timezone.localtime(contact.started_at) - dt.timedelta(hours=1)
    response = client.post(
        url + "autosave/",
        _form(
            contact,
            summary="Ważna notatka",
            languages=["xxx"],
            ended_at=before.strftime("%Y-%m-%d %H:%M:%S"),
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = text(response)
    assert "Not saved until corrected" in body
    assert "Select a valid choice. xxx is not one of the available choices." in body
    assert "The end is before the start." in body
    contact.refresh_from_db()
    assert contact.summary == "Ważna notatka" and contact.ended_at is None  # valid part kept
    long = client.post(
        url + "autosave/", _form(contact, summary="x" * 25_000), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "at most 20000 characters" in text(long)
    huge = client.post(
        url + "autosave/", _form(contact, summary="x" * 10_000_000), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert huge.status_code == 400 and "too large or malformed" in text(huge)
    contact.refresh_from_db()
    assert contact.summary == "Ważna notatka"
    incomplete = client.post(
        url, _form(contact, summary="Ważna notatka", complete="1"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert incomplete.status_code == 400
    assert "Say who called." in text(incomplete) and "Choose at least one purpose." in text(
        incomplete
    )
    contact.refresh_from_db()
    assert contact.status == Contact.Status.DRAFT and contact.summary == "Ważna notatka"


@pytest.mark.parametrize("written", ["+48 22 123 45 67", "0048221234567", "22 123 45 67"])
def test_a_repeat_caller_is_recognised_in_any_format(
    client: Client, centre: dict[Role, Persona], written: str
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    organisation = counsellor.user.organisation
    assert organisation is not None
    for number in ("+48221234567", "0048 22 123 45 67", "(22) 123-45-67"):
        services.contact_start(
            organisation=organisation, acting_user=counsellor.user, caller_number=number
        )
    services.contact_start(
        organisation=organisation, acting_user=counsellor.user, caller_number="+48 22 765 43 21"
    )
    sign_in(client, counsellor)
    contact = _start(client)
    response = client.post(
        f"/helpline/{contact.code}/autosave/",
        _form(contact, caller_number=written),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This number has called 3 times before." in text(response)
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_number FROM helpline_contact")
        assert all(b"123" not in bytes(row[0]) for row in cursor.fetchall())


def test_the_list_filters_and_costs_the_same_for_any_length(
    client: Client, centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    organisation = counsellor.user.organisation
    assert organisation is not None

    def make(n: int, **data: Any) -> None:
        for _ in range(n):
            contact = services.contact_start(organisation=organisation, acting_user=counsellor.user)
            services.contact_save(contact=contact, acting_user=counsellor.user, data=data)

    make(2, caller_type="police", purposes=["institution"], languages=["pol"])
    sign_in(client, counsellor)
    client.get("/helpline/")
    with CaptureQueriesContext(connection) as few:
        client.get("/helpline/")
    make(40, caller_type="victim", purposes=["intervention", "legal"], languages=["ukr"])
    with CaptureQueriesContext(connection) as many:
        page = text(client.get("/helpline/"))
    assert len(few) == len(many)

    def rows(**filters: str) -> int:
        body = text(client.get("/helpline/", filters))
        return len(re.findall(r'href="/helpline/[0-9a-f-]{36}/"', body))

    assert rows() == 42  # one page of 50
    assert rows(caller_type="police") == 2
    assert rows(purpose="legal") == 40 and rows(purpose="institution") == 2
    assert rows(language="ukr") == 40 and rows(language="ukr", page="1") == 40
    assert rows(urgency="emergency") == 0
    assert "Strona" not in page and "Page 1" not in page  # a single page: no pager


def test_helpline_pages_are_for_helpline_staff_only(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    contact = services.contact_start(organisation=counsellor.organisation, acting_user=counsellor)
    staff = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access("/helpline/", centre, other_centre, allowed=staff, outsider_status=None)
    assert_access(f"/helpline/{contact.code}/", centre, other_centre, allowed=staff)
    assert_access(
        f"/helpline/{contact.code}/autosave/",
        centre,
        other_centre,
        method="post",
        allowed={Role.COUNSELLOR, Role.COORDINATOR},
        data={"summary": "x"},
    )


def test_a_colleague_reads_but_does_not_change_anothers_contact(
    client: Client, centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    contact = services.contact_start(
        organisation=counsellor.organisation,
        acting_user=counsellor,
        caller_number="+48 600 100 200",
    )
    sign_in(client, centre[Role.CASE_MANAGER])
    assert client.get(f"/helpline/{contact.code}/").status_code == 200
    assert client.post(f"/helpline/{contact.code}/", _form(contact)).status_code == 403
    contact.refresh_from_db()
    assert contact.caller_number == "+48 600 100 200"


def test_follow_ups_are_added_listed_and_done(client: Client, centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR]
    sign_in(client, counsellor)
    contact = _start(client)
    bad = client.post(
        f"/helpline/{contact.code}/follow-ups/",
        {"task": "", "due": "soon"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Enter a valid date." in text(bad) and not FollowUp.objects.exists()
    client.post(
        f"/helpline/{contact.code}/follow-ups/", {"task": "Oddzwonić po 18:00", "due": "2026-12-01"}
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.assignee == counsellor.user and follow_up.task == "Oddzwonić po 18:00"
    # Given to a colleague of the helpline; never to someone outside it.
    manager = centre[Role.CASE_MANAGER].user
    client.post(
        f"/helpline/{contact.code}/follow-ups/",
        {"task": "Sprawdzić", "due": "2026-12-02", "assignee": str(manager.code)},
    )
    assert FollowUp.objects.get(due="2026-12-02").assignee == manager
    analyst = centre[Role.ANALYST].user
    refused = client.post(
        f"/helpline/{contact.code}/follow-ups/",
        {"task": "X", "due": "2026-12-03", "assignee": str(analyst.code)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Select a valid choice" in text(refused)
    assert not FollowUp.objects.filter(due="2026-12-03").exists()
    FollowUp.objects.filter(due="2026-12-02").delete()
    assert "Oddzwonić" not in str(AuditEntry.objects.values_list("data", flat=True))
    listing = text(client.get("/helpline/"))
    assert "2026-12-01" in listing
    other = Client()
    sign_in(other, centre[Role.CASE_MANAGER])
    assert other.post(f"/helpline/follow-ups/{follow_up.code}/done/").status_code == 403
    assert client.post(f"/helpline/follow-ups/{follow_up.code}/done/").status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_statistics_count_by_channel_caller_purpose_language_and_line(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    organisation = counsellor.organisation
    assert organisation is not None
    for caller, purposes, languages in [
        ("victim", ["intervention"], ["ukr"]),
        ("police", ["institution", "legal"], ["pol"]),
        ("going_abroad", ["prevention"], ["pol", "ukr"]),
    ]:
        contact = services.contact_start(organisation=organisation, acting_user=counsellor)
        services.contact_save(
            contact=contact,
            acting_user=counsellor,
            complete=True,
            data={"caller_type": caller, "purposes": purposes, "languages": languages},
        )
    services.contact_start(organisation=organisation, acting_user=counsellor)  # a draft
    now = timezone.now()
    counts = selectors.contact_counts(
        Contact.objects.all(), now - dt.timedelta(days=1), now + dt.timedelta(days=1)
    )
    assert counts["total"] == {"all": 3}
    assert counts["caller_type"] == {"victim": 1, "police": 1, "going_abroad": 1}
    assert counts["purpose"] == {"intervention": 1, "institution": 1, "legal": 1, "prevention": 1}
    assert counts["language"] == {"ukr": 2, "pol": 2}
    assert counts["channel"] == {"phone": 3} and sum(counts["line"].values()) == 3


def test_the_counsellors_dashboard_counts_today_and_this_week(
    client: Client, centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    organisation = counsellor.user.organisation
    assert organisation is not None
    with time_machine.travel(dt.datetime(2026, 11, 12, 10, 0, tzinfo=WARSAW), tick=False):
        for _ in range(2):  # Thursday
            contact = services.contact_start(organisation=organisation, acting_user=counsellor.user)
            services.contact_save(
                contact=contact,
                acting_user=counsellor.user,
                complete=True,
                data={"caller_type": "victim", "purposes": ["information"]},
            )
    with time_machine.travel(dt.datetime(2026, 11, 14, 2, 0, tzinfo=WARSAW), tick=False):
        contact = services.contact_start(organisation=organisation, acting_user=counsellor.user)
        services.contact_save(
            contact=contact,
            acting_user=counsellor.user,
            complete=True,
            data={"caller_type": "victim", "purposes": ["intervention"]},
        )
        sign_in(client, counsellor)
        page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    panel = page.split('data-testid="helpline-panel"', 1)[1]
    numbers = re.findall(r'fs-3 fw-semibold">(\d+)<', panel)
    assert numbers == ["1", "3"]  # Saturday: one today, three this week
    assert "duty line: 1" in panel


def test_a_contact_is_linked_to_records_the_counsellor_may_see(
    client: Client,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    sample: Sample,
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    contact = services.contact_start(organisation=manager.organisation, acting_user=manager)
    link = services.contact_link(
        contact=contact,
        target_type="home.sample",
        target_code=str(sample.code),
        acting_user=manager,
    )
    again = services.contact_link(
        contact=contact,
        target_type="home.sample",
        target_code=str(sample.code),
        acting_user=manager,
    )
    assert again == link and ContactLink.objects.count() == 1
    assert AuditEntry.objects.filter(action="contact.linked").count() == 1
    linked = selectors.contacts_linked_to(Contact.objects.all(), "home.sample", str(sample.code))
    assert list(linked) == [contact]
    sign_in(client, centre[Role.CASE_MANAGER])
    assert f"/?record={sample.code}" in text(client.get(f"/helpline/{contact.code}/"))
    # The counsellor is not on the record's team: the link is not shown to them …
    other = Client()
    sign_in(other, centre[Role.COUNSELLOR])
    assert f"/?record={sample.code}" not in text(other.get(f"/helpline/{contact.code}/"))
    # … nor may they link to it, nor may anyone link to a record that does not exist.
    counsellor = centre[Role.COUNSELLOR].user
    with pytest.raises(ValidationError):
        services.contact_link(
            contact=contact,
            target_type="home.sample",
            target_code=str(sample.code),
            acting_user=counsellor,
        )
    with pytest.raises(ValidationError):
        services.contact_link(
            contact=contact,
            target_type="home.sample",
            target_code="00000000-0000-4000-8000-000000000000",
            acting_user=manager,
        )
    services.contact_unlink(link=link, acting_user=manager)
    assert not ContactLink.objects.exists()
    assert AuditEntry.objects.filter(action="contact.unlinked").exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"started_at": "1402-05-01 10:00:00"}, "Give a date between 2000-01-01 and"),
        ({"started_at": "8440-05-01 10:00:00"}, "Give a date between 2000-01-01 and"),
        ({"ended_at": "8440-05-01 10:00:00"}, "Give a date between 2000-01-01 and"),
        ({"caller_number": "\x1b[31m" + "9" * 30}, "This is not a phone number."),
        ({"caller_number": "call me maybe"}, "This is not a phone number."),
        ({"caller_number": "+48 22", "number_withheld": "on"}, "This is not a phone number."),
        ({"caller_number": "+48 22 628 01 20", "number_withheld": "on"}, "leave it empty"),
    ],
)
def test_impossible_times_and_numbers_are_refused_and_the_rest_kept(
    client: Client, centre: dict[Role, Persona], changes: dict[str, str], error: str
) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    contact = _start(client)
    started = contact.started_at
    response = client.post(
        f"/helpline/{contact.code}/autosave/",
        _form(contact, summary="Notatka zostaje", **changes),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert error in text(response)
    contact.refresh_from_db()
    assert contact.summary == "Notatka zostaje"  # the valid part is saved
    assert abs(contact.started_at - started) < dt.timedelta(seconds=1)  # as shown: to the second
    assert contact.ended_at is None and contact.caller_number == ""


def test_a_withheld_number_is_said_explicitly(client: Client, centre: dict[Role, Persona]) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    contact = _start(client)
    for number in ("+48 22 628 01 20", "0048226280120", "(22) 628-01-20"):
        client.post(f"/helpline/{contact.code}/autosave/", _form(contact, caller_number=number))
        contact.refresh_from_db()
        assert contact.caller_number == number  # kept as typed, checked by phonenumbers
    client.post(f"/helpline/{contact.code}/autosave/", _form(contact, number_withheld="on"))
    contact.refresh_from_db()
    assert contact.number_withheld and contact.caller_number == ""


def test_a_draft_started_by_mistake_is_discarded_and_a_linked_one_is_not(
    client: Client,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    client_person: object,
) -> None:
    from ostoja.helpline.services import contact_link

    sign_in(client, centre[Role.COUNSELLOR])
    contact = _start(client)
    url = f"/helpline/{contact.code}/discard/"
    # Nobody but the counsellor who took it (and a coordinator) may throw it away.
    others = [p for r, p in centre.items() if r not in (Role.COUNSELLOR, Role.COORDINATOR)]
    for persona in [*others, *other_centre.values()]:
        stranger = Client()
        force_sign_in(stranger, persona.user)
        assert stranger.post(url).status_code in (403, 404), persona.user
    assert Contact.objects.filter(code=contact.code).exists()
    assert client.post(url).status_code == 302
    assert not Contact.objects.filter(code=contact.code).exists()
    assert AuditEntry.objects.filter(action="contact.discarded", target_code=str(contact.code))
    linked = _start(client)
    contact_link(
        contact=linked,
        target_type="people.person",
        target_code=str(client_person.code),  # type: ignore[attr-defined]
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    response = client.post(f"/helpline/{linked.code}/discard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and Contact.objects.filter(code=linked.code).exists()


def _template_text(page: str, label: str) -> str:
    """The text a quick template writes into the summary, as the page carries it."""
    button = re.search(rf'data-template-text="([^"]*)">{label}</button>', page)
    assert button is not None, label
    return button.group(1)


@pytest.mark.parametrize(
    ("language", "label", "error"),
    [
        ("pl", "Porada profilaktyczna", "Uzupełnij punkty szablonu albo je usuń"),
        ("en", "Prevention advice", "Answer the template&#x27;s headings or delete them"),
    ],
)
def test_a_quick_template_writes_headings_to_answer_never_a_claim(
    client: Client, signed_in: Any, language: str, label: str, error: str
) -> None:
    """A template writes headings the counsellor answers, not what was done ("checked the
    offer, gave the leaflet"): the contact is not completed while one is unanswered, and
    the record holds what the counsellor wrote."""
    signed_in(Role.COUNSELLOR)
    contact = _start(client)
    url = f"/helpline/{contact.code}/"
    page = text(client.get(url, headers={"accept-language": language}))
    headings = _template_text(page, label).split("\n")
    assert len(headings) == 5 and all(h.endswith(":") for h in headings), headings
    assert "checked the job offer" not in page and "sprawdzono ofertę" not in page
    complete = {"caller_type": "going_abroad", "purposes": ["prevention"], "complete": "1"}
    # The template alone, or with one heading answered, is refused.
    for summary in ("\n".join(headings), "\n".join([f"{headings[0]} Holandia", *headings[1:]])):
        response = client.post(
            url, _form(contact, summary=summary, **complete), headers={"accept-language": language}
        )
        assert response.status_code == 400 and error in text(response)
        assert headings[-1] in text(response).split(error, 1)[1]
        contact.refresh_from_db()
        assert contact.status == Contact.Status.DRAFT
    # Every heading answered or deleted: completed, with the counsellor's words only.
    answered = f"{headings[0]} Holandia, szklarnia\n{headings[3]} zabrany paszport, długi"
    response = client.post(url, _form(contact, summary=answered, **complete))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == Contact.Status.COMPLETED and contact.summary == answered
