"""Read-only views of interventions for the other apps (``accounts.records``): the
interventions a person was involved in, the one a contact opened, the one a case came
from."""

from collections.abc import Callable, Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.records import Event, register_history
from ostoja.interventions.access import TARGET, interventions_visible_to
from ostoja.interventions.models import Intervention


def _interventions(field: str) -> Callable[[User, Any], Iterator[Event]]:
    def provider(user: User, record: Any) -> Iterator[Event]:
        situations = dict(Intervention.Situation.choices)
        found = interventions_visible_to(user).filter(**{field: record})
        for intervention in found.defer("location", "description"):
            yield Event(
                intervention.first_contact_at,
                str(_("Emergency intervention")),
                f"{intervention.reference} · {situations[intervention.situation]}",
                reverse("interventions:detail", args=[intervention.code]),
                record_type=TARGET,
            )

    return provider


register_history("people.person", _interventions("people"))
register_history("helpline.contact", _interventions("contact"))
register_history("cases.case", _interventions("case"))
