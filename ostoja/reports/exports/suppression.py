"""Small-cell suppression, the same for every export (DOMAIN.md §3.4).

The quasi-identifiers are the values that, combined, could point at one person: sex, age
band, citizenship, form of exploitation and year (each export adds the forms it writes
them in — a country of exploitation, a minor's flag). No exported row may carry a
combination of them shared by fewer than ``k`` people (``Organisation.suppression_k``).

How: rows whose combination is shared by ``k`` people or more go out as they are. The
others are generalised one step at a time, in the export's order (citizenship first, sex
last): the step's values are replaced by the export's "unknown" (``-99``, an empty cell,
``UNK``), and a row goes out as soon as its generalised combination is shared by ``k``
people — counting the rows already out, which it then joins. Rows still in a smaller group
after the last step are withheld. Every exported combination is therefore shared by ``k``
people or more, and so is every aggregate of them (a sum of such groups). The report says
how many rows lost which value and how many were withheld; the totals include them.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

type Row = dict[str, str]


@dataclass(frozen=True)
class Step:
    """One generalisation: what is suppressed (said in the report) and the columns'
    replacement values."""

    name: str | Promise
    values: dict[str, str]


@dataclass
class Report:
    """What the suppression did to one export."""

    k: int
    rows: int
    people: int
    generalised: list[tuple[str, int]] = field(default_factory=list)
    withheld: int = 0

    def table(self) -> list[list[str]]:
        """The report as CSV rows (``suppression.csv`` of every export)."""
        lines = [
            ["item", "count", "description"],
            ["k", str(self.k), _("Smallest number of people any published combination describes")],
            ["people", str(self.people), _("People in the export's period")],
            ["rows", str(self.rows), _("Rows before suppression")],
        ]
        for name, count in self.generalised:
            lines.append(["generalised", str(count), _("Value suppressed — %s (rows)") % name])
        lines.append(["withheld", str(self.withheld), _("Rows withheld (counted in the totals)")])
        lines.append(["exported", str(self.rows - self.withheld), _("Rows exported")])
        return lines


@dataclass
class Suppressed:
    rows: list[Row]  # the rows that go out, generalised, in their original order
    kept: list[int]  # their indexes in the input
    report: Report


def _key(row: Row, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(row[column] for column in columns)


def suppress(
    rows: Sequence[Row],
    people: Sequence[int],
    *,
    columns: Sequence[str],
    steps: Sequence[Step],
    k: int,
) -> Suppressed:
    """Generalise and withhold ``rows`` (``people[i]`` is the person of ``rows[i]``) so that
    every combination of ``columns`` left is shared by at least ``k`` people."""
    work = [dict(row) for row in rows]
    level = [0] * len(work)
    out: set[int] = set()
    pending = list(range(len(work)))
    for step_number in range(len(steps) + 1):
        if step_number:
            for i in pending:
                work[i].update(steps[step_number - 1].values)
                level[i] = step_number
        groups: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for i in [*out, *pending]:
            groups[_key(work[i], columns)].add(people[i])
        ready = {i for i in pending if len(groups[_key(work[i], columns)]) >= k}
        out |= ready
        pending = [i for i in pending if i not in ready]
        if not pending:
            break
    kept = sorted(out)
    report = Report(k=k, rows=len(work), people=len(set(people)), withheld=len(pending))
    for number, step in enumerate(steps, start=1):
        report.generalised.append((str(step.name), sum(1 for i in kept if level[i] >= number)))
    return Suppressed(rows=[work[i] for i in kept], kept=kept, report=report)
