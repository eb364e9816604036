"""A person's records across the apps, as codes: what "who has seen" covers for a person.

Each app audits the reads and writes of its own records against those records: a case's
notes and documents against the case, a contact against the contact, a call against the
call, an intervention against the intervention — and identification (assessments,
preliminary identifications, decisions) against the person already (``target=person``).
So the trail of a person is the trail of these records together:

* the person, and the duplicates merged into them (whose entries were about the same human);
* the cases they are a client of;
* the helpline contacts linked to them or to those cases, the replies sent to those
  contacts, and the telephone calls that started them;
* the emergency interventions they were involved in, or that led to those cases.

The privacy app sits at the top of the layers (ARCHITECTURE.md §2): it reads these
relations across the apps — codes and case numbers only, never a sealed field — with each
app's own rule for who may open what: for the DPO, everything of the organisation (the
policy's ``can_see_existence`` as a query); for anyone else, only what the app's
``*_visible_to`` gives them.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.policy import Existence
from ostoja.cases.access import TARGET as CASE
from ostoja.cases.access import cases_visible_to
from ostoja.cases.models import Case
from ostoja.helpline.access import TARGET as CONTACT
from ostoja.helpline.access import contacts_visible_to
from ostoja.helpline.models import Call, Contact
from ostoja.interventions.access import TARGET as INTERVENTION
from ostoja.interventions.access import interventions_visible_to
from ostoja.interventions.models import Intervention
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person

CALL = Call._meta.label_lower  # as ``trail.target_of`` names a call (by its number)
# Merges of merges: how far back duplicates merged into a person are followed.
MERGE_DEPTH = 10


def merged_into(person: Person) -> list[Person]:
    """The person and every duplicate merged into them (and into those, and so on)."""
    found = [person]
    layer = [person.pk]
    for _depth in range(MERGE_DEPTH):
        duplicates = list(Person.objects.filter(merged_into_id__in=layer).order_by("pk"))
        if not duplicates:
            break
        found += duplicates
        layer = [duplicate.pk for duplicate in duplicates]
    return found


def person_records(person: Person, user: User | None = None) -> list[Existence]:
    """The person's records (the person first, then cases, contacts, calls and
    interventions, oldest first), as codes and references. ``user=None``: all of the
    organisation's (the DPO); else those ``user`` may open."""
    people = merged_into(person)
    organisation = person.organisation
    cases = _cases(user, organisation).filter(clients__person__in=people).distinct()
    case_list = list(cases.order_by("year", "number").only("code", "reference"))
    links = Q(links__target_type=PERSON, links__target_code__in=[str(p.code) for p in people])
    links |= Q(links__target_type=CASE, links__target_code__in=[str(c.code) for c in case_list])
    contacts = _contacts(user, organisation)
    linked = contacts.filter(links).values("pk")
    contact_list = list(
        contacts.filter(Q(pk__in=linked) | Q(in_reply_to__in=linked))
        .order_by("started_at", "pk")
        .only("code")
    )
    calls = Call.objects.filter(contact__in=contact_list).order_by("pk")
    interventions = (
        _interventions(user, organisation)
        .filter(Q(people__in=people) | Q(case__in=case_list))
        .distinct()
        .order_by("first_contact_at", "pk")
        .only("code", "reference")
    )
    return [
        *(Existence(PERSON, str(p.code)) for p in people),
        *(Existence(CASE, str(c.code), c.reference) for c in case_list),
        *(Existence(CONTACT, str(c.code)) for c in contact_list),
        *(Existence(CALL, str(pk)) for pk in calls.values_list("pk", flat=True)),
        *(Existence(INTERVENTION, str(i.code), i.reference) for i in interventions),
    ]


def _cases(user: User | None, organisation: Organisation) -> QuerySet[Case]:
    if user is None:
        return Case.objects.filter(organisation=organisation)
    return cases_visible_to(user)


def _contacts(user: User | None, organisation: Organisation) -> QuerySet[Contact]:
    if user is None:
        return Contact.objects.filter(organisation=organisation)
    return contacts_visible_to(user)


def _interventions(user: User | None, organisation: Organisation) -> QuerySet[Intervention]:
    if user is None:
        return Intervention.objects.filter(organisation=organisation)
    return interventions_visible_to(user)


def case_clients(cases: Iterable[Case]) -> dict[int, list[Existence]]:
    """The clients of each case, as people's codes (case id -> existences)."""
    rows = Person.objects.filter(case_links__case__in=list(cases)).values_list(
        "case_links__case_id", "code"
    )
    clients: dict[int, list[Existence]] = {}
    for case_id, code in rows.order_by("case_links__case_id", "case_links__pk"):
        clients.setdefault(case_id, []).append(Existence(PERSON, str(code)))
    return clients
