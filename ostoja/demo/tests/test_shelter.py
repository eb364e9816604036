"""The demo shelter (``manage.py demo``): KCIK's places, a year of stays, a full shelter
tonight — all written through the services."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.audit.models import AuditEntry
from ostoja.shelter.models import Absence, Bed, Facility, Placement, ShiftEntry, WaitingEntry
from ostoja.shelter.selectors import board, nights_in_year


@pytest.mark.django_db
def test_the_demo_shelter_is_kciks_and_full_tonight() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Demo shelter: " in out.getvalue()
    facilities = Facility.objects.all()
    kinds = sorted(facilities.values_list("kind", flat=True))
    assert kinds == sorted(
        ["shelter", "shelter", "shelter", "apartment", "apartment", "crisis_centre", "hostel"]
    )
    men = facilities.get(kind="shelter", takes_men=True)
    assert Bed.objects.filter(room__facility=men).count() == 3
    assert facilities.filter(kind="shelter", takes_women=True).count() == 2
    # A year of stays, the centre's own places and the others, each admitted through the
    # service (an audit entry per admission).
    stays = Placement.objects.all()
    admitted = stays.exclude(admitted_at=None)
    assert admitted.count() >= 40
    assert AuditEntry.objects.filter(action="placement.admitted").count() == admitted.count()
    assert stays.filter(bed__room__facility__kind__in=["crisis_centre", "hostel"]).exists()
    assert stays.filter(status="discharged").values("destination").distinct().count() >= 4
    organisation = Organisation.objects.get()
    year = timezone.localdate().year
    nights = nights_in_year(facilities, year, organisation.time_zone)
    assert sum(nights.values()) > 365
    # Tonight: one women's shelter full, one resident out, the shift book written.
    rows = board(facilities, timezone.localdate(), organisation.time_zone)
    full = [row for row in rows if row.beds and row.free == 0]
    assert len(full) == 1 and full[0].facility.kind == "shelter"
    assert Absence.objects.filter(returned_at=None).count() == 1
    assert ShiftEntry.objects.filter(for_case_manager=True).count() == 1
    assert WaitingEntry.objects.filter(ended_at=None).count() == 2
    # Nothing is dated in the future.
    later = timezone.now() + dt.timedelta(minutes=1)
    assert not stays.filter(admitted_at__gt=later).exists()
    assert not stays.filter(discharged_at__gt=later).exists()
