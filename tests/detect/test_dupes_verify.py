"""Verification of candidate pairs: the exact Jaccard, and the same components as checking every pair."""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kagami.detect import dupes_verify
from kagami.detect.dupes_verify import GramSets, spanning_pairs

gram_set = st.sets(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(gram_set, gram_set, st.sets(st.integers(0, 2**64 - 1), max_size=20)), min_size=1))
def test_jaccard_is_exact(triples: list[tuple[set[int], set[int], set[int]]]) -> None:
    """Against Python sets, with shared hashes planted so that overlaps are common."""
    lists, want = [], []
    for x, y, shared in triples:
        lists += [sorted(x | shared), sorted(y | shared)]
        want.append(len((x | shared) & (y | shared)) / len(x | y | shared))
    sets = GramSets.from_lists(lists)
    a = np.arange(0, len(lists), 2)
    got = sets.jaccard(a, a + 1)
    assert got.tolist() == want
    assert sets.jaccard(a + 1, a).tolist() == want  # symmetric
    assert sets.jaccard(a, a).tolist() == [1.0] * len(a)


def test_jaccard_of_no_pairs() -> None:
    sets = GramSets.from_lists([[1], [2]])
    assert sets.jaccard(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


def _families(seed: int, docs: int) -> tuple[GramSets, np.ndarray, np.ndarray, np.ndarray]:
    """Template families (each doc a template with some grams swapped) and candidate pairs as LSH gives
    them: mostly inside a family (some of them too far apart to verify), some across families."""
    rnd = random.Random(seed)
    templates = [rnd.sample(range(10_000), 30) for _ in range(docs // 20)]
    lists, family = [], []
    for _ in range(docs):
        family.append(rnd.randrange(len(templates)))
        grams = set(templates[family[-1]])
        for g in rnd.sample(sorted(grams), rnd.randint(0, 9)):
            grams.discard(g)
            grams.add(rnd.randrange(10_000, 20_000))
        lists.append(sorted(grams))
    members: dict[int, list[int]] = {}
    for doc, fam in enumerate(family):
        members.setdefault(fam, []).append(doc)
    pairs = set()
    for doc in range(docs):
        pairs |= {tuple(sorted((doc, rnd.choice(members[family[doc]])))) for _ in range(6)}
        pairs |= {tuple(sorted((doc, rnd.randrange(docs)))) for _ in range(2)}
    a, b = np.array(sorted(p for p in pairs if p[0] != p[1]), dtype=np.int64).T
    sets = GramSets.from_lists(lists)
    # LSH strength grows with similarity, with noise
    noise = np.array([rnd.randint(0, 6) for _ in range(len(a))], dtype=np.int64)
    return sets, a, b, 1 + (26 * sets.jaccard(a, b) ** 2).astype(np.int64) + noise


def _partition(docs: int, a: np.ndarray, b: np.ndarray) -> set[frozenset[int]]:
    membership = ig.Graph(n=docs, edges=np.column_stack([a, b])).connected_components().membership
    groups: dict[int, set[int]] = {}
    for doc, comp in enumerate(membership):
        groups.setdefault(comp, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize(("seed", "first_batch"), [(1, 20_000), (2, 20_000), (3, 7), (4, 1)])
def test_same_components_as_checking_every_pair(
    monkeypatch: pytest.MonkeyPatch, seed: int, first_batch: int
) -> None:
    monkeypatch.setattr(dupes_verify, "FIRST_BATCH", first_batch)
    sets, a, b, strength = _families(seed, 600)
    every = sets.jaccard(a, b) >= 0.5
    assert 0 < every.sum() < len(a)  # both kinds of candidates are there
    picked = spanning_pairs(sets, a, b, strength, 0.5)
    assert _partition(600, picked.a, picked.b) == _partition(600, a[every], b[every])
    assert picked.checked < 0.6 * len(a)  # pairs already joined were skipped
    assert (picked.sim >= 0.5).all()
    assert picked.sim.tolist() == sets.jaccard(picked.a, picked.b).tolist()


def test_no_candidates() -> None:
    sets = GramSets.from_lists([[1, 2], [1, 2]])
    none = np.array([], dtype=np.int64)
    picked = spanning_pairs(sets, none, none, none, 0.5)
    assert (picked.a.tolist(), picked.b.tolist(), picked.checked) == ([], [], 0)


def test_failed_pairs_are_never_kept() -> None:
    sets = GramSets.from_lists([[1, 2, 3], [4, 5, 6], [1, 2, 3, 4]])
    picked = spanning_pairs(sets, np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([9, 1, 5]), 0.5)
    assert (picked.a.tolist(), picked.b.tolist(), picked.checked) == ([0], [2], 3)
    assert picked.sim.tolist() == [0.75]
