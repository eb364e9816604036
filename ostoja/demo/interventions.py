"""Demo interventions (``manage.py demo``, after the roster): an open intervention and a
closed one, handed over to a case manager."""

import datetime as dt

from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.interventions import services


def build(organisation: Organisation, staff: list[User]) -> None:
    """The first of ``staff`` opens both, and closes one, handing it over to the second."""
    now = timezone.now()
    closed = services.intervention_open(
        organisation=organisation,
        data={
            "situation": "safe_place",
            "location": "Dworzec Zachodni, Warszawa",
            "description": "Kobieta z dzieckiem, uciekła z mieszkania pracodawcy.",
            "first_contact_at": now - dt.timedelta(days=2, hours=3),
        },
        acting_user=staff[0],
    )
    for minutes, kind in ((12, "transport"), (55, "shelter")):
        services.intervention_action_add(
            intervention=closed,
            kind=kind,
            at=closed.first_contact_at + dt.timedelta(minutes=minutes),
            note="",
            acting_user=staff[0],
        )
    services.intervention_close(
        intervention=closed, outcome="shelter", handover_to=staff[1], acting_user=staff[0]
    )
    services.intervention_open(
        organisation=organisation,
        data={
            "situation": "captivity",
            "location": "Okolice Grójca, kontenery przy szklarniach",
            "description": "Kolega zgłasza, że pracownicy są zamykani na noc.",
            "first_contact_at": now - dt.timedelta(minutes=20),
        },
        acting_user=staff[0],
    )
