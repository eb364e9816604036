"""Every response that shows personal data writes its read entry (ARCHITECTURE.md §4).

Not a hand-kept list of views: a crawl. A world of records is written through the services
with a canary word in every sealed value; then, as each role that sees identities, every
page and panel reachable from the dashboard is opened (links and htmx loads alike). Any
page that shows a canary must have written an audit entry of that very request (the entry
carries the request's id) naming a read by that user."""

import datetime as dt
import re
from collections import deque

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Decision, Note, RiskAssessment, RouteEvent, Service
from ostoja.cases.services import case_open, case_record_add, document_add, team_set
from ostoja.helpline.services import contact_link, contact_save, contact_start, follow_up_add
from ostoja.identification.models import Indicator
from ostoja.identification.services import answer_set, assessment_start
from ostoja.interventions.services import intervention_open, intervention_person_add
from ostoja.people.services import person_create, relation_add
from ostoja.test import Persona, force_sign_in

pytestmark = pytest.mark.django_db
CANARY = "Kanarek"
PAGES = 150  # per role: more than the pages there are
# Reads are named so: <record>.viewed, .listed, .matched, .reviewed, exports, downloads.
READ = re.compile(r"\.(viewed|listed|matched|reviewed)$|_(exported|downloaded)$")
LINK = re.compile(r'(?:href|hx-get)="(/[^"]*)"')
# Not pages of records: sign-in and language pages, static files, the sign-out.
SKIP = re.compile(r"^/(accounts|i18n|static|access)/|^/users/")


def _world(centre: dict[Role, Persona]) -> None:
    """Records of every kind, each sealed value with the canary in it."""
    manager = centre[Role.CASE_MANAGER].user
    counsellor = centre[Role.COUNSELLOR].user
    organisation = manager.organisation
    assert organisation is not None
    person = person_create(
        organisation=organisation,
        data={
            "name": f"{CANARY} Олена",
            "name_latin": f"{CANARY} Olena",
            "aliases": f"{CANARY}ówna",
            "birth_date": dt.date(1994, 5, 1),
            "phone": "+48 600 100 200",
            "code_word": f"{CANARY} hasło",
            "safety_notes": f"{CANARY}: nie dzwonić wieczorem",
            "phone_controlled": True,
        },
        acting_user=manager,
    )
    brother = person_create(
        organisation=organisation, data={"name": f"{CANARY} Iwan"}, acting_user=manager
    )
    relation_add(person=person, other=brother, kind="family", note="", acting_user=manager)
    case = case_open(
        organisation=organisation,
        clients=[person],
        manager=manager,
        data={"summary": f"{CANARY} w szklarni", "perpetrator_notes": f"{CANARY} szef"},
        acting_user=manager,
    )
    team_set(case=case, user=centre[Role.SPECIALIST].user, role="specialist", acting_user=manager)
    today = timezone.localdate()
    for record in (
        Note(text=f"{CANARY}: notatka"),
        RouteEvent(kind="Exploitation", country="PL", place=f"{CANARY} pole"),
        Service(
            client=person,
            kind="legal",
            legal_area="criminal",
            delivered_on=today,
            details=f"{CANARY} porada",
            provided_by=manager,
        ),
        Decision(
            client=person,
            kind="cooperation",
            choice="yes",
            decided_on=today,
            information=["rights"],
            notes=f"{CANARY} zgoda",
        ),
        RiskAssessment(level="high", assessed_on=today, safety_plan=f"{CANARY} plan"),
    ):
        case_record_add(case=case, instance=record, acting_user=manager)
    document_add(
        case=case,
        upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf"),
        title=f"{CANARY} paszport",
        client=person,
        acting_user=manager,
    )
    contact = contact_start(organisation=organisation, acting_user=counsellor)
    contact_save(contact=contact, data={"summary": f"{CANARY} dzwoniła"}, acting_user=counsellor)
    follow_up_add(
        contact=contact,
        task=f"Oddzwonić: {CANARY}",
        due=today,
        assignee=counsellor,
        acting_user=counsellor,
    )
    for target_type, code in (("people.person", person.code), ("cases.case", case.code)):
        contact_link(
            contact=contact, target_type=target_type, target_code=str(code), acting_user=manager
        )
    assessment = assessment_start(
        person=person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        case=case,
        acting_user=manager,
    )
    indicator = Indicator.objects.filter(catalogue=assessment.catalogue).first()
    assert indicator is not None
    answer_set(
        assessment=assessment,
        indicator=indicator,
        value="yes",
        source="self_report",
        note=f"{CANARY} odpowiedź",
        acting_user=manager,
    )
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger", "location": f"{CANARY} ulica", "description": CANARY},
        acting_user=counsellor,
    )
    intervention_person_add(intervention=intervention, person=person, acting_user=manager)


def _crawl(persona: Persona) -> list[str]:
    """Open every page reachable from the dashboard; the pages that showed a canary
    without an audit entry of their own request."""
    client = Client()
    force_sign_in(client, persona.user)
    queue, seen, unaudited = deque(["/"]), {"/"}, []
    while queue and len(seen) <= PAGES:
        url = queue.popleft()
        response = client.get(url, HTTP_HX_REQUEST="true" if "/form/" in url else "")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        if CANARY in page:
            reads = AuditEntry.objects.filter(
                request_id=response["X-Request-ID"], actor=persona.user
            ).values_list("action", flat=True)
            if not any(READ.search(action) for action in reads):
                unaudited.append(url)
        for link in LINK.findall(page):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.match(link):
                seen.add(link)
                queue.append(link)
    assert len(seen) < PAGES, "the crawl did not finish"
    return unaudited


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COUNSELLOR]
)
def test_every_page_that_shows_personal_data_records_the_read(
    centre: dict[Role, Persona], role: Role, settings: object, tmp_path: object
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path  # type: ignore[attr-defined]
    _world(centre)
    assert _crawl(centre[role]) == []
