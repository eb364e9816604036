"""Names across scripts and spellings: folding, romanisation variants, phonetic skeletons.

Pure functions (no Django) used by the person matcher (``ostoja.people.matching``) and by its
benchmarks (``bench/matching.py``). The problem they solve is described in
/work/shared/PERFORMANCE.md §1.3 and §2: no single romanisation gives identity across schemes.
Олександр is *Oleksandr* in a Ukrainian passport, *Aleksander* when a Polish counsellor writes
it down, and Юлия Щербакова is *Iuliia Shcherbakova* (ICAO, what ``unidecode`` produces),
*Yuliya Shcherbakova* (BGN) or *Julia Szczerbakowa* (Polish). Folding alone repairs only the
reversible case; a second romanisation still costs recall (PERFORMANCE.md §1.3: 2.5 points
for splink), so the matcher compares *several* romanisations and a phonetic skeleton.

The pieces:

``fold``
    Any script to lower-case ASCII words (``unidecode``): Nguyễn Văn Đạt → ``nguyen van dat``.
    Apostrophes (the soft sign ь, O'Brien) vanish; hyphens and punctuation separate words.
``romanisations``
    The ways a name is likely written in Latin letters: the ``unidecode`` (ICAO-like) form and,
    for Cyrillic, a BGN/Ukrainian-national form and a Polish form, from the tables below.
``skeleton``
    The phonetic key of one folded word. Multigraphs of the common schemes are first mapped
    to one class each (``shch``/``szcz``/``sch``/``sh``/``sz``/``zh``/``rz`` → S;
    ``kh``/``ch``/``cz``/``tch``/``ts``/``tz`` → K, together with c, g, h, k, q; ``ph``→F,
    ``th``→T), then letters to coarse consonant classes (b p → P; f v w → F; d t → T;
    s z → S; l, m, n, r), vowels and the semivowels *j*/*y* are dropped, and repeated
    classes collapse. The classes merge exactly the letters that transliteration schemes
    disagree on — kh/h/ch/g for х and г, ts/c for ц, ch/cz for ч, sh/sz for ш, zh/ż/rz for
    ж, y/i/j for й and the iotated vowels ia/ya/ja, iu/yu/ju — so Олександр, Oleksandr and
    Aleksander all give ``LKSNTR``, and Щербакова, Shcherbakova, Szczerbakowa give
    ``SRPKF``. A Polish ``rz`` may also be r + z (Herzog), so a word with ``rz`` has both
    skeletons. The key is deliberately coarse (Soundex-like): it only *finds candidates*,
    which are then scored with Jaro-Winkler.
``canonical``
    The same classes with the vowels kept (i/y/j as one vowel, runs of vowels as their first):
    a spelling-neutral string on which Jaro-Winkler compares well across schemes
    (``iLi`` for Iuliia, Yuliya and Julia).
``tokens`` / ``name_forms``
    The words of a name, in every romanisation, as sets: word order never matters.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

# --- Romanisation tables (data) ----------------------------------------------------------
# Letters that only Ukrainian has: a name with one of them is romanised the Ukrainian way.
UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
VOWELS_CYRILLIC = frozenset("аеёиоуыэюяіїєъь")

# Each table maps a lower-case Cyrillic letter to its Latin spelling; the iotated vowels have
# a second spelling at the start of a word and after a vowel or a sign ("Yevhen", "Jelena").
_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "з": "z", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "ъ": "", "ь": "", "э": "e",
}  # fmt: skip
# US BGN/PCGN for Russian (Евгений Хохлов → Yevgeniy Khokhlov).
BGN_RUSSIAN = _COMMON | {
    "г": "g", "е": "e", "ё": "e", "ж": "zh", "и": "i", "й": "y", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "ю": "yu", "я": "ya",
}  # fmt: skip
# Ukrainian national romanisation (2010), the passport one (Хмельницька → Khmelnytska).
BGN_UKRAINIAN = _COMMON | {
    "г": "h", "ґ": "g", "е": "e", "є": "ie", "ж": "zh", "и": "y", "і": "i", "ї": "i",
    "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia",
    "ё": "io",
}  # fmt: skip
# How a Polish counsellor writes it (Щербакова → Szczerbakowa, Юлия → Julia): the Polish
# phonetic transcription, folded to ASCII (ż → z).
POLISH = _COMMON | {
    "в": "w", "г": "g", "е": "e", "ё": "io", "є": "ie", "ж": "z", "и": "i", "і": "i",
    "ї": "ji", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ы": "y",
    "ю": "iu", "я": "ia", "ґ": "g",
}  # fmt: skip
POLISH_UKRAINIAN = POLISH | {"г": "h", "и": "y"}
# Word-initial (and post-vowel) spellings of the iotated vowels.
INITIAL = {
    "bgn": {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi"},
    "polish": {"е": "je", "ё": "jo", "ю": "ju", "я": "ja", "є": "je", "ї": "ji"},
}

# --- Skeleton classes (data) -------------------------------------------------------------
# Multigraphs first, longest first; "" drops the letters. Class letters are upper case.
MULTIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "S"), ("szcz", "S"), ("tsch", "K"),
    ("sch", "S"), ("tch", "K"), ("dzh", "TS"),
    ("sh", "S"), ("sz", "S"), ("zh", "S"), ("rz", "S"), ("cz", "K"), ("ch", "K"),
    ("kh", "K"), ("ts", "K"), ("tz", "K"), ("ck", "K"), ("qu", "K"), ("gh", "K"),
    ("ph", "F"), ("th", "T"),
)  # fmt: skip
LETTERS = {
    "b": "P", "p": "P", "f": "F", "v": "F", "w": "F", "c": "K", "g": "K", "h": "K",
    "k": "K", "q": "K", "x": "KS", "d": "T", "t": "T", "s": "S", "z": "S", "l": "L",
    "m": "M", "n": "N", "r": "R",
}  # fmt: skip
# Vowels and semivowels, as one class each in the canonical form (y, j, i are one vowel).
VOWEL_CLASS = {"a": "a", "e": "e", "i": "i", "y": "i", "j": "i", "o": "o", "u": "u"}

_WORD = re.compile(r"[a-z]+")
_DROP = re.compile(r"['`\u2019\u02bc\"]")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, from a name in any script."""
    ascii_text = _DROP.sub("", unidecode(str(text)).lower())
    return " ".join(_WORD.findall(ascii_text))


class _Romaniser:
    """One romanisation table, applied with ``str.translate``; the iotated vowels take their
    initial spelling at the start of a word and after a vowel or a sign (a regular
    expression finds them first)."""

    def __init__(self, table: dict[str, str], initial: dict[str, str]) -> None:
        self.table = str.maketrans(table)
        self.initial = initial
        starts = "".join(char for char in initial if char in table)
        vowels = "".join(sorted(VOWELS_CYRILLIC))
        # not after a letter (the start, a space, an apostrophe), or after a vowel or sign
        self.at_start = re.compile(rf"(?:(?<![^\W\d_])|(?<=[{vowels}]))([{starts}])")

    def __call__(self, text: str) -> str:
        lowered = self.at_start.sub(lambda found: self.initial[found[1]], text.lower())
        return fold(lowered.translate(self.table))


# (BGN or national, Polish) for Russian and for Ukrainian names
_ROMANISERS = {
    False: (_Romaniser(BGN_RUSSIAN, INITIAL["bgn"]), _Romaniser(POLISH, INITIAL["polish"])),
    True: (
        _Romaniser(BGN_UKRAINIAN, INITIAL["bgn"]),
        _Romaniser(POLISH_UKRAINIAN, INITIAL["polish"]),
    ),
}


def romanisations(text: str) -> tuple[str, ...]:
    """The folded ways ``text`` is likely written in Latin letters, most standard first.

    For Latin text, its fold; for Cyrillic, also a BGN (Russian) or national (Ukrainian)
    form and a Polish form: Олександр → ``oleksandr``; Юлия → ``iuliia``, ``yuliya``,
    ``julia``.
    """
    return _romanisations(text, any(char in UKRAINIAN_LETTERS for char in text))


def _romanisations(text: str, ukrainian: bool) -> tuple[str, ...]:
    forms = [fold(text)]
    if CYRILLIC.search(text):
        bgn, polish = _ROMANISERS[ukrainian]
        forms.append(bgn(text))
        forms.append(polish(text))
    return tuple(dict.fromkeys(form for form in forms if form))


# One pattern per variant: at each position the first multigraph that matches, else a letter.
_GRAPHS = {
    rz_is_s: re.compile(
        "|".join(re.escape(g) for g, _cls in MULTIGRAPHS if rz_is_s or g != "rz") + "|.", re.S
    )
    for rz_is_s in (True, False)
}
_CLASS_OF: dict[str, tuple[str, ...]] = {
    **{char: tuple(cls) for char, cls in LETTERS.items()},
    **{char: (cls,) for char, cls in VOWEL_CLASS.items()},
    **{graph: tuple(cls) for graph, cls in MULTIGRAPHS},
}


_CLASS_TEXT = {token: "".join(classes) for token, classes in _CLASS_OF.items()}
_REPEATS = re.compile(r"(.)\1+")
_VOWEL_RUNS = re.compile(r"([a-z])[a-z]+")
_VOWELS = re.compile(r"[a-z]+")


def _classes(word: str, *, rz_is_s: bool = True) -> str:
    """The word as a string of classes: upper-case consonant classes, lower-case vowels."""
    word = _REPEATS.sub(r"\1", word)  # doubled letters: Anna, Mitchell, Strasse
    if len(word) > 2 and word.endswith("h") and word[-2] in VOWEL_CLASS:
        word = word[:-1]  # a silent final h: Sarah, Hannah (not Linh, Thanh)
    get = _CLASS_TEXT.get
    return "".join([get(token, "") for token in _GRAPHS[rz_is_s].findall(word)])


def _skeleton(classes: str) -> str:
    """The consonant classes, each run as one."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", classes))


def _canonical(classes: str) -> str:
    """The classes with each run of one class, and each run of vowels, as its first."""
    return _VOWEL_RUNS.sub(r"\1", _REPEATS.sub(r"\1", classes))


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, tuple[str, ...]]:
    """The canonical form and the phonetic skeletons of one folded word, from one reading
    of its classes."""
    classes = _classes(word)
    found = [_skeleton(classes)]
    if "rz" in word:
        found.append(_skeleton(_classes(word, rz_is_s=False)))
    return _canonical(classes), tuple(dict.fromkeys(found))


def skeletons(word: str) -> tuple[str, ...]:
    """The phonetic skeletons of one folded word (two when ``rz`` may be ż or r + z)."""
    return _forms(word)[1]


def skeleton(word: str) -> str:
    """The main phonetic skeleton of one folded word: ``oleksandr`` → ``LKSNTR``."""
    return _forms(word)[1][0]


def canonical(word: str) -> str:
    """One folded word in spelling-neutral form, vowels kept: ``yuliya`` → ``iLi``."""
    return _forms(word)[0]


def tokens(text: str) -> list[str]:
    """The folded words of a name (``unidecode`` form), in the order written."""
    return fold(text).split()


def deletions(key: str) -> set[str]:
    """``key`` with one character left out, each way (SymSpell's deletion neighbourhood):
    two skeletons one edit apart share a member of ``{key} | deletions(key)``."""
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


@dataclass(frozen=True)
class Word:
    """One word of a name in all its forms, prepared once for comparison."""

    spellings: tuple[str, ...]  # folded, one per romanisation
    canonicals: tuple[str, ...]
    skeletons: tuple[str, ...]  # every skeleton (rz as ż and as r + z), for comparison
    keys: tuple[str, ...]  # the main skeleton of each spelling, for matching keys


def _word(spellings: tuple[str, ...]) -> Word:
    spellings = tuple(dict.fromkeys(spellings))
    forms = [_forms(s) for s in spellings]
    return Word(
        spellings=spellings,
        canonicals=tuple(dict.fromkeys(form for form, _skeletons in forms)),
        skeletons=tuple(dict.fromkeys(k for _form, found in forms for k in found)),
        keys=tuple(dict.fromkeys(found[0] for _form, found in forms)),
    )


def name_words(name: str, *, limit: int = 6) -> tuple[Word, ...]:
    """The words of one name, each with its spellings in every romanisation.

    The romanisations of a Cyrillic name are word-aligned (every table maps letters to
    letters), so word *n* of each romanisation is a spelling of the same word. Each
    space-separated part is prepared once per process (``_part_words``); whether the name
    is Ukrainian is decided on the whole name.
    """
    ukrainian = any(char in UKRAINIAN_LETTERS for char in name)
    words: list[Word] = []
    for part in name.split():
        words.extend(_part_words(part, ukrainian))
        if len(words) >= limit:
            break
    return tuple(words[:limit])


@lru_cache(maxsize=65536)
def _part_words(part: str, ukrainian: bool) -> tuple[Word, ...]:
    forms = [form.split() for form in _romanisations(part, ukrainian)]
    if not forms:
        return ()
    count = len(forms[0])
    aligned = [f for f in forms if len(f) == count]
    return tuple(_word(tuple(f[i] for f in aligned)) for i in range(count))


def has_other_script(name: str) -> bool:
    """Whether a name is written in a script other than Latin (Cyrillic, Greek, …);
    Latin letters with diacritics (Nguyễn, Żuraw) are Latin."""
    return not name.isascii() and any(_other_script(part) for part in name.split())


@lru_cache(maxsize=65536)
def _other_script(part: str) -> bool:
    return any(
        char.isalpha() and not unicodedata.name(char, "").startswith("LATIN") for char in part
    )


def clear_caches() -> None:
    """Forget the words prepared so far (the benchmarks time each run from cold)."""
    for cached in (_part_words, _other_script, _forms):
        cached.cache_clear()
