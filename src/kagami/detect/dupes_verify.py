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
a MinHash estimate. :class:`GramSets` keeps each document's hashes sorted, and ``jaccard`` looks every
n-gram of the smaller set up in the other one's slice by a binary search run for all of them at once
in numpy (a handful of vectorised steps, since a text has at most a few hundred n-grams).

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

from dataclasses import dataclass

import igraph as ig
import numpy as np

#: Pairs whose n-grams are looked up together (bounds the memory of one lookup).
CHUNK = 200_000
#: Candidates checked together in the first batch once Borůvka rounds stop paying; each next batch is
#: twice as large (on the 1M-post benchmark: 1.0M pairs checked of 10.2M candidates, in 9 rounds).
FIRST_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class GramSets:
    """Each document's distinct n-gram hashes, sorted: ``values[offsets[d]:offsets[d + 1]]`` for doc d."""

    values: np.ndarray
    offsets: np.ndarray

    @classmethod
    def from_lists(cls, grams: list[list[int]]) -> GramSets:
        """From one list of distinct hashes per document (sorted here)."""
        lens = np.array([len(g) for g in grams], dtype=np.int64)
        offsets = np.zeros(len(grams) + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        values = np.array([h for g in grams for h in sorted(g)], dtype=np.uint64)
        return cls(values, offsets)

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        """Set sizes of ``docs``."""
        return np.asarray(self.offsets[docs + 1] - self.offsets[docs], dtype=np.int64)

    def jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Exact Jaccard similarity of the sets of documents ``a[i]`` and ``b[i]``."""
        out = np.empty(len(a), dtype=np.float64)
        for start in range(0, len(a), CHUNK):
            x, y = a[start : start + CHUNK], b[start : start + CHUNK]
            lx, ly = self.lengths(x), self.lengths(y)
            inter = self._shared(np.where(lx <= ly, x, y), np.where(lx <= ly, y, x))
            union = lx + ly - inter
            out[start : start + CHUNK] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
        return out

    def _shared(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """How many hashes of each ``p[i]`` are in ``q[i]``: lower bound of each in q's sorted slice."""
        lp = self.lengths(p)
        ends = np.zeros(len(p) + 1, dtype=np.int64)
        np.cumsum(lp, out=ends[1:])
        pos = np.repeat(self.offsets[p] - ends[:-1], lp) + np.arange(ends[-1])
        gram = self.values[pos]
        lo = np.repeat(self.offsets[q], lp)
        left = np.repeat(self.lengths(q), lp)
        last = max(len(self.values) - 1, 0)
        while (live := left > 0).any():
            half = left >> 1
            mid = lo + half
            less = live & (self.values[np.minimum(mid, last)] < gram)
            lo = np.where(less, mid + 1, lo)
            left = np.where(less, left - half - 1, half)
        hit = (lo < np.repeat(self.offsets[q + 1], lp)) & (self.values[np.minimum(lo, last)] == gram)
        return np.bincount(np.repeat(np.arange(len(p)), lp), weights=hit, minlength=len(p)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Verified:
    """Verified pairs (``a < b``) and their Jaccard ``sim``, spanning the components; ``checked``: pairs
    whose similarity was computed."""

    a: np.ndarray
    b: np.ndarray
    sim: np.ndarray
    checked: int


def _merge(comp: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component labels after joining ``a[i]`` and ``b[i]`` (labels: any id, stable within a call)."""
    if len(a) == 0:
        return comp
    graph = ig.Graph(n=len(comp), edges=np.column_stack([comp[a], comp[b]]))
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    return np.asarray(membership[comp], dtype=np.int64)


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
    """Order of the pairs by strength, descending, then (a, b): a sort by (a, b), then a stable one."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    order = np.argsort(a * (int(b.max(initial=0)) + 1) + b)  # pairs are distinct: no ties to keep
    weak = int(strength.max(initial=0)) - np.asarray(strength, dtype=np.int64)[order]
    small = weak.astype(np.uint16) if weak.max(initial=0) < 1 << 16 else weak
    return np.asarray(order[np.argsort(small, kind="stable")], dtype=np.int64)


def spanning_pairs(
    sets: GramSets, a: np.ndarray, b: np.ndarray, strength: np.ndarray, threshold: float
) -> Verified:
    """Check candidates (a[i], b[i]) in rounds, strongest first, skipping pairs already joined."""
    order = _strongest_first(a, b, strength)
    a, b = np.asarray(a, dtype=np.int64)[order], np.asarray(b, dtype=np.int64)[order]
    comp = np.arange(len(sets.offsets) - 1, dtype=np.int64)
    kept_a: list[np.ndarray] = []
    kept_b: list[np.ndarray] = []
    kept_sim: list[np.ndarray] = []
    checked, boruvka, batch = 0, True, FIRST_BATCH
    while len(a):
        apart = comp[a] != comp[b]
        a, b = a[apart], b[apart]
        if not len(a):
            break
        if boruvka:
            pick = _strongest_per_component(comp[a], comp[b], len(comp))
        else:
            pick, batch = np.arange(min(len(a), batch)), 2 * batch
        sim = sets.jaccard(a[pick], b[pick])
        ok = sim >= threshold
        checked += len(pick)
        boruvka = boruvka and 2 * int(ok.sum()) >= len(pick)
        kept_a.append(a[pick][ok])
        kept_b.append(b[pick][ok])
        kept_sim.append(sim[ok])
        comp = _merge(comp, a[pick][ok], b[pick][ok])
        rest = np.ones(len(a), dtype=bool)
        rest[pick] = False
        a, b = a[rest], b[rest]
    return Verified(_cat(kept_a, np.int64), _cat(kept_b, np.int64), _cat(kept_sim, np.float64), checked)


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
