"""The person matcher: "is this person already known here?" (the duplicate warning).

When a person is created or edited, likely existing records are shown — across scripts and
romanisations (Олександр / Oleksandr / Aleksander), diacritics (Nguyễn / Nguyen), word order
and typos. Names are sealed at rest, so the table is never decrypted wholesale:

1. **Keys.** ``match_keys`` turns a person's names (``Person.all_names``) and date or year
   of birth into short strings — the phonetic skeleton of each word (``ostoja.lib.names``)
   and its one-deletion neighbourhood (typos), each unordered pair of skeletons within a
   name, each skeleton with the year of birth, and the date of birth. ``index_person``
   stores their blind indexes (``blind_index``, domain ``people.match``) as ``PersonKey``
   rows.
2. **Candidates.** ``find_matches`` computes the same keys for what the counsellor typed
   (with the year ±1, one edit away — but not from skeletons shorter than
   ``LOOKUP_EDITS_FROM``, which thousands of people share —, and each pair of words with
   one of them a letter short) and asks one aggregate query
   which people share the most (weighted) keys; at most ``CANDIDATES`` of them are loaded
   (a second query) and decrypted.
3. **Evidence.** ``score`` compares two ``Profile``\\ s in memory and says how likely they
   are one person, as a probability (Fellegi-Sunter, in bits: log2 odds). The names give
   the best alignment of the words of any two names, in any order and any romanisation
   (rapidfuzz Jaro-Winkler or the Indel ratio on the folded spelling, Jaro-Winkler on the
   canonical one, a bonus when the skeletons agree), graded into ``name_bits`` by
   ``NAME_LEVELS``. The dates of birth are a comparison of their own (``date_level``): the
   same date, a typo, the same year and month, the same day and month in another year
   (evidence *against*), the same year only, nothing in common; an estimated age gives a
   year, weaker evidence (±1, ±2..3, further); a date missing on either side gives none.
   Each level adds log2(m / u) bits (``DATE_LEVELS``) to the prior (``PRIOR_BITS``); the
   values, and what was declared before measuring, are documented where they are set.
4. **Bands.** ``find_matches`` returns two kinds of suggestion (``Match.band``):
   "probably the same person" (a probability of at least ``PROBABLE``) — which a full date
   of birth is needed for —, and "the same or a similar name, different or missing
   details" (``SIMILAR_NAME``, ``THRESHOLD``, ``PARTLY_NAME``), so that a namesake is shown
   without being flagged.
5. **Batches.** ``score_all`` scores a whole batch of candidates (a ``Batch``: what scoring
   reads from every candidate — dates, other fields — as columns). Dates and other fields
   come first, column by column (the dates through a table of those near the query's);
   a candidate that could not reach ``at_least`` even with identical names is given up;
   then every spelling of the query is compared with all the remaining candidates'
   spellings in a few rapidfuzz calls that return only the pairs above ``WORD_FLOOR``, so
   the Python work grows with the similar word pairs, not with all of them. It is pure, so
   ``bench/matching.py`` runs the very same code on FEBRL's records (PERFORMANCE.md
   §1.2-1.3, benchmarks B1 and B3: one register's ``Batch``, a subset per lookup) and
   ``bench/people.py`` times the lookup among 100,000 people (B6).
6. **Other fields** (the benchmarks' records only: address, postcode, …). With an
   ``Evidence`` (``estimate_evidence``: unsupervised Fellegi-Sunter weights, u from the
   register's value frequencies, m fixed at ``EVIDENCE_M``), every field — the names and the
   date included — adds its weight in bits and the score is the probability of a match;
   each date level earns a share of the date's weight (``EVIDENCE_DATES``). The
   application has no other fields and uses the fixed model above.
"""

import datetime as dt
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, compress, repeat
from operator import add, attrgetter, itemgetter
from typing import Any, NamedTuple, TypeVar

from django.db.models import Case, IntegerField, Sum, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from ostoja.lib.crypto.blind import blind_index
from ostoja.lib.names import Word, deletions, has_other_script, name_words
from ostoja.lib.names import clear_caches as clear_name_caches
from ostoja.people.models import Person, PersonKey

KEY_DOMAIN = "people.match"
# CipherSweet's rule (``blind.planner_bits``): a centre registers up to ~10^5 people over the
# years, each with ~15 keys (measured on bench/namegen.py: 13-16 on average), so R ~ 1.5e6
# rows; 2 <= R / 2^bits <= sqrt(R) gives 11..19 bits. 19 is the most that still makes every
# index value shared by >= 2 rows on average (no key fingerprints a person), and keeps
# unrelated values out of each other's way: a lookup's ~40 keys collide with ~3 unrelated
# rows each, which scoring then discards.
KEY_BITS = 19
# The people loaded and decrypted per lookup, at most: those sharing the most keys.
CANDIDATES = 150

# Words below this Jaro-Winkler similarity count as unrelated (scaled to 0..1 above it).
WORD_FLOOR = 0.7
# Two spellings are as similar as the better of Jaro-Winkler and the Indel ratio (1 - the
# letters inserted or deleted / both lengths): Jaro-Winkler misses a letter added or lost at
# the start of a short word (go/ngo: 0 — its match window is 0 letters; Indel 0.8). Declared
# 2026-11-29 before the runs reported in bench/README.md.
SPELLING_SCORERS = (JaroWinkler.similarity, Indel.normalized_similarity)
# When two words share a phonetic skeleton, their similarity is at least this plus the rest
# scaled by the canonical spelling's similarity: Oleksandr/Aleksander ~ 0.99.
SKELETON_BONUS = 0.88
# Words one name has beyond the other's (a middle name, a second surname) weigh this much.
EXTRA_WORD_WEIGHT = 0.5

# --- The application's model: Fellegi-Sunter evidence in bits ----------------------------
# Every comparison has levels; a level observed adds log2(m / u) bits, where m is how often
# a true duplicate shows that level and u how often two different people do. The levels of
# one comparison are exhaustive, so each column of m (and of u) sums to 1: a date that
# disagrees weighs *against* a match as its agreement weighs for it, each by its own m and u.
# All values below were declared on 2026-11-30 from the reasoning in the comments, before
# the matcher was run on any generated set or hold-out; bench/README.md reports what they
# gave and anything changed afterwards.
#
# The prior: 2^-12 (1 : 4,096) that a given registered person is the one being typed — one
# returning person per lookup in a register of about 4,000, the scale of one centre (KCIK
# assists 170-250 people a year, DOMAIN.md §6: some fifteen years of them). The score is
# calibrated to that size: in a register ten times larger the same evidence is worth ten
# times lower odds (3.3 bits), which changes the band only of pairs within 3.3 bits of
# PROBABLE.
PRIOR_BITS = -12.0
# Names: the similarity of the best-aligned names (0..1, ``_names``) graded at these points
# (similarity, m, u); between two points the weight is interpolated (Winkler's
# string-comparator weights, 1990). u is for two different people of a mixed register
# (like PERFORMANCE.md §4.2's: 70 % Latin, 20 % Cyrillic, 10 % Vietnamese names);
# Vietnamese names, with few surnames, share more than that (Nguyễn is 3 in 10 of them).
NAME_LEVELS: tuple[tuple[float, float, float], ...] = (
    # unrelated: no word of one resembles a word of the other
    (0.0, 0.04, 0.9466),
    # partly: one of two words the same (Anna Kowalska / Anna Nowak), or every word far off
    (0.5, 0.06, 0.05),
    # similar: a typo in two words, a word left out, two words far off
    (0.75, 0.15, 0.003),
    # nearly the same: another romanisation or script, a typo in one word
    (0.9, 0.45, 0.0003),
    # the same, in any order: one pair in 10,000 of a mixed register (common names far more)
    (1.0, 0.30, 0.0001),
)
# Dates of birth (both full): ``date_level``. u: dates spread over ~45 years (16,436 days:
# the teenagers and adults a centre supports). A typo (``_is_typo``) is day and month
# swapped, a digit of the day or the month changed, or its two digits transposed, the year
# the same: 17.9 such dates per date on average (counted over 1966-2010).
DAYS = 16436
# Levels of a pair's dates or years of birth (indexes of DATE_BITS).
(NO_DATE, SAME_DATE, DATE_TYPO, YEAR_MONTH, DAY_MONTH, YEAR_ONLY, OTHER_DATE) = range(7)
(YEAR_NEAR, YEAR_CLOSE, YEAR_FAR) = range(7, 10)
DATE_LEVELS: dict[int, tuple[float, float]] = {  # level: (m, u)
    SAME_DATE: (0.85, 1 / DAYS),
    DATE_TYPO: (0.10, 18 / DAYS),
    # The same year and month, another day (not a typo): a day not known or misremembered
    # (an unknown day is often written as the 1st). Added on 2026-11-30 after the first
    # measurement (bench/README.md); splink's date-of-birth comparison has the same level
    # ("within a month"). u: 18.8 such days per date. To make room, the m of SAME_DATE,
    # YEAR_ONLY and OTHER_DATE went down from the declared 0.87, 0.02 and 0.009.
    YEAR_MONTH: (0.03, 19 / DAYS),
    # The same day and month in another year: against. A date of birth written twice for one
    # person rarely keeps day and month and changes the year alone, while two people with
    # one name and a birthday in common happen (the costliest false matches the reviewers of
    # the previous matcher found).
    DAY_MONTH: (0.001, 44 / DAYS),
    # The same year, another month: a little against.
    YEAR_ONLY: (0.012, 328 / DAYS),
    # Nothing in common: a true duplicate almost always has its date or a typo of it.
    OTHER_DATE: (0.007, 1 - 410 / DAYS),
    # An estimated age on either side gives a year only, a weaker piece of evidence: an
    # estimate is rarely right to the year, so ±1 is one level, ±2..3 another (u: 3, 4 and
    # 38 of 45 years). Identical names with a year ±1 stay below PROBABLE (11.55 + 3.17 - 12
    # = 2.72 bits, 0.87): only a full date of birth makes names "probably the same person".
    YEAR_NEAR: (0.60, 3 / 45),
    YEAR_CLOSE: (0.25, 4 / 45),
    YEAR_FAR: (0.15, 38 / 45),
}
# A missing date (or year) on either side is no evidence either way: 0 bits.
DATE_BITS: tuple[float, ...] = (0.0,) + tuple(
    math.log2(m / u) for m, u in (DATE_LEVELS[level] for level in range(1, 10))
)
_NAME_SIMILARITIES = tuple(s for s, _m, _u in NAME_LEVELS)
_NAME_BITS = tuple(math.log2(m / u) for _s, m, u in NAME_LEVELS)

# The two bands of suggestions (``Match.band``), declared on 2026-11-30 before measuring:
# "probable" — probably the same person, shown as a warning: a probability of at least 0.9;
PROBABLE = 0.9
# "similar" — the same or a similar name with different or missing details, shown muted:
# the names at least this similar whatever the dates say (where the previous matcher showed
# a name with no date: 0.7 x 0.64 + 0.3 x 0.5 = 0.6), so a mistyped date never hides anyone;
SIMILAR_NAME = 0.64
# or a probability of at least THRESHOLD whatever the names (a surname changed by marriage
# and the same date);
THRESHOLD = 0.5
# or — added on 2026-11-30 after the first measurement, where three duplicates the previous
# matcher showed were left out — names at least partly alike (one word of two the same:
# ``NAME_LEVELS``) and a date or year of birth that speaks for the match (same, a typo, the
# same month, an estimated year ±3), as the previous matcher showed them.
PARTLY_NAME = 0.5
PROBABLE_BAND, SIMILAR_BAND = "probable", "similar"

REASONS: dict[str, Promise] = {
    "same_name": _("same name"),
    "similar_name": _("similar name"),
    "other_script": _("similar name in another script"),
    "order": _("names in a different order"),
    "same_date": _("same date of birth"),
    "date_typo": _("date of birth with day and month swapped or one digit different"),
    "year_month": _("same year and month of birth, another day"),
    "day_month": _("same day and month of birth, different year"),
    "year_only": _("same year of birth, different day and month"),
    "other_date": _("different date of birth"),
    "no_date": _("no date of birth to compare"),
    "near_year": _("about the same year of birth"),
    "close_year": _("year of birth 2–3 years apart"),
    "other_year": _("different year of birth"),
}
# The reasons that count against a match (or, "no_date", leave it open).
AGAINST = frozenset({"day_month", "year_only", "other_date", "no_date", "other_year"})
DATE_REASONS = (
    "no_date",
    "same_date",
    "date_typo",
    "year_month",
    "day_month",
    "year_only",
    "other_date",
    "near_year",
    "close_year",
    "other_year",
)


@dataclass(frozen=True)
class Match:
    """One suggestion of the duplicate warning: an existing person, how likely they are the
    one typed, and in which band they are shown."""

    person: Person
    score: float  # the probability that this is the person typed
    band: str  # PROBABLE_BAND or SIMILAR_BAND
    reasons: tuple[str, ...]  # short translated phrases: evidence for
    against: tuple[str, ...] = ()  # … and against (or missing)

    @property
    def percent(self) -> int:
        """The probability in whole per cent, for display: 0 under 1 %, 100 over 99 %."""
        if self.score < 0.01:
            return 0
        if self.score > 0.99:
            return 100
        return round(self.score * 100)


class Scored(NamedTuple):
    """What ``score`` says of a pair: the probability, the band ("" when not suggested) and
    the reasons (keys of ``REASONS``, those in ``AGAINST`` counting against)."""

    score: float
    band: str
    reasons: tuple[str, ...]


T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """What is compared: names (each as words), date or estimated year of birth, and — in
    the benchmarks only — other fields compared as strings.

    The flat forms below (every word of every name, its spellings and canonical forms, with
    the word each belongs to) are derived once, so that ``score_all`` hands a whole batch
    of candidates to rapidfuzz in a few calls."""

    names: tuple[tuple[Word, ...], ...]
    scripts: tuple[bool, ...]  # per name: written in a script other than Latin
    birth_date: dt.date | None = None
    birth_year: int | None = None
    extras: Mapping[str, str] = field(default_factory=dict)
    words: tuple[Word, ...] = field(init=False, repr=False, compare=False)
    word_name: tuple[int, ...] = field(init=False, repr=False, compare=False)
    spellings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    spelling_word: tuple[int, ...] = field(init=False, repr=False, compare=False)
    canonicals: tuple[str, ...] = field(init=False, repr=False, compare=False)
    canonical_word: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # each skeleton of 2+ letters of each word, with the word
    skeleton_word: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)
    extra_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    extra_values: tuple[str, ...] = field(init=False, repr=False, compare=False)
    born: int = field(init=False, repr=False, compare=False)  # yyyymmdd, 0 if unknown
    year: int = field(init=False, repr=False, compare=False)  # 0 if unknown
    year_only: int = field(init=False, repr=False, compare=False)  # a year and no date

    def __post_init__(self) -> None:
        words: list[Word] = []
        word_name: list[int] = []
        spellings: list[str] = []
        spelling_word: list[int] = []
        canonicals: list[str] = []
        canonical_word: list[int] = []
        skeleton_word: list[tuple[str, int]] = []
        for n, name in enumerate(self.names):
            for word in name:
                i = len(words)
                words.append(word)
                word_name.append(n)
                spellings += word.spellings
                spelling_word += [i] * len(word.spellings)
                canonicals += word.canonicals
                canonical_word += [i] * len(word.canonicals)
                skeleton_word += [(skel, i) for skel in word.skeletons if len(skel) >= 2]
        extras = self.extras
        born = self.birth_date
        setter = object.__setattr__
        setter(self, "words", tuple(words))
        setter(self, "word_name", tuple(word_name))
        setter(self, "spellings", tuple(spellings))
        setter(self, "spelling_word", tuple(spelling_word))
        setter(self, "canonicals", tuple(canonicals))
        setter(self, "canonical_word", tuple(canonical_word))
        setter(self, "skeleton_word", tuple(skeleton_word))
        setter(self, "extra_keys", tuple(extras))
        setter(self, "extra_values", tuple(extras.values()))
        setter(self, "born", _date_number(born))
        setter(self, "year", born.year if born else self.birth_year or 0)
        setter(self, "year_only", 0 if born else self.birth_year or 0)

    @classmethod
    def of(
        cls,
        names: Iterable[str],
        *,
        birth_date: dt.date | None = None,
        birth_year: int | None = None,
        extras: Mapping[str, str] | None = None,
    ) -> "Profile":
        texts = dict.fromkeys(text for n in names if n and (text := n.strip()))
        kept = [(words, text) for text in texts if (words := name_words(text))]
        return cls(
            names=tuple(words for words, _text in kept),
            scripts=tuple(has_other_script(text) for _words, text in kept),
            birth_date=birth_date,
            birth_year=birth_date.year if birth_date else birth_year,
            extras=extras or {},
        )


def _date_number(date: dt.date | None) -> int:
    return date.year * 10000 + date.month * 100 + date.day if date is not None else 0


# --- Keys --------------------------------------------------------------------------------
# What a shared key is worth when ranking candidates (integers: summed in SQL). An exact date
# of birth or a pair of words are rare; a year with a word less so; one word alone is
# common; a deletion (typo) match is spread over the deletions of a word so that a long word
# does not outweigh a short one.
WEIGHT_DATE, WEIGHT_PAIR, WEIGHT_YEAR, WEIGHT_YEAR_SHORT = 50, 40, 25, 10
WEIGHT_WORD, WEIGHT_ONE_EDIT, WEIGHT_DELETIONS = 30, 15, 30
LOOKUP_EDITS_FROM = 3
# A lookup's pair of words with one of them a letter short (a typo in a long word, as in
# "Duong Quang lThang" for Dương Quang Thắng): half a pair. Declared 2026-11-29 before the
# runs reported in bench/README.md.
WEIGHT_PAIR_EDIT = 20
# Other identifying fields (only the benchmarks' records have them): each exact value.
WEIGHT_FIELD = 30


def match_keys(
    profile: Profile, *, lookup: bool = False, fields: Collection[str] | None = None
) -> dict[str, int]:
    """The matching keys of a profile, before blind indexing, with their ranking weights.

    Stored (``lookup=False``): per word, ``w:`` its skeleton and ``e:`` each one-deletion of
    it (SymSpell); each pair of words of a name, ``p:``; each skeleton with the year of
    birth, ``y:``; the date of birth, ``d:``; the value of each other field, ``x:`` (only
    the benchmarks' records have other fields; with ``fields``, of those only). A lookup
    asks for its own skeletons and deletions in both namespaces (a letter more, a letter
    less, one changed), the year ±1, and the date also with day and month swapped.
    """
    keys: dict[str, int] = {}
    year = profile.birth_year
    years = ([year - 1, year, year + 1] if lookup else [year]) if year else []
    for words in profile.names:
        skels = tuple(tuple(s for s in w.keys if s) for w in words)
        if keys:  # a second name: the larger weight where a key comes twice
            for key, weight in _name_keys(skels, lookup):
                if weight > keys.get(key, 0):
                    keys[key] = weight
        else:
            keys.update(_name_keys(skels, lookup))
        # the other namespaces' keys weigh the same wherever they come from
        keys.update(
            (f"y:{y}:{skel}", WEIGHT_YEAR if len(skel) >= 2 else WEIGHT_YEAR_SHORT)
            for options in skels
            for skel in options
            for y in years
        )
    keys.update(
        (f"x:{field_name}:{value}", WEIGHT_FIELD)
        for field_name, value in profile.extras.items()
        if value and (fields is None or field_name in fields)
    )
    born = profile.birth_date
    if born is not None:
        keys[f"d:{born.isoformat()}"] = WEIGHT_DATE
        if lookup and born.day <= 12:
            try:
                swapped = born.replace(month=born.day, day=born.month)
            except ValueError:  # pragma: no cover - a day <= 12 is always a valid month
                swapped = born
            keys[f"d:{swapped.isoformat()}"] = WEIGHT_DATE
    return keys


@lru_cache(maxsize=65536)
def _name_keys(skels: tuple[tuple[str, ...], ...], lookup: bool) -> tuple[tuple[str, int], ...]:
    """The keys of one name (its words' skeletons) without the year: ``w:``, ``e:`` and
    ``p:`` (see ``match_keys``)."""
    found: list[tuple[str, int]] = []
    for options in skels:
        for skel in options:
            found += _skeleton_keys(skel, lookup)
    for i, first in enumerate(skels):
        for second in skels[i + 1 :]:
            found += [("p:" + "|".join(sorted((a, b))), WEIGHT_PAIR) for a in first for b in second]
    if lookup:
        # the pair with one word a letter short (its one-deletions, from the same length on
        # as the words' own one-edit keys): a typo in one word of a common pair
        for i, first in enumerate(skels):
            for j, second in enumerate(skels):
                if i != j:
                    found += [
                        ("p:" + "|".join(sorted((short, b))), WEIGHT_PAIR_EDIT)
                        for a in first
                        for short in _short_forms(a)
                        for b in second
                    ]
    # the larger weight where a key comes twice: sorted by weight, the last one stays
    return tuple(dict(sorted(found, key=itemgetter(1))).items())


@lru_cache(maxsize=65536)
def _skeleton_keys(skel: str, lookup: bool) -> tuple[tuple[str, int], ...]:
    """The keys of one skeleton alone, ``w:`` and ``e:`` (see ``match_keys``)."""
    keys: dict[str, int] = {}

    def add(key: str, weight: int) -> None:
        if weight > keys.get(key, 0):
            keys[key] = weight

    # A lookup asks for one-edit neighbours only from LOOKUP_EDITS_FROM letters on: shorter
    # ones (a 3-letter skeleton less a letter) are shared by thousands of people in 10^5.
    edits = not lookup or len(skel) > LOOKUP_EDITS_FROM
    if len(skel) >= 2:
        add("w:" + skel, WEIGHT_WORD)
        if lookup:
            add("e:" + skel, WEIGHT_ONE_EDIT)
    if len(skel) >= 3:
        for deletion in sorted(deletions(skel)):
            if edits:
                add("e:" + deletion, max(4, WEIGHT_DELETIONS // len(skel)))
            if lookup and edits:
                add("w:" + deletion, WEIGHT_ONE_EDIT)
    return tuple(keys.items())


@lru_cache(maxsize=65536)
def _short_forms(skel: str) -> tuple[str, ...]:
    """The one-deletions of a skeleton a lookup pairs with the other words (none below
    ``LOOKUP_EDITS_FROM`` + 1 letters, as for the words' own one-edit keys)."""
    return tuple(sorted(deletions(skel))) if len(skel) > LOOKUP_EDITS_FROM else ()


def clear_caches() -> None:
    """Forget the words and keys prepared so far (the benchmarks time runs from cold)."""
    clear_name_caches()
    _skeleton_keys.cache_clear()
    _short_forms.cache_clear()
    _name_keys.cache_clear()


def hashed(keys: Mapping[str, int]) -> dict[int, int]:
    """Blind indexes of the keys, with their weights (the larger where two collide)."""
    out: dict[int, int] = {}
    for key, weight in keys.items():
        index = blind_index(key, domain=KEY_DOMAIN, bits=KEY_BITS)
        out[index] = max(weight, out.get(index, 0))
    return out


# --- Scoring (pure) ----------------------------------------------------------------------
def _scaled(similarity: float) -> float:
    return max(0.0, (similarity - WORD_FLOOR) / (1.0 - WORD_FLOOR))


def _combined(spelled: float, canon: float, same_skeleton: bool) -> float:
    """Raw similarity of two words from their best spelling and canonical similarities."""
    if spelled == 1.0:
        return 1.0
    best = max(spelled, canon)
    if same_skeleton:
        best = max(best, SKELETON_BONUS + (1 - SKELETON_BONUS) * canon)
    return _scaled(best)


def _shares_skeleton(a: Word, b: Word) -> bool:
    return any(len(s) >= 2 and s in b.skeletons for s in a.skeletons)


def word_similarity(a: Word, b: Word) -> float:
    """0..1: how likely two words are the same word, whatever the spelling or script."""
    spelled = max(
        max(JaroWinkler.similarity(x, y), Indel.normalized_similarity(x, y))
        for x in a.spellings
        for y in b.spellings
    )
    if spelled == 1.0:
        return 1.0
    canon = max(JaroWinkler.similarity(x, y) for x in a.canonicals for y in b.canonicals)
    return _combined(spelled, canon, _shares_skeleton(a, b))


def _word_similarities(
    query: Profile, others: Sequence[Profile]
) -> list[dict[tuple[int, int], float]]:
    """For each of ``others``: {(query word, its word): similarity > 0}, the same values as
    ``word_similarity`` — computed for the whole batch at once. rapidfuzz compares each
    spelling of the query with every candidate's spellings in one C call and returns only
    the pairs above ``WORD_FLOOR`` (all others count 0), so the Python work is proportional
    to the similar pairs, not to all of them."""
    spellings: list[str] = []
    spelling_candidate: list[int] = []
    spelling_word: list[int] = []
    canonicals: list[str] = []
    canonical_candidate: list[int] = []
    canonical_word: list[int] = []
    by_skeleton: dict[str, list[tuple[int, int]]] = {}
    for c, other in enumerate(others):
        spellings += other.spellings
        spelling_candidate += [c] * len(other.spellings)
        spelling_word += other.spelling_word
        canonicals += other.canonicals
        canonical_candidate += [c] * len(other.canonicals)
        canonical_word += other.canonical_word
        for skel, w in other.skeleton_word:
            by_skeleton.setdefault(skel, []).append((c, w))
    spelled: dict[tuple[int, int, int], float] = {}
    canon: dict[tuple[int, int, int], float] = {}
    skeleton_pairs: set[tuple[int, int, int]] = set()
    for q, word in enumerate(query.words):
        for text in word.spellings:
            for scorer in SPELLING_SCORERS:
                for _s, sim, k in process.extract(
                    text, spellings, scorer=scorer, score_cutoff=WORD_FLOOR, limit=None
                ):
                    key = (spelling_candidate[k], q, spelling_word[k])
                    if sim > spelled.get(key, 0.0):
                        spelled[key] = sim
        for text in word.canonicals:
            for _s, sim, k in process.extract(
                text, canonicals, scorer=JaroWinkler.similarity, score_cutoff=WORD_FLOOR, limit=None
            ):
                key = (canonical_candidate[k], q, canonical_word[k])
                if sim > canon.get(key, 0.0):
                    canon[key] = sim
        for skel in word.skeletons:
            for c, w in by_skeleton.get(skel, ()) if len(skel) >= 2 else ():
                skeleton_pairs.add((c, q, w))
    out: list[dict[tuple[int, int], float]] = [{} for _ in others]
    for key in spelled.keys() | canon.keys() | skeleton_pairs:
        c, q, w = key
        same_skeleton = key in skeleton_pairs
        canonical = canon.get(key, 0.0)
        if same_skeleton and key not in canon:  # below the floor, but the bonus scales it
            a, b = query.words[q], others[c].words[w]
            canonical = max(
                JaroWinkler.similarity(x, y) for x in a.canonicals for y in b.canonicals
            )
        value = _combined(spelled.get(key, 0.0), canonical, same_skeleton)
        if value > 0:
            out[c][q, w] = value
    return out


def _align(
    pairs: Iterable[tuple[float, int, int]], shorter: int, longer: int
) -> tuple[float, bool]:
    """The best one-to-one pairing of two names' words from their similar word pairs, in
    any order (greedy on the most similar pairs; names have few words). Returns 0..1 and
    whether the order differs."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = 0.0
    matched: list[tuple[int, int]] = []
    for similarity, i, j in sorted(pairs, reverse=True):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        total += similarity
        matched.append((i, j))
    matched.sort()
    order = [j for _i, j in matched]
    return total / (shorter + EXTRA_WORD_WEIGHT * (longer - shorter)), order != sorted(order)


def _names(
    query: Profile, other: Profile, similar: Mapping[tuple[int, int], float]
) -> tuple[float, bool, bool]:
    """The best alignment of any name of ``query`` with any of ``other``: its value, whether
    the order differs, whether the two names are in different scripts."""
    if len(query.names) == 1 and len(other.names) == 1:  # the commonest case, directly
        shorter, longer = sorted((len(query.words), len(other.words)))
        pairs = [(value, q, w) for (q, w), value in similar.items()]
        value, order = _align(pairs, shorter, longer)
        if value <= 0:
            return 0.0, False, False
        return value, order, query.scripts[0] != other.scripts[0]
    grouped: dict[tuple[int, int], list[tuple[float, int, int]]] = {}
    for (q, w), value in similar.items():
        grouped.setdefault((query.word_name[q], other.word_name[w]), []).append((value, q, w))
    best, reordered, scripts = 0.0, False, False
    for (qn, on), pairs in sorted(grouped.items()):
        shorter, longer = sorted((len(query.names[qn]), len(other.names[on])))
        value, order = _align(pairs, shorter, longer)
        if value > best:
            best, reordered = value, order
            scripts = query.scripts[qn] != other.scripts[on]
    return best, reordered, scripts


def name_bits(similarity: float) -> float:
    """The weight in bits of names this similar (0..1): ``NAME_LEVELS``, interpolated."""
    points, bits = _NAME_SIMILARITIES, _NAME_BITS
    if similarity >= points[-1]:
        return bits[-1]
    if similarity <= points[0]:
        return bits[0]
    i = bisect_right(points, similarity)  # points[i - 1] <= similarity < points[i]
    share = (similarity - points[i - 1]) / (points[i] - points[i - 1])
    return bits[i - 1] + share * (bits[i] - bits[i - 1])


def _one_digit(a: int, b: int) -> bool:
    """Whether two different two-digit numbers (a day or a month) are one typo apart: one
    digit changed, or the two digits transposed."""
    tens_a, units_a = divmod(a, 10)
    tens_b, units_b = divmod(b, 10)
    return (tens_a == tens_b) != (units_a == units_b) or (tens_a, units_a) == (units_b, tens_b)


def _is_typo(day_month_a: int, day_month_b: int) -> bool:
    """Whether two different days of one year (mmdd) are one typo apart: day and month
    swapped, or a typo in the day or in the month (Damerau's single errors, on the
    fixed-width day and month)."""
    month_a, day_a = divmod(day_month_a, 100)
    month_b, day_b = divmod(day_month_b, 100)
    if (month_a, day_a) == (day_b, month_b):
        return True
    if month_a == month_b:
        return _one_digit(day_a, day_b)
    return day_a == day_b and _one_digit(month_a, month_b)


def _year_level(a: int, b: int) -> int:
    apart = abs(a - b)
    return YEAR_NEAR if apart <= 1 else YEAR_CLOSE if apart <= 3 else YEAR_FAR


def _level(born_a: int, year_a: int, born_b: int, year_b: int) -> int:
    """``date_level`` on the numbers: dates as yyyymmdd, years, 0 when unknown."""
    if born_a and born_b:
        if born_a == born_b:
            return SAME_DATE
        if year_a == year_b:
            if _is_typo(born_a % 10000, born_b % 10000):
                return DATE_TYPO
            return YEAR_MONTH if born_a // 100 == born_b // 100 else YEAR_ONLY
        return DAY_MONTH if born_a % 10000 == born_b % 10000 else OTHER_DATE
    if year_a and year_b:
        return _year_level(year_a, year_b)
    return NO_DATE


def date_level(a: Profile, b: Profile) -> int:
    """What two profiles' dates of birth say (a level of ``DATE_LEVELS``, or ``NO_DATE``):
    two full dates are compared as dates — the year is part of the evidence, so the same day
    and month in another year is ``DAY_MONTH``, not a near date —; otherwise two years (an
    estimated age gives one) as years; a date or year missing on either side, ``NO_DATE``."""
    return _level(a.born, a.year, b.born, b.year)


class Batch:
    """Profiles to score one query against, with what scoring reads from every one of them
    — the date and year of birth, the other fields — as columns. ``score_all`` makes one of
    its candidates; a register's batch gives any subset cheaply (``take``: the benchmarks
    score 5,000 lookups against one register), gathering a column of the subset only when
    scoring reads it."""

    __slots__ = (
        "_fields",
        "_indexes",
        "_penalties",
        "_pick",
        "_profiles",
        "_register",
        "_year_only",
        "_years",
        "born",
        "complete",
        "repeating",
        "years_alone",
    )

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self._profiles: Sequence[Profile] | None = list(profiles)
        self.born: Sequence[int] = list(map(attrgetter("born"), self.profiles))
        self._years: Sequence[int] | None = list(map(attrgetter("year"), self.profiles))
        self._year_only: Sequence[int] = list(map(attrgetter("year_only"), self.profiles))
        # whether any profile has a year and no date (an estimated age)
        self.years_alone = any(self._year_only)
        keys = tuple(
            dict.fromkeys(chain.from_iterable(map(attrgetter("extra_keys"), self.profiles)))
        )
        self._fields: dict[str, Sequence[str]] = {}
        if keys and all(map(keys.__eq__, map(attrgetter("extra_keys"), self.profiles))):
            values = list(map(attrgetter("extra_values"), self.profiles))
            for n, key in enumerate(keys):
                self._fields[key] = list(map(itemgetter(n), values))
        else:
            for key in keys:
                self._fields[key] = [p.extras.get(key, "") for p in self.profiles]
        # the fields every profile has, and those with few values (at most the square root
        # of the profiles': a state, a country) — a subset inherits both
        self.complete = frozenset(k for k, column in self._fields.items() if "" not in column)
        self.repeating = frozenset(
            k for k, column in self._fields.items() if len(set(column)) ** 2 <= len(column)
        )
        self._register: Batch | None = None
        self._indexes: Sequence[int] = ()
        self._pick: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None
        self._penalties: dict[tuple[tuple[str, ...], float], Sequence[float]] = {}

    def __len__(self) -> int:
        return len(self.born)

    def take(self, indexes: Sequence[int]) -> "Batch":
        """The batch of these profiles of this one (by index): their dates now, the other
        columns and the profiles themselves when they are read."""
        subset = Batch.__new__(Batch)
        subset._register, subset._indexes = self, indexes
        subset._pick = itemgetter(*indexes) if len(indexes) > 1 else None
        subset.born = subset._gather(self.born)
        subset._profiles = subset._years = None
        subset._year_only = ()
        subset._fields = {}
        subset._penalties = {}
        alone: Sequence[int] = subset._gather(self._year_only) if self.years_alone else ()
        subset.years_alone = any(alone)
        subset.complete, subset.repeating = self.complete, self.repeating
        return subset

    @property
    def profiles(self) -> Sequence[Profile]:
        """The profiles themselves."""
        if self._profiles is None:
            assert self._register is not None  # noqa: S101  # only a subset gathers later
            self._profiles = self._gather(self._register.profiles)
        return self._profiles

    def picked(self, positions: Iterable[int]) -> list[Profile]:
        """The profiles at these positions (a few: the names of the live candidates)."""
        if self._profiles is None and self._register is not None:
            everyone, indexes = self._register.profiles, self._indexes
            return [everyone[indexes[c]] for c in positions]
        profiles = self.profiles
        return [profiles[c] for c in positions]

    def _gather(self, column: Sequence[T]) -> Sequence[T]:
        """This subset's values of a column of its register (itemgetter loops in C)."""
        if self._pick is None:
            return [column[i] for i in self._indexes]
        return self._pick(column)

    @property
    def years(self) -> Sequence[int]:
        """The year of birth of each profile (0 if unknown)."""
        if self._years is None:
            assert self._register is not None  # noqa: S101  # only a subset gathers later
            self._years = self._gather(self._register.years)
        return self._years

    def penalty(self, keys: tuple[str, ...], disagree: float) -> Sequence[float]:
        """Per profile, -``disagree`` for each of these fields it has (kept by the register
        per set of fields: lookups share the few sets there are)."""
        if self._register is not None:
            return self._gather(self._register.penalty(keys, disagree))
        found = self._penalties.get((keys, disagree))
        if found is None:
            columns = [self.field(key) or [""] * len(self) for key in keys]
            found = self._penalties[keys, disagree] = [
                -disagree * sum(map(bool, values)) for values in zip(*columns, strict=True)
            ]
        return found

    def field(self, key: str) -> Sequence[str] | None:
        """The values of another field ("" where missing), or None if no profile has it."""
        found = self._fields.get(key)
        if found is None and self._register is not None:
            column = self._register.field(key)
            if column is not None:
                found = self._fields[key] = self._gather(column)
        return found


def _date_levels(query: Profile, batch: Batch) -> list[int]:
    """``date_level`` of ``query`` with each profile of ``batch``; the commonest case — two
    dates with nothing in common — decided inline."""
    born, year = query.born, query.year
    if not born:
        if not year:
            return [NO_DATE] * len(batch)
        return [
            _level(0, year, theirs, their_year)
            for theirs, their_year in zip(batch.born, batch.years, strict=True)
        ]
    day_month = born % 10000
    return [
        OTHER_DATE
        if theirs and their_year != year and theirs % 10000 != day_month
        else _level(born, year, theirs, their_year)
        for theirs, their_year in zip(batch.born, batch.years, strict=True)
    ]


@lru_cache(maxsize=1024)
def _near_days(day_month: int, leap: bool) -> tuple[tuple[int, int], ...]:
    """The days (mmdd) of a year that are a typo of ``day_month`` or in its month, with
    their level (``DATE_TYPO`` or ``YEAR_MONTH``)."""
    month, day = divmod(day_month, 100)
    days = [0, 31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    found = [
        (month * 100 + other, DATE_TYPO if _one_digit(day, other) else YEAR_MONTH)
        for other in range(1, days[month] + 1)
        if other != day
    ]
    if day <= 12 and day != month and month <= days[day]:
        found.append((day * 100 + month, DATE_TYPO))  # swapped
    found += [
        (other * 100 + day, DATE_TYPO)
        for other in range(1, 13)
        if other != month and day <= days[other] and _one_digit(month, other)
    ]
    return tuple(found)


def _date_weights(query: Profile, batch: Batch, by_level: Sequence[float]) -> list[float]:
    """``by_level[date_level(query, other)]`` for each profile of ``batch``. When the levels
    a table cannot list (the same day and month in any year, the same year only, a year
    alone) weigh as nothing in common does, one lookup per candidate in the table of the
    dates near ``query``'s answers it (the benchmarks' evidence); otherwise
    ``_date_levels``."""
    born = query.born
    other = by_level[OTHER_DATE]
    if (
        not born
        or by_level[DAY_MONTH] != other
        or by_level[YEAR_ONLY] != other
        or batch.years_alone
    ):
        return list(map(by_level.__getitem__, _date_levels(query, batch)))
    year, day_month = divmod(born, 10000)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    start = year * 10000
    table = {start + day: by_level[level] for day, level in _near_days(day_month, leap)}
    table[born] = by_level[SAME_DATE]
    table[0] = by_level[NO_DATE]
    return list(map(table.get, batch.born, repeat(other)))


@dataclass(frozen=True)
class Evidence:
    """How much agreement on each field is worth, for records that have other fields than
    names and dates (only the benchmarks' FEBRL records do): Fellegi-Sunter weights in bits.

    ``agree[f]`` is log2(m / u) for field ``f`` ("name", "date" or a key of ``extras``),
    ``disagree`` is log2(1 / (1 - m)), and ``prior`` the log2 odds against a match before
    any comparison. ``estimate_evidence`` sets them without labels."""

    agree: Mapping[str, float]
    disagree: float
    prior: float

    @cached_property
    def date_bits(self) -> tuple[float, ...]:
        """Per date level (``EVIDENCE_DATES``), the prior and what the dates add."""
        weight, disagree = self.agree.get("date", 0.0), self.disagree
        return tuple(
            -self.prior + (0.0 if share is None else share * weight - (1 - share) * disagree)
            for share in EVIDENCE_DATES
        )


# Assumed, not trained: a field of a true duplicate agrees with probability 0.9.
EVIDENCE_M = 0.9


def estimate_evidence(profiles: Sequence[Profile], *, m: float = EVIDENCE_M) -> Evidence:
    """Fellegi-Sunter weights from a register alone (no labels): u, the chance that two
    random records agree on a field, is the sum of the squared frequencies of its values
    (names compared as their folded words in any order); m is ``EVIDENCE_M`` for every
    field; the prior is one match expected per record among ``len(profiles)``."""
    values: dict[str, list[str]] = {"name": [], "date": []}
    for profile in profiles:
        if profile.names:
            values["name"].append(" ".join(sorted(w.spellings[0] for w in profile.names[0])))
        if profile.birth_date is not None:
            values["date"].append(profile.birth_date.isoformat())
        for key, value in profile.extras.items():
            if value:
                values.setdefault(key, []).append(value)
    agree = {}
    for key, seen in values.items():
        if seen:
            counts = Counter(seen)
            u = sum(n * n for n in counts.values()) / (len(seen) * len(seen))
            agree[key] = math.log2(m / u)
    return Evidence(agree=agree, disagree=math.log2(1 / (1 - m)), prior=math.log2(len(profiles)))


# How much of a date's agreement weight each level earns with an ``Evidence`` (the
# benchmarks' records): a typo 0.7 as before this model; None, no evidence either way.
EVIDENCE_DATES: tuple[float | None, ...] = (None, 1.0, 0.7, 0.7, 0.0, 0.0, 0.0, 0.65, 0.45, 0.1)
_GIVEN_UP = Scored(0.0, "", ())
# The application's prior plus each date level's weight.
_APP_DATE_BITS = tuple(PRIOR_BITS + bits for bits in DATE_BITS)


def _bits(probability: float) -> float:
    """The log2 odds of a probability (±inf at 0 and 1)."""
    if probability <= 0:
        return -math.inf
    if probability >= 1:
        return math.inf
    return math.log2(probability / (1 - probability))


def _probability(bits: float) -> float:
    return 1 / (1 + 2 ** min(-bits, 60.0))


def score_all(
    query: Profile,
    others: Sequence[Profile] | Batch,
    *,
    at_least: float = 0.0,
    evidence: Evidence | None = None,
) -> list[Scored]:
    """``score`` of ``query`` against each of ``others``, in one batch (what
    ``find_matches`` does with its candidates): dates (and other fields) first; a candidate
    that could not reach ``at_least`` even with identical names is given up as
    ``Scored(0.0, "", ())``; the names of the rest are compared in a few rapidfuzz calls,
    and one that stays short of ``at_least`` gets its score without band or reasons."""
    batch = others if isinstance(others, Batch) else Batch(others)
    if evidence is None:  # the application: names and dates (there are no other fields)
        rest = _date_weights(query, batch, _APP_DATE_BITS)
        most = _NAME_BITS[-1]
    else:
        agree, disagree = evidence.agree, evidence.disagree
        columns = [
            (key, mine, column)
            for key, mine in zip(query.extra_keys, query.extra_values, strict=True)
            if mine and (column := batch.field(key)) is not None
        ]
        # Each other field both records have starts at -disagree: for all at once (in the
        # date's table) when every candidate has the field, else per candidate.
        complete = sum(disagree for key, _mine, _column in columns if key in batch.complete)
        by_level = [bits - complete for bits in evidence.date_bits]
        rest = _date_weights(query, batch, by_level)
        incomplete = tuple(key for key, _mine, _column in columns if key not in batch.complete)
        if incomplete:
            rest = list(map(add, rest, batch.penalty(incomplete, disagree)))
        for key, mine, column in columns:
            # plus the agreement (sim - floor) / (1 - floor) times the swing from -disagree
            # to agree, for the values rapidfuzz finds above the floor: each distinct value
            # once when a field has few values, else each candidate's
            worth = (agree.get(key, 0.0) + disagree) / (1 - WORD_FLOOR)
            if key in batch.repeating:
                distinct = dict.fromkeys(column, 0.0)
                for theirs, sim, _n in process.extract(
                    mine,
                    list(distinct),
                    scorer=JaroWinkler.similarity,
                    score_cutoff=WORD_FLOOR,
                    limit=None,
                ):
                    distinct[theirs] = (sim - WORD_FLOOR) * worth
                rest = list(map(add, rest, map(distinct.__getitem__, column)))
            else:
                for _theirs, sim, c in process.extract(
                    mine, column, scorer=JaroWinkler.similarity, score_cutoff=WORD_FLOOR, limit=None
                ):
                    rest[c] += (sim - WORD_FLOOR) * worth
        most = agree.get("name", 0.0)
    need = _bits(at_least) - most
    live = list(compress(range(len(rest)), map(need.__le__, rest)))
    results = [_GIVEN_UP] * len(batch)
    if not live:
        return results
    candidates = batch.picked(live)
    similar = _word_similarities(query, candidates)
    dated = bool(query.year)
    for c, other, pairs in zip(live, candidates, similar, strict=True):
        best, reordered, scripts = _names(query, other, pairs) if pairs else (0.0, False, False)
        if evidence is None:
            bits = rest[c] + name_bits(best)
        elif query.names and other.names:
            bits = rest[c] + best * most - (1 - best) * evidence.disagree
        else:
            bits = rest[c]
        value = _probability(bits)
        if value < at_least:  # compared, and short of it: the score alone
            results[c] = Scored(value, "", ())
            continue
        level = _level(query.born, query.year, other.born, other.year)
        if value >= PROBABLE:
            band = PROBABLE_BAND
        elif (
            value >= THRESHOLD
            or best >= SIMILAR_NAME
            or (best >= PARTLY_NAME and DATE_BITS[level] > 0)
        ):
            band = SIMILAR_BAND
        else:
            band = ""
        reasons: list[str] = []
        if best >= 0.999:
            reasons.append("same_name")
        elif best > 0:
            reasons.append("other_script" if scripts else "similar_name")
        if reordered and best > 0:
            reasons.append("order")
        if level != NO_DATE or dated:  # "no date to compare" only if the query had one
            reasons.append(DATE_REASONS[level])
        results[c] = Scored(value, band, tuple(reasons))
    return results


def score(
    query: Profile,
    other: Profile,
    *,
    at_least: float = 0.0,
    evidence: Evidence | None = None,
) -> Scored:
    """How likely two profiles are one person: the probability, the band and the reasons.

    Without ``evidence`` (the application), the names and the date or year of birth each add
    their Fellegi-Sunter weight in bits to ``PRIOR_BITS`` (``name_bits``, ``DATE_BITS``);
    with it (the benchmarks' records), every field adds the weight ``estimate_evidence``
    gives it. With ``at_least``, a pair that could not reach it even with identical names
    is given up early as ``Scored(0.0, "", ())`` — the names are the costly part to compare
    —, and one that stays short of it has no band or reasons.
    """
    return score_all(query, [other], at_least=at_least, evidence=evidence)[0]


# --- The database side -------------------------------------------------------------------
def estimated_birth_year(person: Person) -> int | None:
    """The year of birth, or the year the estimated age points at."""
    if person.birth_date is not None:
        born: dt.date = person.birth_date
        return born.year
    if person.estimated_age is not None:
        on = person.age_estimated_on or timezone.localdate(person.created_at)
        return on.year - person.estimated_age
    return None


def profile_of(person: Person) -> Profile:
    return Profile.of(
        person.all_names(), birth_date=person.birth_date, birth_year=estimated_birth_year(person)
    )


def person_keys(person: Person) -> set[int]:
    """The blind-indexed keys ``index_person`` stores for a person (none once merged)."""
    if person.merged_into_id is not None:
        return set()
    return set(hashed(match_keys(profile_of(person))))


def index_person(person: Person) -> None:
    """(Re)write the person's ``PersonKey`` rows; services call it in their transaction
    after each save. A merged person keeps no keys, so is never suggested again."""
    PersonKey.objects.filter(person=person).delete()
    PersonKey.objects.bulk_create(
        PersonKey(organisation_id=person.organisation_id, person=person, key=key)
        for key in sorted(person_keys(person))
    )


def find_matches(
    organisation: Any,
    *,
    names: list[str],
    birth_date: dt.date | None = None,
    birth_year: int | None = None,
    exclude: Person | None = None,
    limit: int = 5,
) -> list[Match]:
    """The ``limit`` likeliest existing people of ``organisation`` for these names and date
    (or estimated year) of birth, best first: those "probably the same person" (a
    probability of at least ``PROBABLE``), then those with "the same or a similar name,
    different or missing details" (``Match.band``; see ``score_all``).

    Two queries: one aggregate over ``PersonKey`` ranking people by shared keys, one loading
    at most ``CANDIDATES`` of them, which alone are decrypted.
    """
    query = Profile.of(names, birth_date=birth_date, birth_year=birth_year)
    keys = hashed(match_keys(query, lookup=True))
    if not keys:
        return []
    by_weight: dict[int, list[int]] = {}
    for key, worth in sorted(keys.items()):
        by_weight.setdefault(worth, []).append(key)
    weight = Case(
        *(When(key__in=group, then=Value(w)) for w, group in sorted(by_weight.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = PersonKey.objects.filter(organisation=organisation, key__in=sorted(keys))
    if exclude is not None:
        rows = rows.exclude(person_id=exclude.pk)
    ranked = rows.values("person_id").annotate(hits=Sum(weight)).order_by("-hits", "person_id")
    ids = [row["person_id"] for row in ranked[:CANDIDATES]]
    if not ids:
        return []
    people = list(Person.objects.filter(pk__in=ids, organisation=organisation, merged_into=None))
    scored = score_all(query, [profile_of(person) for person in people])
    found = [
        Match(
            person,
            value,
            band,
            tuple(str(REASONS[r]) for r in reasons if r not in AGAINST),
            tuple(str(REASONS[r]) for r in reasons if r in AGAINST),
        )
        for person, (value, band, reasons) in zip(people, scored, strict=True)
        if band
    ]
    found.sort(key=lambda match: (-match.score, match.person.pk))
    return found[:limit]
