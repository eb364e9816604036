"""Queries compiled once per process and run again with new values.

The ORM compiles a queryset into SQL each time it is evaluated. For the few small queries a
busy page runs on every view, that compiling is most of their cost: bench/cases.py measured
0.27 ms of a 0.58 ms query on PostgreSQL, the rest being the database's answer and the
model instances. ``Prepared`` builds its queryset once, with stand-in values, keeps the SQL
the ORM made, and from then on sends that same SQL through ``raw()`` with the real values in
the stand-ins' places: the rows become model instances as usual (sealed fields opened).

For queries whose changing values are integers (primary keys) or UUIDs (public codes) and
that select no related rows (``raw()`` fills one model).
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

type Value = int | uuid.UUID

# Values no row has: the stand-ins, found again among the compiled parameters.
_STAND_IN = -(2**62)
_STAND_IN_CODE = 2**128 - 1


def _stand_in(value: Value, n: int) -> Value:
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=_STAND_IN_CODE - n)
    return _STAND_IN - n


def _as_sent(value: Value, like: object) -> object:
    """``value`` as the ORM passed its stand-in: a UUID as text where the database has no
    UUID type (SQLite)."""
    return value.hex if isinstance(value, uuid.UUID) and isinstance(like, str) else value


class Prepared[M: Model]:
    """``Prepared(lambda case_id: Goal.objects.filter(case_id=case_id)[:6])(case.pk)``: the
    goals, by SQL compiled on the first call."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self.build = build
        self._compiled: tuple[str, str, list[Any], list[int], type[M]] | None = None

    def _compile(self, given: tuple[Value, ...]) -> tuple[str, str, list[Any], list[int], type[M]]:
        stand_ins = [_stand_in(value, n) for n, value in enumerate(given)]
        queryset = self.build(*stand_ins)
        if queryset.query.select_related:
            raise ValueError("a prepared query fills one model: no select_related")
        sql, params = queryset.query.sql_with_params()
        values = list(params)
        # Where each stand-in went (a UUID is sent as text where the database has no UUID
        # type): once each, or the values could not be put in their places.
        slots = [
            [n for n, v in enumerate(values) if v in (s, getattr(s, "hex", s))] for s in stand_ins
        ]
        if any(len(found) != 1 for found in slots):
            raise ValueError("each value of a prepared query must appear once in its SQL")
        return connection.vendor, sql, values, [found[0] for found in slots], queryset.model

    def __call__(self, *given: Value) -> list[M]:
        compiled = self._compiled
        if compiled is None or compiled[0] != connection.vendor:
            compiled = self._compiled = self._compile(given)
        _, sql, params, slots, model = compiled
        values = list(params)
        for slot, value in zip(slots, given, strict=True):
            values[slot] = _as_sent(value, params[slot])
        return list(model._default_manager.raw(sql, values))
