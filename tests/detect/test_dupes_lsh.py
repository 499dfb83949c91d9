"""Copy-paste candidates and n-grams: the numpy and reworked SQL steps give what the plain SQL they
replaced gives (kept here as the reference), so clusters do not change."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kagami.detect import dupes_lsh
from kagami.detect.dupes_lsh import band_keys, candidate_pairs, flat_grams
from kagami.detect.dupes_verify import GramSets
from kagami.detect.sqlfiles import sections

#: The SQL that formed candidate pairs before :func:`candidate_pairs` (over a (doc, band, key) table).
CANDIDATES_SQL = """
WITH b AS (
    SELECT doc, band, key, row_number() OVER (PARTITION BY band, key ORDER BY doc) AS r FROM bands
)
SELECT x.doc AS a, y.doc AS b, count(*) AS strength
FROM b x JOIN b y ON x.band = y.band AND x.key = y.key AND y.r > x.r
     AND (x.r = 1 OR y.r <= x.r + $bucket_window)
GROUP BY ALL ORDER BY a, b
"""

#: The SQL that built each document's n-grams before the ``grams`` section (list_distinct, list_sort,
#: array_to_string of a slice, units always by regular expression).
GRAMS_SQL = """
WITH u AS (
    SELECT doc, norm, units,
           CASE WHEN 2 * len(list_filter(units, lambda x: x ~ '[a-z0-9]+')) >= len(units)
                THEN $word_n ELSE $n END AS k
    FROM (SELECT doc, norm, regexp_extract_all(norm, '[a-z0-9]+|[^a-z0-9 ]') AS units FROM _td_docs)
)
SELECT CASE WHEN len(units) < k THEN [hash(norm)] ELSE
           list_sort(list_distinct(list_transform(range(1, len(units) - k + 2),
                     lambda i: hash(array_to_string(units[i:i + k - 1], ' '))))) END AS grams
FROM u ORDER BY doc
"""


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 120),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(0, 2**32),
)
def test_candidate_pairs_as_the_sql(docs: int, keyspace: int, window: int, seed: int) -> None:
    """Buckets of every size (few distinct keys per band), some documents left out, several windows."""
    rng = np.random.default_rng(seed)
    idx = np.flatnonzero(rng.random(docs) < 0.8).astype(np.int64)
    keys = rng.integers(0, keyspace, size=(len(idx), 5)).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    a, b, strength = candidate_pairs(idx, keys, window)
    con = duckdb.connect()
    con.register("bands", pa.table({
        "doc": np.repeat(idx, 5), "band": np.tile(np.arange(5, dtype=np.int32), len(idx)),
        "key": keys.reshape(-1),
    }))  # fmt: skip
    want = con.execute(CANDIDATES_SQL, {"bucket_window": window}).fetchall()
    assert list(zip(a.tolist(), b.tolist(), strength.tolist(), strict=True)) == want


def test_no_candidates() -> None:
    a, b, strength = candidate_pairs(np.empty(0, np.int64), np.empty((0, 32), np.uint64), 1)
    assert (len(a), len(b), len(strength)) == (0, 0, 0)


def test_band_keys() -> None:
    """Identical sets share every band key, disjoint ones none; blocks do not change the keys."""
    values = np.array([1, 2, 3, 4, 1, 2, 3, 4, 9, 10, 11, 12], dtype=np.uint64)
    offsets = np.array([0, 4, 8, 12], dtype=np.uint64)
    keys = band_keys(values, offsets, 128, 32, 1)
    assert keys.shape == (3, 32) and (keys[0] == keys[1]).all() and not (keys[0] == keys[2]).any()
    with pytest.raises(ValueError, match="multiple"):
        band_keys(values, offsets, 100, 32, 1)


def test_band_keys_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 30, size=50)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint64)
    values = rng.integers(0, 2**64 - 1, size=int(lengths.sum()), dtype=np.uint64)
    whole = band_keys(values, offsets, 64, 16, 7)
    monkeypatch.setattr(dupes_lsh, "BLOCK", 7)
    assert (band_keys(values, offsets, 64, 16, 7) == whole).all()


NORMS = [
    "期日前投票の票が書き換えられている",  # Japanese only: split into characters
    "vote for abc今日は",  # mixed: Latin words are units
    "sensex rebounds over 500 points today",  # mostly words: word n-grams
    "a b",  # fewer units than n: the whole text
    "あいう",
    "が\u3099ぎ각ᄀᄀ👨\u200d👩\u200d👧",  # combining marks, jamo, a joined emoji: one unit per code point
    "ーーあーー",  # repeated n-grams
    "ababab ab ab ab",
    "x1y2 z3 かきくけこ 4",
    "あ い う",  # spaces without Latin (not from normalize): by the regular expression
]


@pytest.mark.parametrize(("n", "word_n"), [(3, 2), (1, 1), (2, 4), (4, 3), (5, 1)])
def test_grams_as_the_sql_they_replaced(n: int, word_n: int) -> None:
    con = duckdb.connect()
    con.register("d", pa.table({"doc": pa.array(range(len(NORMS)), pa.int64()), "norm": NORMS}))
    con.execute("CREATE TEMP TABLE _td_docs AS SELECT * FROM d")
    params = {"n": n, "word_n": word_n}
    new = con.sql(sections("dupes.sql")["grams"], params=params).to_arrow_table().column(0)
    sets = GramSets.of(*flat_grams(new))
    want = [row[0] for row in con.execute(GRAMS_SQL, params).fetchall()]
    got = [sets.values[sets.offsets[d] : sets.offsets[d + 1]].tolist() for d in range(len(NORMS))]
    assert got == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=12), min_size=1))
def test_gram_sets_sort_and_dedupe_each_document(lists: list[list[int]]) -> None:
    sets = GramSets.from_lists(lists)
    assert sets.offsets.tolist() == np.cumsum([0] + [len(set(g)) for g in lists]).tolist()
    assert sets.values.tolist() == [h for g in lists for h in sorted(set(g))]
    distinct = sorted({h for g in lists for h in g})
    assert sets.ranks.tolist() == [distinct.index(h) for g in lists for h in sorted(set(g))]
