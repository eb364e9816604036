"""Who may see and change identification records: those who may open the person
(``people.access``) — assessments, preliminary identifications and decisions are the
person's, and read and written as far as the person is."""

import uuid

from django.http import Http404

from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, decide, works_with_people
from ostoja.identification.models import Assessment
from ostoja.people.access import person_scope


def access_assessment(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Assessment]:
    """One assessment, as far as its person may be opened (404 / 403 like the person)."""
    # Only roles whose work is with clients.
    if not works_with_people(user):
        raise Http404
    assessment = (
        Assessment.objects.filter(code=code, organisation=user.organisation)
        .select_related("person", "catalogue", "case")
        .first()
    )
    # No such assessment in the organisation: missing.
    if assessment is None:
        raise Http404
    return decide(user, assessment, person_scope(assessment.person), write=write)
