"""Demo identification records for the demo cases (``manage.py demo``): every open case's
first client has a status decided by the centre, some were identified by the Police or
the Border Guard, and some have an indicator assessment with typical answers."""

import datetime as dt
import random

from ostoja.accounts.models import Organisation, User
from ostoja.cases.models import Case
from ostoja.identification import services
from ostoja.identification.models import Decision, Indicator

# Typical answers of a labour case: deceived about the job and wages, documents taken,
# debt, excessive hours, low pay — enough for the indicators to suggest trafficking.
TYPICAL = [
    ("deceptive_recruitment", "deceived-nature-of-job"),
    ("deceptive_recruitment", "deceived-wages"),
    ("exploitation", "excessive-hours"),
    ("exploitation", "low-or-no-salary"),
    ("coercion_destination", "confiscation-of-documents"),
    ("coercion_destination", "debt-bondage"),
]


def build(organisation: Organisation, manager: User, *, today: dt.date, seed: int = 2026) -> int:
    """Returns the number of decisions made."""
    rng = random.Random(seed)  # noqa: S311  # synthetic demo data, reproducible on purpose
    made = 0
    cases = Case.objects.filter(organisation=organisation).prefetch_related("clients__person")
    for case in cases:
        link = case.clients.first()
        if link is None or "not_trafficking" in case.harms or not case.forms:
            continue
        person = link.person
        decided = min(case.opened_on + dt.timedelta(days=rng.randrange(1, 10)), today)
        formal = rng.random() < 0.4
        services.decision_add(
            person=person,
            data={
                "case": case,
                "status": Decision.Status.ACTUAL if formal else Decision.Status.POSSIBLE,
                "decided_by": rng.choice(
                    [Decision.DecidedBy.POLICE, Decision.DecidedBy.BORDER_GUARD]
                )
                if formal
                else Decision.DecidedBy.CENTRE,
                "decided_on": decided,
                "basis": "Demo",
            },
            acting_user=manager,
        )
        made += 1
        if "forced_labour" in case.forms and rng.random() < 0.5:
            assessment = services.assessment_start(
                person=person,
                mode="full",
                exploitation=["labour"],
                age_at_exploitation=None,
                case=case,
                acting_user=manager,
            )
            for dimension, code in TYPICAL:
                indicator = Indicator.objects.filter(
                    catalogue=assessment.catalogue,
                    list_code__in=assessment.lists,
                    dimension=dimension,
                    code=code,
                ).first()
                if indicator is not None:
                    services.answer_set(
                        assessment=assessment,
                        indicator=indicator,
                        value="yes",
                        source="self_report",
                        note="",
                        acting_user=manager,
                    )
    return made
