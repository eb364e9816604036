"""The anonymisation engine (``privacy.services``): driven by the inventory, one
transaction per record, idempotent, refused under a legal hold, and the statistics'
ages kept."""

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.helpline.models import Attachment, Contact, FollowUp
from ostoja.helpline.services import follow_up_add
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.lib.crypto.fields import blind_lookup
from ostoja.lib.crypto.files import EncryptedStorage, Upload
from ostoja.lib.inventory import inventory_of
from ostoja.people.matching import find_matches
from ostoja.people.models import Person, PersonKey
from ostoja.portal.services import report_make
from ostoja.privacy.holds import active_hold_for
from ostoja.privacy.models import Anonymisation, FileShred, LegalHold
from ostoja.privacy.services import (
    _age,
    age_estimate,
    anonymise_contact,
    anonymise_person,
    days_counted,
    hold_lift,
    hold_set,
)
from ostoja.test import Persona, force_sign_in

WHY = Anonymisation.Why.ERASURE
# An emptied value printed as Python's None: between tags or the pages' separators.
PRINTED_NONE = re.compile(r"[>·:]\s*None\s*[<·,]")


def test_it_anonymises_what_the_inventory_marks_and_keeps_the_rest(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    dpo = centre[Role.DPO].user
    organisation = client_person.organisation
    days = days_counted(client_person)
    ages = [client_person.age(day) for day in days]
    assert PersonKey.objects.filter(person=client_person).exists()

    mark = anonymise_person(client_person, by=dpo, why=WHY)

    assert mark is not None and mark.rows >= 2
    person = Person.objects.get(pk=client_person.pk)
    inventory = inventory_of(Person)
    assert inventory is not None
    for name in inventory.fields:  # sealed values and indexes: NULL (a text reads as "")
        assert Person.objects.filter(pk=person.pk, **{f"{name}__isnull": True}).exists(), name
        assert getattr(person, name) in (None, ""), name
    # The coded statistical fields stay, and the age on every day the figures read it.
    assert person.citizenships == ["UA"] and person.gender == client_person.gender
    assert [person.age(day) for day in days] == ages
    assert not PersonKey.objects.filter(person=person).exists()
    # Found no more: by name, by name and date of birth, by phone.
    for names, born in ((["Olena Shevchenko"], None), (["Олена Шевченко"], dt.date(1994, 5, 1))):
        found = find_matches(organisation, names=names, birth_date=born)
        assert person.pk not in [match.person.pk for match in found]
    assert blind_lookup(Person.objects.all(), "phone_index", "+48 600 100 200") == []
    # One audit entry, with counts and no value; the mark says why and by whom.
    entry = AuditEntry.objects.get(action="person.anonymised")
    assert entry.target_code == str(person.code) and entry.purpose == WHY
    assert set(entry.data) == {"rows", "files"} and entry.actor_id == dpo.pk
    assert (mark.why, mark.by_id, mark.target_type) == (WHY, dpo.pk, "people.person")
    # A second time: nothing to do.
    assert anonymise_person(person, by=dpo, why=WHY) is None
    assert AuditEntry.objects.filter(action="person.anonymised").count() == 1


def test_it_refuses_a_person_under_a_legal_hold_until_it_is_lifted(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    dpo = centre[Role.DPO].user
    hold = hold_set(
        organisation=case.organisation,
        case=case,
        reason=LegalHold.Reason.PROCEEDINGS,
        note="Prokuratura Rejonowa, sygn. PR 1 Ds 12/26",
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=dpo,
    )
    assert active_hold_for(client_person) == hold  # a hold on the case keeps its clients
    with pytest.raises(ValidationError) as refused:
        anonymise_person(client_person, by=dpo, why=WHY)
    assert refused.value.code == "held"
    assert Person.objects.get(pk=client_person.pk).name == "Олена Шевченко"
    assert not Anonymisation.objects.exists()
    assert AuditEntry.objects.filter(action="legal_hold.set", target_code=str(case.code)).exists()

    hold_lift(hold=hold, acting_user=dpo)
    assert active_hold_for(client_person) is None
    assert anonymise_person(client_person, by=dpo, why=WHY) is not None
    with pytest.raises(ValidationError):
        hold_lift(hold=hold, acting_user=dpo)


def test_a_hold_is_on_a_case_or_a_person_and_ends_after_it_starts(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    dpo = centre[Role.DPO].user
    common = {"organisation": case.organisation, "reason": "court", "note": "", "acting_user": dpo}
    with pytest.raises(ValidationError):
        hold_set(ends_on=dt.date(2030, 1, 1), **common)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        hold_set(case=case, person=client_person, ends_on=dt.date(2030, 1, 1), **common)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        hold_set(person=client_person, ends_on=dt.date(2000, 1, 1), **common)  # type: ignore[arg-type]
    assert not LegalHold.objects.exists()


def test_the_age_estimate_gives_the_age_of_the_date_of_birth_on_the_days_counted() -> None:
    chance = random.Random(19)  # noqa: S311  # test data, not secrets
    for _ in range(300):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=chance.randrange(60 * 365))
        first = born + dt.timedelta(days=chance.randrange(365, 50 * 365))
        # The first day of a case, then the 1st of January of the following years.
        days = [first] + [dt.date(first.year + n, 1, 1) for n in range(1, chance.randrange(1, 6))]
        estimate, since = age_estimate(born, days)
        for day in days:
            assert estimate + (day - since).days // 365 == _age(born, day), (born, days)


def test_a_contact_goes_with_its_own_rows_and_files_not_an_intervention_it_began(
    centre: dict[Role, Persona],
    settings: Settings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    counsellor = centre[Role.COUNSELLOR].user
    organisation = counsellor.organisation
    assert organisation is not None
    upload = Upload(b"\xff\xd8\xff\xe0 (a photo)", "image/jpeg", "jpg", "paszport-Oleny.jpg")
    report, _code = report_make(
        organisation=organisation,
        text="Zabrali mi paszport.",
        attachment=upload,
        page_language="pl",
    )
    contact = report.first
    stored = contact.attachments.get().stored_name
    follow_up = follow_up_add(
        contact=contact, task="Oddzwonić do Oleny", due=dt.date(2026, 12, 20),
        assignee=counsellor, acting_user=counsellor,
    )  # fmt: skip
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger", "location": "ul. Ukryta 5"},
        acting_user=counsellor,
        contact=contact,
    )
    assert EncryptedStorage().exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        mark = anonymise_contact(contact, by=None, why=Anonymisation.Why.RETENTION)

    assert mark is not None and mark.files == 1
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.summary, contact.caller_number, contact.correspondent) == ("", "", "")
    emptied = {"summary__isnull": True, "caller_number__isnull": True}
    assert Contact.objects.filter(pk=contact.pk, **emptied).exists()
    assert FollowUp.objects.filter(pk=follow_up.pk, task__isnull=True).exists()
    assert not Attachment.objects.exists() and not EncryptedStorage().exists(stored)
    assert not FileShred.objects.exists()  # removed after commit, its list emptied
    # The intervention has subjects of its own: it keeps its data.
    assert Intervention.objects.get(pk=intervention.pk).location == "ul. Ukryta 5"
    # Its page reads as emptied, not as "None".
    browser = Client()
    force_sign_in(browser, counsellor)
    page = browser.get(f"/helpline/{contact.code}/").content.decode()
    assert "Zabrali" not in page
    assert not PRINTED_NONE.search(page), _around(page, "None")
    entry = AuditEntry.objects.get(action="contact.anonymised")
    assert entry.actor_id is None and entry.data == {"rows": mark.rows, "files": 1}


def test_an_anonymised_person_reads_as_anonymised_on_the_pages_that_show_them(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    """The person's and the case's pages after anonymisation: the emptied name says what
    happened, and no emptied field prints as "None"."""
    anonymise_person(client_person, by=centre[Role.DPO].user, why=WHY)
    manager = Client()
    force_sign_in(manager, centre[Role.CASE_MANAGER].user)
    for url in (f"/people/{client_person.code}/", f"/cases/{case.code}/"):
        page = manager.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "Anonymised person" in text or "Osoba zanonimizowana" in text, url
        assert not PRINTED_NONE.search(text), (url, _around(text, "None"))
        assert "Olena" not in text and "Шевченко" not in text, url


def _around(text: str, word: str) -> str:
    at = text.find(word)
    return text[max(0, at - 300) : at + 60]
