"""The disclosure ledger's one door: ``disclosure_record``, for every app that lets data
leave the centre (GDPR Art. 30(1)(d), 15(1)(c): who received a person's data).

**Where the ledger lives, and why here is only its door.** The ledger's rows are
``ostoja.network.models.Disclosure``: it began as the record of referrals to partners, and a
row may name a partner of the directory (a foreign key). But the apps that disclose sit
below the network in the layers — the case's referral summary (``cases``), the assessment
summary for the police (``identification``) — and may not import it. Moving the model down
(into ``cases``) would have meant a model that points up to ``network.Partner`` and a move of
the existing rows between apps; instead the network registers its recorder here when it
starts (``NetworkConfig.ready``), as the apps register what they know of each other in
``ostoja.accounts.records``, and every app calls this function. The row and its audit entry
are written in the caller's transaction; with no recorder registered (the network app not
installed) it raises rather than let data leave unrecorded.

The vocabulary (kinds, legal bases, channels, the recipients that are not a partner or a
typed name) is here too, so a lower app can name it.

**What is a disclosure** (one entry each, by the view or service that lets it out):

* a referral e-mailed to a partner (``network.services.referral_send``);
* the case's referral summary downloaded to hand over (``cases.views.case_summary``) and the
  assessment summary for the police or Border Guard (``identification.views
  .assessment_summary``): the download form asks to whom (prefilled with the consent's
  recipient) — staff download it to give it to someone;
* a statistics export (``reports.exports.services.export_files``: to the recipient named on
  the export form or ``--recipient``), and the annual report downloaded (to the public);
* a subject-access export (to the data subject).

**What is not**, and why: a helpline answer by e-mail or on the portal goes to whoever
wrote, in their own thread, in the counsellor's own words, and is itself kept whole as an
outgoing contact (to whom, when, by whom, what) — no record of the centre is attached to
it; when a counsellor must pass a client's data to a third party, that is a referral or a
summary, recorded here. The shelter's kept-items receipt, the safety plan and the check-ins
abroad go to the person themself, as working papers of their own stay or journey. Downloads
of a case's documents and of e-mail attachments are staff reading their own records inside
the centre; alerts and notices by e-mail or SMS go to the centre's own staff and name no
client.
"""

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation, User


class Kind(models.TextChoices):
    """What left the centre."""

    REFERRAL = "referral", _("Referral to a partner")
    CASE_SUMMARY = "case_summary", _("Referral summary of a case")
    ASSESSMENT_SUMMARY = "assessment_summary", _("Identification assessment summary")
    SUBJECT_ACCESS = "subject_access", _("Subject-access export")
    STATISTICS = "statistics", _("Statistics export")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    OTHER = "other", _("Other disclosure")


class Basis(models.TextChoices):
    """Under which consent or legal basis it left."""

    CONSENT = "consent", _("The person's consent (Art. 6(1)(a), 9(2)(a) GDPR)")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation (Art. 6(1)(c) GDPR)")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Art. 6(1)(d), 9(2)(c) GDPR)")
    PUBLIC_TASK = "public_task", _("A task in the public interest (Art. 6(1)(e) GDPR)")
    LEGAL_CLAIMS = "legal_claims", _("Legal claims (Art. 9(2)(f) GDPR)")
    SUBJECT_REQUEST = "subject_request", _("The data subject's own request (Art. 15 GDPR)")
    STATISTICS = "statistics", _("Statistics: anonymised or pseudonymised (Art. 89 GDPR)")


class Channel(models.TextChoices):
    """How it left."""

    EMAIL = "email", _("By e-mail")
    DOWNLOAD = "download", _("Downloaded to hand over")
    HANDED_OVER = "handed_over", _("Handed over")


# Recipients that are neither a partner of the directory nor a name typed by staff: stored
# as these keys, shown in the reader's language.
DATA_SUBJECT = "data_subject"
PUBLIC = "public"
RECIPIENTS = {
    DATA_SUBJECT: _("The data subject"),
    PUBLIC: _("The public (published)"),
}

# The parts of a disclosure beyond those a sharing consent names (``cases.vocabulary.SHARES``).
PARTS = {
    "assessment": _("Identification assessment and its indicators"),
    "aggregates": _("Aggregate figures (no person)"),
    "pseudonymised": _("One row per person: keyed pseudonyms and generalised attributes"),
    "anonymised": _("One row per person: anonymised, no identifier"),
    "everything": _("Everything held about the person"),
}


class Recorder(Protocol):
    def __call__(
        self,
        *,
        organisation: Organisation,
        person: models.Model | None,
        case: models.Model | None,
        partner: models.Model | None,
        recipient: str,
        kind: str,
        parts: Iterable[str],
        basis: str,
        consent: models.Model | None,
        document: str,
        channel: str,
        by: User | None,
        sent_to: str,
        period: tuple[Any, Any] | None,
    ) -> models.Model: ...


_RECORDERS: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    """The ledger's owner (the network app) says how an entry is written."""
    _RECORDERS[:] = [recorder]


@transaction.atomic
def disclosure_record(
    *,
    organisation: Organisation,
    person: models.Model | None = None,
    case: models.Model | None = None,
    partner: models.Model | None = None,
    recipient: str = "",
    kind: str,
    parts: Iterable[str],
    basis: str,
    consent: models.Model | None = None,
    document: str = "",
    channel: str,
    by: User | None,
    sent_to: str = "",
    period: tuple[Any, Any] | None = None,
) -> models.Model:
    """Record one disclosure — what (``parts``; ``document``), to whom (a ``partner`` of the
    directory, or ``recipient``: a name as typed, ``DATA_SUBJECT`` or ``PUBLIC``), about whom
    (``person``, ``case``: none for statistics), under which ``basis`` (``consent``
    required for ``Basis.CONSENT``), how (``channel``; ``sent_to``: the e-mail address),
    by whom (``by``: ``None`` from the command line), covering which ``period`` (statistics:
    the first and last day) — with its audit entry, in the caller's transaction. Returns the
    ``network.Disclosure``; refuses (``ValidationError``) an entry that does not say to whom
    or under which basis."""
    if not _RECORDERS:
        raise RuntimeError("No disclosure ledger is installed: nothing may leave unrecorded.")
    return _RECORDERS[0](
        organisation=organisation,
        person=person,
        case=case,
        partner=partner,
        recipient=recipient,
        kind=kind,
        parts=parts,
        basis=basis,
        consent=consent,
        document=document,
        channel=channel,
        by=by,
        sent_to=sent_to,
        period=period,
    )


def recipient_label(recipient: str) -> str:
    """A typed recipient as written; a reserved one in the reader's language."""
    return str(RECIPIENTS.get(recipient, recipient))
