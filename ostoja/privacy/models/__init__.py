"""The data protection officer's records (issue #19): retention schedules, legal holds,
the marks of anonymised records and the retention job's runs (``retention``); the DPIA
register and the breach log (``records``); the subject-rights requests (``requests``)."""

from ostoja.privacy.models.records import Breach, DpiaEntry
from ostoja.privacy.models.requests import SubjectRequest
from ostoja.privacy.models.retention import (
    Anonymisation,
    FileShred,
    LegalHold,
    RecordKind,
    RetentionRun,
    RetentionSchedule,
)

__all__ = [
    "Anonymisation",
    "Breach",
    "DpiaEntry",
    "FileShred",
    "LegalHold",
    "RecordKind",
    "RetentionRun",
    "RetentionSchedule",
    "SubjectRequest",
]
