"""The demo's pre-departure counselling: the Polish consulates abroad are in the directory
with their countries, and every safety plan names the consulate of its destination — the
one chosen, or (none chosen) the directory's only one there, never written into the record."""

import pytest
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.demo import prevention
from ostoja.network.models import Partner
from ostoja.network.vocabulary import PartnerKind
from ostoja.prevention.models import Counselling
from ostoja.prevention.plan import plan_consulate
from ostoja.test import make_user


@pytest.mark.django_db
def test_the_demo_plans_name_the_consulate_in_the_destination_country() -> None:
    organisation = Organisation.objects.create(short_code="KCIK", name="Demo")
    counsellor = make_user(organisation, Role.COUNSELLOR, mfa=False).user
    made = prevention.build(organisation, [counsellor], counsellor, today=timezone.localdate())
    consulates = Partner.objects.filter(organisation=organisation, kind=PartnerKind.CONSULATE)
    assert sorted(consulates.values_list("country", flat=True)) == sorted(prevention.CONSULATES)
    records = Counselling.objects.filter(organisation=organisation)
    assert records.count() == made
    unchosen = records.filter(consulate_partner=None)
    assert unchosen.count() == 1 and unchosen.get().consulate == ""
    for counselling in records:
        consulate = plan_consulate(counselling)
        assert consulate is not None and consulate.country == counselling.country
