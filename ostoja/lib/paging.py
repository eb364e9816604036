"""Paging without counting: lists of contacts or audit entries grow into the millions, and
a ``COUNT(*)`` over them costs more than the page itself. A page fetches one row more
than it shows, to know whether there is a next one."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class LitePage:
    object_list: list[Any]
    number: int
    _has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def lite_page(queryset: QuerySet[Any], number: str | None, per_page: int = 50) -> LitePage:
    """Page ``number`` (1 when missing or not a positive whole number) of ``queryset``."""
    try:
        page = max(1, int(number or 1))
    except ValueError:
        page = 1
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return LitePage(rows[:per_page], page, len(rows) > per_page)
