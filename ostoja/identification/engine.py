"""The ILO/EC indicator rule as a pure function: answers in, dimension statuses and a
screening suggestion out (DOMAIN.md §1.2). No database, no models: the caller passes the
indicators of one list and the catalogue's ``rules``, so every version of the rule is data.

Step 1 — a dimension is *present* when its "yes" answers satisfy one of the catalogue's
combinations (ILO: 2 strong; 1 strong + 1 medium or weak; 3 medium; 2 medium + 1 weak). It
is *not present* when even every unknown or unanswered indicator turned "yes" could not
satisfy one, and *insufficient* otherwise: the missing answers could change it.

Step 2 — the list's rule (``rules["adult"]`` or ``rules["child"]``) is a list of groups;
every group needs one present dimension. For a child the means are not required
(Kodeks karny art. 115 §22 *in fine*), which the child rule encodes by having no means group.

The result is decision support — "indicators suggest trafficking (screening result)" —
never a decision about the person: formal identification is an act of the Police, Border
Guard or prosecutor, and the centre's own decisions are recorded by a person.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

YES = "yes"
NO = "no"
UNKNOWN = "unknown"
VALUES = frozenset({YES, NO, UNKNOWN})

STRONG = "S"
MEDIUM = "M"
WEAK = "W"
MEDIUM_OR_WEAK = "MW"
# The keys a combination may use, e.g. {"S": 1, "MW": 1}.
COMBINATION_KEYS = frozenset({STRONG, MEDIUM, WEAK, MEDIUM_OR_WEAK})

# The same msgids as ``models.Dimension``: the fallback when the caller passes no labels.
DIMENSION_LABELS: Mapping[str, Any] = {
    "deceptive_recruitment": gettext_lazy("Deceptive recruitment"),
    "coercive_recruitment": gettext_lazy("Coercive recruitment"),
    "recruitment_abuse_vulnerability": gettext_lazy("Recruitment by abuse of vulnerability"),
    "exploitation": gettext_lazy("Exploitative conditions"),
    "coercion_destination": gettext_lazy("Coercion at destination"),
    "abuse_vulnerability_destination": gettext_lazy("Abuse of vulnerability at destination"),
}


class DimensionStatus(StrEnum):
    PRESENT = "present"
    NOT_PRESENT = "not_present"
    INSUFFICIENT = "insufficient"


class Suggestion(StrEnum):
    SUGGESTS = "suggests"
    INSUFFICIENT = "insufficient"
    DOES_NOT_SUGGEST = "does_not_suggest"


def item_key(dimension: str, code: str) -> str:
    """The key of one indicator's answer within a list: ``"<dimension>:<code>"``.

    The code alone is not enough: the same indicator (e.g. ``debt-bondage``) occurs at
    recruitment and at destination with different strengths (DOMAIN.md §1.3)."""
    return f"{dimension}:{code}"


@dataclass(frozen=True)
class Item:
    """One indicator of the list being evaluated; ``label`` is its wording for reasons."""

    code: str
    dimension: str
    strength: str
    label: str

    @property
    def key(self) -> str:
        """``"<dimension>:<code>"`` — how ``evaluate``'s ``answers`` refer to this item."""
        return item_key(self.dimension, self.code)


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    status: DimensionStatus
    # Labels of the indicators answered "yes", by strength.
    strong: tuple[str, ...]
    medium: tuple[str, ...]
    weak: tuple[str, ...]
    # Indicators answered "unknown" or not answered at all.
    unknown: int
    reason: str


@dataclass(frozen=True)
class ListResult:
    list_code: str
    dimensions: dict[str, DimensionResult]
    suggestion: Suggestion
    reason: str


def dimension_present(
    strong: int, medium: int, weak: int, combinations: Sequence[Mapping[str, int]]
) -> bool:
    """Whether the counts satisfy at least one combination.

    A stronger indicator may stand in for a weaker one ("at least"): slots are filled from
    the weakest tier that fits, which is optimal because what each slot accepts is nested
    (S ⊂ M-or-stronger ⊂ W-or-stronger = MW-or-stronger). With the ILO combinations this
    changes nothing — any strong plus any other indicator already meets {"S": 1, "MW": 1}
    — but a coordinator's own rule such as {"M": 1} then reads as "one medium or stronger".
    """
    return any(_satisfies(strong, medium, weak, combination) for combination in combinations)


def _satisfies(strong: int, medium: int, weak: int, combination: Mapping[str, int]) -> bool:
    strong -= combination.get(STRONG, 0)
    if strong < 0:
        return False
    need_medium = combination.get(MEDIUM, 0)
    medium, need_medium = _take(medium, need_medium)
    strong, need_medium = _take(strong, need_medium)
    if need_medium:
        return False
    need_weak = combination.get(WEAK, 0)
    weak, need_weak = _take(weak, need_weak)
    medium, need_weak = _take(medium, need_weak)
    strong, need_weak = _take(strong, need_weak)
    if need_weak:
        return False
    return strong + medium + weak >= combination.get(MEDIUM_OR_WEAK, 0)


def _take(available: int, needed: int) -> tuple[int, int]:
    """Use up to ``needed`` of ``available``; return what is left of each."""
    used = min(available, needed)
    return available - used, needed - used


def evaluate(
    items: Sequence[Item],
    answers: Mapping[str, str],
    rules: Mapping[str, Any],
    *,
    child: bool,
    dimension_labels: Mapping[str, str] | None = None,
    list_code: str = "",
) -> ListResult:
    """Evaluate one list's answers under the catalogue's rules.

    ``answers`` maps ``Item.key`` (``"<dimension>:<code>"``) to "yes", "no" or "unknown";
    a missing key means unanswered and counts like "unknown". Keys that name no item, and
    other values, raise ``ValueError``: a misspelt code must not silently count as "no".
    """
    by_key = {item.key: item for item in items}
    if len(by_key) != len(items):
        raise ValueError("Two items share the same dimension and code.")
    for item in items:
        if item.strength not in (STRONG, MEDIUM, WEAK):
            raise ValueError(f"Strength {item.strength!r} of {item.key!r} is not S, M or W.")
    for key, value in answers.items():
        if key not in by_key:
            raise ValueError(f"No indicator {key!r} in this list.")
        if value not in VALUES:
            raise ValueError(f"Answer {value!r} for {key!r} is not yes, no or unknown.")

    def label(dimension: str) -> str:
        if dimension_labels and dimension in dimension_labels:
            return str(dimension_labels[dimension])
        return str(DIMENSION_LABELS.get(dimension, dimension))

    groups: list[list[str]] = [list(group) for group in rules["child" if child else "adult"]]
    order: list[str] = []
    for dimension in [item.dimension for item in items] + [d for g in groups for d in g]:
        if dimension not in order:
            order.append(dimension)

    dimensions = {
        dimension: _evaluate_dimension(
            dimension,
            label(dimension),
            [item for item in items if item.dimension == dimension],
            answers,
            rules["dimension"],
        )
        for dimension in order
    }
    suggestion, reason = _combine(groups, dimensions, label, child=child)
    return ListResult(
        list_code=list_code, dimensions=dimensions, suggestion=suggestion, reason=reason
    )


def _evaluate_dimension(
    dimension: str,
    dimension_label: str,
    items: Sequence[Item],
    answers: Mapping[str, str],
    combinations: Sequence[Mapping[str, int]],
) -> DimensionResult:
    yes: dict[str, list[str]] = {STRONG: [], MEDIUM: [], WEAK: []}
    open_: dict[str, int] = {STRONG: 0, MEDIUM: 0, WEAK: 0}
    for item in items:
        value = answers.get(item.key, UNKNOWN)
        if value == YES:
            yes[item.strength].append(item.label)
        elif value == UNKNOWN:
            open_[item.strength] += 1
    counts = {strength: len(labels) for strength, labels in yes.items()}
    unknown = sum(open_.values())

    if dimension_present(counts[STRONG], counts[MEDIUM], counts[WEAK], combinations):
        status = DimensionStatus.PRESENT
    elif dimension_present(
        counts[STRONG] + open_[STRONG],
        counts[MEDIUM] + open_[MEDIUM],
        counts[WEAK] + open_[WEAK],
        combinations,
    ):
        status = DimensionStatus.INSUFFICIENT
    else:
        status = DimensionStatus.NOT_PRESENT

    return DimensionResult(
        dimension=dimension,
        status=status,
        strong=tuple(yes[STRONG]),
        medium=tuple(yes[MEDIUM]),
        weak=tuple(yes[WEAK]),
        unknown=unknown,
        reason=_dimension_reason(dimension_label, status, yes, unknown),
    )


def _yes_summary(yes: Mapping[str, Sequence[str]]) -> str:
    """E.g. "2 strong (confiscation of documents, debt bondage); 1 medium (…)"."""
    parts = []
    if strong := yes[STRONG]:
        template = ngettext(
            "{count} strong ({indicators})", "{count} strong ({indicators})", len(strong)
        )
        parts.append(template.format(count=len(strong), indicators=", ".join(strong)))
    if medium := yes[MEDIUM]:
        template = ngettext(
            "{count} medium ({indicators})", "{count} medium ({indicators})", len(medium)
        )
        parts.append(template.format(count=len(medium), indicators=", ".join(medium)))
    if weak := yes[WEAK]:
        template = ngettext("{count} weak ({indicators})", "{count} weak ({indicators})", len(weak))
        parts.append(template.format(count=len(weak), indicators=", ".join(weak)))
    return "; ".join(parts)


def _dimension_reason(
    dimension_label: str,
    status: DimensionStatus,
    yes: Mapping[str, Sequence[str]],
    unknown: int,
) -> str:
    summary = _yes_summary(yes)
    if status == DimensionStatus.PRESENT:
        return gettext("{dimension}: present — {answers}.").format(
            dimension=dimension_label, answers=summary
        )
    if status == DimensionStatus.INSUFFICIENT:
        could = ngettext(
            "{count} unknown or unanswered indicator could change it",
            "{count} unknown or unanswered indicators could change it",
            unknown,
        ).format(count=unknown)
        return gettext("{dimension}: insufficient information — {answers}; {could}.").format(
            dimension=dimension_label,
            answers=summary or gettext("no indicator answered yes"),
            could=could,
        )
    if summary:
        return gettext(
            "{dimension}: not present — {answers}: not enough for any combination."
        ).format(dimension=dimension_label, answers=summary)
    return gettext("{dimension}: not present — no indicator answered yes.").format(
        dimension=dimension_label
    )


def _combine(
    groups: Sequence[Sequence[str]],
    dimensions: Mapping[str, DimensionResult],
    label: Callable[[str], str],
    *,
    child: bool,
) -> tuple[Suggestion, str]:
    met: list[str] = []  # the present dimensions that meet a group
    open_groups: list[str] = []  # groups not met but which unknowns could meet
    missing: list[str] = []  # groups that cannot be met on these answers
    for group in groups:
        statuses = {d: dimensions[d].status for d in group}
        present = [d for d in group if statuses[d] == DimensionStatus.PRESENT]
        if present:
            met.extend(label(d) for d in present)
            continue
        described = _describe_group([label(d) for d in group])
        if DimensionStatus.INSUFFICIENT in statuses.values():
            open_groups.append(described)
        else:
            missing.append(described)

    present_text = "; ".join(met) or pgettext("no dimension present", "none")
    if missing:
        suggestion = Suggestion.DOES_NOT_SUGGEST
        reason = gettext(
            "Indicators do not suggest trafficking on these answers: not present — {missing}. "
            "Present: {present}."
        ).format(missing="; ".join(missing), present=present_text)
    elif open_groups:
        suggestion = Suggestion.INSUFFICIENT
        reason = gettext(
            "Insufficient information: still open because of unknown or unanswered "
            "indicators — {open}. Present: {present}."
        ).format(open="; ".join(open_groups), present=present_text)
    else:
        suggestion = Suggestion.SUGGESTS
        reason = gettext(
            "Indicators suggest trafficking (screening result): every required element is "
            "present — {present}."
        ).format(present=present_text)
    if child:
        reason += " " + gettext(
            "For a child the means (coercion, abuse of vulnerability) are not required: "
            "Kodeks karny art. 115 § 22."
        )
    return suggestion, reason


def _describe_group(labels: Sequence[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return gettext("one of {dimensions}").format(dimensions=", ".join(labels))
