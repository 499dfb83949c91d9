"""Verification of LSH candidates by the exact Jaccard similarity of their n-gram sets, skipping pairs
that verified pairs have already joined.

Clusters are the connected components of verified pairs, and a component needs only a spanning forest:
a candidate whose two documents are already joined through verified pairs cannot change any component,
so it is never checked. :func:`spanning_pairs` therefore works in rounds. Each component's strongest
pending candidate (most shared LSH band keys, then smallest documents) is checked, verified pairs merge
components, and candidates now inside one component are dropped unchecked (Borůvka's rounds). When
fewer than half of a round's checks verify, the rest is what LSH let through and the threshold refuses,
so the remaining candidates are checked strongest first, in batches that double from
:data:`FIRST_BATCH`, dropping the joined ones between batches. The components are exactly those that
checking every candidate would give; only fewer pairs are computed.

Every check is the real similarity, |A ∩ B| / |A ∪ B| over the documents' distinct n-gram hashes, never
a MinHash estimate. :class:`GramSets` keeps each document's hashes sorted together with their ranks among
all the hashes, so that every gram of a batch of pairs is one int64 key (pair, rank); ``jaccard`` merges
the two sides' ascending keys and counts equal neighbours: a few linear numpy passes per batch.

>>> import numpy as np
>>> sets = GramSets.from_lists([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4, 5], [7, 8], [1, 2, 3, 4, 6]])
>>> sets.jaccard(np.array([0, 0, 0]), np.array([1, 2, 3])).round(2).tolist()
[0.6, 0.8, 0.0]

Six candidates, strongest first (0, 4), (0, 2), (1, 2), (0, 1), (2, 3), (1, 4): the first round checks each
component's strongest one, (0, 4), (0, 2), (1, 2) and (2, 3); three verify, and join 0, 1, 2 and 4, so
(0, 1) and (1, 4) are never checked.

>>> a, b, strength = np.array([0, 0, 1, 2, 0, 1]), np.array([1, 2, 2, 3, 4, 4]), np.array([3, 5, 4, 2, 6, 1])
>>> v = spanning_pairs(sets, a, b, strength, threshold=0.5)
>>> v.a.tolist(), v.b.tolist(), v.checked
([0, 0, 1], [4, 2, 2], 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

#: Pairs whose n-grams are merged together: bounds the memory of one batch and keeps its arrays in cache
#: (20,000 pairs check twice as fast as 200,000 on the 136k-post set).
CHUNK = 20_000
#: Candidates checked together in the first batch once Borůvka rounds stop paying; each next batch is
#: twice as large (on the 1M-post benchmark: 1.0M pairs checked of 10.2M candidates, in 9 rounds).
FIRST_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class GramSets:
    """Each document's distinct n-gram hashes, sorted: ``values[offsets[d]:offsets[d + 1]]`` for doc d.

    ``ranks``: each value's rank among all distinct values (same order as the hashes), so that a
    (pair, gram) can be one int64 key; ``span``: the number of distinct values (at least 1). Build with
    :meth:`of` or :meth:`from_lists`.
    """

    values: np.ndarray
    offsets: np.ndarray
    ranks: np.ndarray
    span: int

    @classmethod
    def of(cls, values: np.ndarray, offsets: np.ndarray) -> GramSets:
        """From each document's hashes, flat (``values[offsets[d]:offsets[d + 1]]``), in any order and
        possibly repeated: one int64 sort of (document, rank) keys orders and dedupes every set at once."""
        offsets = np.asarray(offsets, dtype=np.int64)
        values = values[offsets[0] : offsets[-1]]
        docs = len(offsets) - 1
        ordered = np.sort(values)
        distinct = ordered[_firsts(ordered)]
        span = max(len(distinct), 1)
        if docs * span >= 1 << 62:
            raise ValueError(f"too many documents ({docs}) and distinct n-grams ({span}) for int64 keys")
        lengths = np.diff(offsets)
        keys = np.repeat(np.arange(docs, dtype=np.int64) * span, lengths)
        keys += np.searchsorted(distinct, values)
        keys.sort()
        doc, ranks = np.divmod(keys[_firsts(keys)], span)
        kept = np.zeros(docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc, minlength=docs), out=kept[1:])
        return cls(distinct[ranks], kept, ranks, span)

    @classmethod
    def from_lists(cls, grams: list[list[int]]) -> GramSets:
        """From one list of hashes per document (sorted and deduplicated here)."""
        lens = np.array([len(g) for g in grams], dtype=np.int64)
        offsets = np.zeros(len(grams) + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        values = np.array([h for g in grams for h in g], dtype=np.uint64)
        return cls.of(values, offsets)

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        """Set sizes of ``docs``."""
        return np.asarray(self.offsets[docs + 1] - self.offsets[docs], dtype=np.int64)

    def jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Exact Jaccard similarity of the sets of documents ``a[i]`` and ``b[i]``."""
        out = np.empty(len(a), dtype=np.float64)
        for start in range(0, len(a), CHUNK):
            x, y = a[start : start + CHUNK], b[start : start + CHUNK]
            lx, ly = self.lengths(x), self.lengths(y)
            inter = self._shared(x, y)
            union = lx + ly - inter
            out[start : start + CHUNK] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
        return out

    def _keys(self, docs: np.ndarray) -> np.ndarray:
        """``i * span + rank`` for every gram of each ``docs[i]``: ascending, as ranks are within a doc."""
        lengths = self.lengths(docs)
        ends = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ends[1:])
        pos = np.repeat(self.offsets[docs] - ends[:-1], lengths) + np.arange(ends[-1])
        keys = np.repeat(np.arange(len(docs), dtype=np.int64) * self.span, lengths)
        return np.asarray(keys + self.ranks[pos], dtype=np.int64)

    def _shared(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """How many hashes of each ``p[i]`` are in ``q[i]``: both key runs are ascending and distinct, so
        after one merge (a stable sort of two sorted runs) a shared gram is two equal neighbours."""
        merged = np.concatenate([self._keys(p), self._keys(q)])
        merged.sort(kind="stable")
        same = merged[1:][merged[1:] == merged[:-1]]
        return np.bincount(same // self.span, minlength=len(p)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Verified:
    """Verified pairs (``a < b``) and their Jaccard ``sim``, spanning the components; ``checked``: pairs
    whose similarity was computed."""

    a: np.ndarray
    b: np.ndarray
    sim: np.ndarray
    checked: int


def components(nodes: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label (0..k-1) of each of ``nodes`` nodes joined by edges ``a[i]``-``b[i]``:
    scipy's, which hands back a numpy array (igraph's membership is a Python list)."""
    edges = sp.coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(nodes, nodes))
    return np.asarray(connected_components(edges, directed=False)[1], dtype=np.int64)


def _merge(comp: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component labels after joining ``a[i]`` and ``b[i]`` (labels: any id, stable within a call)."""
    if len(a) == 0:
        return comp
    return np.asarray(components(len(comp), comp[a], comp[b])[comp], dtype=np.int64)


def _strongest_per_component(ca: np.ndarray, cb: np.ndarray, components: int) -> np.ndarray:
    """Index of each component's first (strongest) pending pair, on either side; distinct, sorted.

    With one strict order on pairs these form a forest (Borůvka), so no check in a round is redundant.
    """
    index = np.arange(len(ca), dtype=np.int64)
    first = np.full(components, len(ca), dtype=np.int64)
    np.minimum.at(first, ca, index)
    np.minimum.at(first, cb, index)
    return np.unique(first[first < len(ca)])


def _strongest_first(a: np.ndarray, b: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Order of the pairs by strength, descending, then (a, b): a sort by (a, b) (skipped when they come
    so, as from :func:`~kagami.detect.dupes_lsh.candidate_pairs`), then a stable one."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    code = a * (int(b.max(initial=0)) + 1) + b
    # pairs are distinct: no ties to keep
    order = np.arange(len(code)) if (code[1:] > code[:-1]).all() else np.argsort(code)
    weak = int(strength.max(initial=0)) - np.asarray(strength, dtype=np.int64)[order]
    small = weak.astype(np.uint16) if weak.max(initial=0) < 1 << 16 else weak
    return np.asarray(order[np.argsort(small, kind="stable")], dtype=np.int64)


@dataclass(slots=True)
class _Forest:
    """Verification state: component labels and the verified pairs so far."""

    sets: GramSets
    threshold: float
    comp: np.ndarray
    checked: int = 0
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def check(self, a: np.ndarray, b: np.ndarray) -> int:
        """Check pairs (a[i], b[i]), keep and merge the verified ones; how many verified."""
        sim = self.sets.jaccard(a, b)
        ok = sim >= self.threshold
        self.checked += len(a)
        self.kept.append((a[ok], b[ok], sim[ok]))
        self.comp = _merge(self.comp, a[ok], b[ok])
        return int(ok.sum())

    def result(self) -> Verified:
        a, b, sim = ([part[i] for part in self.kept] for i in range(3))
        return Verified(_cat(a, np.int64), _cat(b, np.int64), _cat(sim, np.float64), self.checked)


def _next_pending(
    forest: _Forest, a: np.ndarray, b: np.ndarray, start: int, count: int
) -> tuple[np.ndarray, int]:
    """Positions of the first ``count`` pairs from ``start`` on that are not joined yet, and where to go on
    from: only a window past ``start`` is looked at, not every pair left."""
    found: list[np.ndarray] = []
    need = count
    while need and start < len(a):
        end = min(len(a), start + 2 * need)
        apart = start + np.flatnonzero(forest.comp[a[start:end]] != forest.comp[b[start:end]])[:need]
        found.append(apart)
        need -= len(apart)
        start = int(apart[-1]) + 1 if not need else end
    return _cat(found, np.int64), start


def spanning_pairs(
    sets: GramSets, a: np.ndarray, b: np.ndarray, strength: np.ndarray, threshold: float
) -> Verified:
    """Check candidates (a[i], b[i]) in rounds, strongest first, skipping pairs already joined."""
    order = _strongest_first(a, b, strength)
    a, b = np.asarray(a, dtype=np.int64)[order], np.asarray(b, dtype=np.int64)[order]
    forest = _Forest(sets, threshold, np.arange(len(sets.offsets) - 1, dtype=np.int64))
    while len(a):  # Borůvka rounds, over every pending pair
        apart = forest.comp[a] != forest.comp[b]
        a, b = a[apart], b[apart]
        if not len(a):
            break
        pick = _strongest_per_component(forest.comp[a], forest.comp[b], len(forest.comp))
        verified = forest.check(a[pick], b[pick])
        rest = np.ones(len(a), dtype=bool)
        rest[pick] = False
        a, b = a[rest], b[rest]
        if 2 * verified < len(pick):
            break
    start, batch = 0, FIRST_BATCH
    while start < len(a):  # then batches, strongest first: the joined pairs are skipped as met
        pick, start = _next_pending(forest, a, b, start, batch)
        forest.check(a[pick], b[pick])
        batch *= 2
    return forest.result()


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
