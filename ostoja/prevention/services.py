"""Every change of pre-departure counselling: one transaction, one audit entry that names
the fields changed (never their values)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.audit.trail import record
from ostoja.helpline.models import Contact
from ostoja.prevention.kraz import agency_by_number
from ostoja.prevention.models import Counselling, Flag, FlagCatalogue

# The fields a counsellor fills, as typed or chosen (blank: not asked).
FIELDS = (
    "country",
    "city",
    "work",
    "work_detail",
    "channel",
    "agency_name",
    "agency_number",
    "contract_written",
    "contract_language",
    "passport_keeper",
    "housing",
    "transport",
    "money_asked",
    "money_detail",
    "advice_given",
    "plan_language",
    "emergency_number",
    "consulate",
    "code_word",
)


@transaction.atomic
def counselling_save(
    *,
    data: dict[str, Any],
    flags: list[Flag],
    acting_user: User,
    counselling: Counselling | None = None,
    organisation: Organisation | None = None,
    catalogue: FlagCatalogue | None = None,
    contact: Contact | None = None,
) -> Counselling:
    """Record a new counselling (``organisation``, ``catalogue``, perhaps the ``contact``
    it came from) or change ``counselling``: what the counsellor typed, the flags ticked,
    and the agency as found in KRAZ by the number given. Only what is in ``data`` is
    stored; a flag of another checklist version is not."""
    created = counselling is None
    if counselling is None:
        assert organisation is not None and catalogue is not None  # noqa: S101
        counselling = Counselling(
            organisation=organisation, catalogue=catalogue, contact=contact, counsellor=acting_user
        )
    changed = []
    for name in FIELDS:
        value = data.get(name, "")
        if getattr(counselling, name) != value:
            setattr(counselling, name, value)
            changed.append(name)
    agency = agency_by_number(counselling.agency_number)
    if counselling.agency_id != (agency.pk if agency else None):
        counselling.agency = agency
        changed.append("agency")
    counselling.updated_at = timezone.now()
    counselling.save()
    ticked = {flag.pk for flag in flags if flag.catalogue_id == counselling.catalogue_id}
    if created or ticked != set(counselling.flags.values_list("pk", flat=True)):
        counselling.flags.set(ticked)
        changed.append("flags")
    data = {"fields": sorted(changed)}
    if created:
        record("counselling.created", actor=acting_user, target=counselling, data=data)
    elif changed:
        record("counselling.updated", actor=acting_user, target=counselling, data=data)
    return counselling
