"""Queries compiled once and run again with new values (``ostoja.lib.prepared``), on the
``Sample`` table (sealed fields, an organisation): what the ORM would return, for each value
given, with the SQL made once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.accounts.models import Organisation
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.lib.prepared import Prepared


@pytest.fixture
def organisations(db: None) -> list[Organisation]:
    made = []
    for short, names in (("ONE", ["Anna", "Maria", "Olena"]), ("TWO", ["Ivan"])):
        organisation = Organisation.objects.create(short_code=short, name=short)
        for name in names:
            Sample.objects.create(organisation=organisation, name=name, phone="+48 600 100 200")
        made.append(organisation)
    return made


def test_it_returns_what_the_orm_returns_for_each_value(organisations: list[Organisation]) -> None:
    built = []

    def build(organisation_id: int):  # type: ignore[no-untyped-def]
        built.append(organisation_id)
        return Sample.objects.filter(organisation_id=organisation_id).order_by("pk")[:2]

    prepared = Prepared(build)
    for organisation in [*organisations, *organisations]:
        with CaptureQueriesContext(connection) as queries:
            rows = prepared(organisation.pk)
        expected = list(Sample.objects.filter(organisation=organisation).order_by("pk")[:2])
        assert [r.pk for r in rows] == [r.pk for r in expected]
        assert [r.name for r in rows] == [r.name for r in expected]  # sealed fields opened
        assert len(queries) == 1
    assert len(built) == 1  # compiled on the first call only
    assert prepared(-1) == []


def test_it_refuses_what_raw_sql_cannot_fill(organisations: list[Organisation]) -> None:
    joined = Prepared(lambda pk: Sample.objects.filter(pk=pk).select_related("organisation"))
    with pytest.raises(ValueError, match="select_related"):
        joined(1)
    twice = Prepared(lambda pk: Sample.objects.filter(pk=pk).exclude(pk=pk))
    with pytest.raises(ValueError, match="once"):
        twice(1)


def test_a_code_goes_in_its_place_as_the_database_takes_it(
    organisations: list[Organisation],
) -> None:
    """A UUID is sent as the database takes it (text on SQLite, a UUID on PostgreSQL)."""
    by_code = Prepared(
        lambda organisation_id, code: Sample.objects.filter(
            organisation_id=organisation_id, code=code
        )
    )
    for sample in Sample.objects.all():
        assert sample.organisation_id is not None
        assert [s.pk for s in by_code(sample.organisation_id, sample.code)] == [sample.pk]
    one, two = organisations
    assert by_code(two.pk, Sample.objects.filter(organisation=one).first().code) == []  # type: ignore[union-attr]
