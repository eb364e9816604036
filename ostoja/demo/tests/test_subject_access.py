"""A subject-access copy of a demo client (issue #19, "Done means"): every record the
inventory lists about them, the disclosure ledger, no shelter address, no other person's
name — and never produced by one person alone."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ostoja.accounts.models import User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.cases.models import TeamMember
from ostoja.lib.inventory import rows_about
from ostoja.network.models import Disclosure
from ostoja.people.models import Person
from ostoja.privacy import services, subject_access
from ostoja.privacy.related import merged_into
from ostoja.shelter.models import Facility, Placement


@pytest.mark.django_db
def test_a_demo_clients_copy_holds_what_the_inventory_lists_and_no_one_elses() -> None:
    call_command("demo", stdout=StringIO())
    # A client who stayed in the shelter and whose data left the centre, if the demo has
    # one; else any placed client.
    placed = Person.objects.filter(pk__in=Placement.objects.values("person"))
    disclosed = placed.filter(pk__in=Disclosure.objects.values("person"))
    person = (disclosed or placed).filter(merged_into__isnull=True).first()
    assert person is not None
    manager = (
        TeamMember.objects.filter(case__clients__person=person, role=TeamRole.CASE_MANAGER)
        .select_related("user")
        .first()
    )
    assert manager is not None
    dpo = User.objects.get(membership__role=Role.DPO, membership__organisation=person.organisation)

    found = services.request_receive(
        person=person, kind="access", data={"channel": "in_person"}, acting_user=manager.user
    )
    with pytest.raises((PermissionDenied, ValidationError)):  # nothing before the identity
        services.request_approve(subject_request=found, acting_user=manager.user)
    services.request_verify(
        subject_request=found, evidence="passport", note="", acting_user=manager.user
    )
    services.request_approve(subject_request=found, acting_user=manager.user)
    with pytest.raises((PermissionDenied, ValidationError)):  # the same person twice
        services.request_approve(subject_request=found, acting_user=manager.user)
    services.request_approve(subject_request=found, acting_user=dpo)

    copy = json.loads(subject_access.as_json(subject_access.build(person)))
    parts = {part["model"]: {r["record"] for r in part["records"]} for part in copy["records"]}
    ledger = {r["record"] for r in copy["disclosures"]["records"]}
    # Every row the inventory reaches (the person, any duplicate merged into them, their
    # cases' rows, the contacts linked to them) is in the copy.
    for one in merged_into(person):
        for model, _inventory, rows in rows_about(one):
            label = model._meta.label_lower
            for row in rows:
                key = str(getattr(row, "code", row.pk))
                assert key in (ledger if label == "network.disclosure" else parts[label]), label
    assert {"people.person", "cases.case", "shelter.placement"} <= set(parts)
    assert ledger == {str(d.code) for d in Disclosure.objects.filter(person=person)}
    dump = json.dumps(copy, ensure_ascii=False)
    assert str(person.name) in dump
    # No shelter address, no other person's name (nor staff's).
    for facility in Facility.objects.all():
        assert facility.address and facility.address not in dump
    own = set(person.all_names())
    others = Person.objects.exclude(pk__in=[p.pk for p in merged_into(person)])
    for other in others:
        for name in other.all_names():
            if len(name) > 6 and name not in own:
                assert name not in dump, name
    for user in User.objects.all():
        assert user.full_name not in dump
