"""Copy-paste clusters: posts whose wording is the same or nearly the same, whoever posted them.

Pipeline (``build_text_clusters``):

1. Texts of their own: every post that is not a repost (``sql/dupes.sql`` ``posts``).
2. Normalisation (:mod:`kagami.detect.textnorm`) of each distinct raw text; normalised texts shorter than
   ``min_chars`` are not compared. Identical normalised texts are one *document*: exact duplicates are
   grouped by equality (a hash join), never compared pairwise.
3. Candidates: MinHash LSH (:mod:`kagami.detect.dupes_lsh`) over each document's set of unit 3-grams, a
   unit being a Latin word or any other character, so Japanese is shingled by characters (word 2-grams
   for mostly Latin texts).
4. Verification (:mod:`kagami.detect.dupes_verify`): the exact Jaccard similarity of the two n-gram
   sets; pairs at or above ``threshold`` are kept. Candidates are checked strongest first, and one whose
   documents verified pairs have already joined is skipped: it could not change a component.
5. Clusters: connected components of verified pairs (scipy); every component with at least two posts
   becomes a cluster, identified by a hash of its smallest normalised text, so ids do not depend on
   numbering or order. Its first post (earliest, then smallest uid) is the exemplar; each member carries
   its similarity to the exemplar.

Output: ``text_clusters``, ``text_cluster_members`` and the view ``post_text_cluster(post_uid,
cluster_id)``, which the co-action ``text`` layer can use as its target.

A cluster says "these posts share wording"; it never says who copied whom or why. Identical press
releases posted by a party's members cluster, and so do honest cross-posts by one person on two
platforms; ``accounts``, ``platforms`` and ``spread_s`` are there to tell these apart downstream.

>>> from kagami.store import Store
>>> counts = build_text_clusters(Store(":memory:"))
>>> counts.posts, counts.clusters
(0, 0)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from kagami.detect.dupes_lsh import band_keys, candidate_pairs, flat_grams
from kagami.detect.dupes_verify import GramSets, Verified, components, spanning_pairs
from kagami.detect.sqlfiles import count, drop, sections
from kagami.detect.textnorm import MIN_CHARS, normalize
from kagami.store import Store
from kagami.store.sqlfiles import run_script, stage

_TEMP = ("_td_posts", "_td_norm", "_td_docs", "_td_pd", "_td_comp", "_td_m", "_td_sim")


@dataclass(frozen=True, slots=True)
class TextClusterConfig:
    """Settings of copy-paste clustering; why the defaults: docs/signals/copypasta.md.

    ``ngram``: units per shingle (a unit is a Latin word or any other character); ``word_ngram`` when at
    least half the units are Latin words. ``threshold``: Jaccard
    of the shingle sets at or above which two texts are near duplicates. ``min_chars``: shortest
    normalised text compared. ``num_perm``/``bands``: MinHash size and LSH bands. ``bucket_window``: in
    an LSH bucket, each text meets the bucket's first text and this many next ones.
    ``fold_kana``: fold katakana to hiragana before comparing.
    """

    ngram: int = 3
    word_ngram: int = 2
    threshold: float = 0.5
    min_chars: int = MIN_CHARS
    num_perm: int = 128
    bands: int = 32
    bucket_window: int = 1
    fold_kana: bool = False
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if min(self.ngram, self.word_ngram) < 1 or self.min_chars < self.ngram:
            raise ValueError(
                f"need 1 <= ngram <= min_chars, not ngram={self.ngram} min_chars={self.min_chars}"
            )
        if self.bucket_window < 1:
            raise ValueError(f"bucket_window must be >= 1, not {self.bucket_window}")


@dataclass(slots=True)
class TextClusterCounts:
    """What one run found: inputs, candidates, pairs checked and verified, clusters; and how long it took.

    ``checked_pairs``: candidates whose similarity was computed (those already joined are skipped);
    ``verified_pairs``: the checked ones at or above the threshold, a spanning forest of the clusters.
    """

    posts: int = 0
    distinct_texts: int = 0
    documents: int = 0
    short_posts: int = 0
    candidates: int = 0
    checked_pairs: int = 0
    verified_pairs: int = 0
    clusters: int = 0
    clustered_posts: int = 0
    seconds: float = 0.0


def _normalise(store: Store, cfg: TextClusterConfig) -> None:
    """``_td_norm(text, norm)``: every distinct raw text and its normalised form."""
    raw = store.con.sql(sections("dupes.sql")["raw"]).to_arrow_table().column(0).to_pylist()
    norm = [normalize(t, fold_kana=cfg.fold_kana) for t in raw]
    table = pa.table({"text": pa.array(raw, pa.string()), "norm": pa.array(norm, pa.string())})
    stage(store.con, "_td_norm", table)


def _components(store: Store, verified: Verified, documents: int) -> None:
    """``_td_comp(doc, comp)``: each document in a verified pair and its component's smallest document."""
    a, b = verified.a, verified.b
    docs = np.unique(np.concatenate([a, b]))
    comp = np.empty(0, dtype=np.int64)
    if len(docs):
        membership = components(len(docs), np.searchsorted(docs, a), np.searchsorted(docs, b))
        smallest = np.full(membership.max() + 1, documents, dtype=np.int64)
        np.minimum.at(smallest, membership, docs)
        comp = smallest[membership]
    table = pa.table({"doc": pa.array(docs, pa.int64()), "comp": pa.array(comp, pa.int64())})
    stage(store.con, "_td_comp", table)


def _gram_sets(store: Store, cfg: TextClusterConfig) -> GramSets:
    """Every document's distinct n-gram hashes, sorted, flat, in document order."""
    params = {"n": cfg.ngram, "word_n": cfg.word_ngram}
    grams = store.con.sql(sections("dupes.sql")["grams"], params=params).to_arrow_table().column(0)
    return GramSets.of(*flat_grams(grams))


def _verified(sets: GramSets, cfg: TextClusterConfig, out: TextClusterCounts) -> Verified:
    """LSH candidates (documents sharing a band key), checked by their exact Jaccard."""
    offsets = sets.offsets.astype(np.uint64)
    keys = band_keys(sets.values, offsets, cfg.num_perm, cfg.bands, cfg.seed)
    a, b, strength = candidate_pairs(np.arange(len(keys), dtype=np.int64), keys, cfg.bucket_window)
    out.candidates = len(a)
    verified = spanning_pairs(sets, a, b, strength, cfg.threshold)
    out.checked_pairs, out.verified_pairs = verified.checked, len(verified.a)
    return verified


def _exemplar_similarity(store: Store, sets: GramSets) -> None:
    """``_td_sim(a, b, sim)``: the Jaccard of each clustered document ``a`` with its exemplar's ``b``."""
    pairs = store.con.execute(sections("dupes.sql")["exemplar_pairs"]).fetchnumpy()
    a, b = (np.asarray(pairs[k], dtype=np.int64) for k in ("a", "b"))
    table = pa.table({"a": pa.array(a), "b": pa.array(b), "sim": pa.array(sets.jaccard(a, b), pa.float64())})
    stage(store.con, "_td_sim", table)


def build_text_clusters(store: Store, config: TextClusterConfig | None = None) -> TextClusterCounts:
    """(Re)build ``text_clusters``, ``text_cluster_members`` and ``post_text_cluster``; return counts."""
    cfg = config or TextClusterConfig()
    started = time.perf_counter()
    sql = sections("dupes.sql")
    con = store.con
    out = TextClusterCounts()
    try:
        con.execute(sql["posts"])
        _normalise(store, cfg)
        con.execute(sql["docs"], {"min_chars": cfg.min_chars})
        con.execute(sql["post_docs"])
        sets = _gram_sets(store, cfg)
        verified = _verified(sets, cfg, out)
        out.documents = count(con, "SELECT count(*) FROM _td_docs")
        _components(store, verified, out.documents)
        con.execute(sql["members"])
        _exemplar_similarity(store, sets)
        run_script(con, sql["clusters"])
        out.posts = count(con, "SELECT count(*) FROM _td_posts")
        out.distinct_texts = count(con, "SELECT count(*) FROM _td_norm")
        out.short_posts = out.posts - count(con, "SELECT count(*) FROM _td_pd")
        out.clusters = count(con, "SELECT count(*) FROM text_clusters")
        out.clustered_posts = count(con, "SELECT count(*) FROM text_cluster_members")
    finally:
        drop(con, _TEMP)
    out.seconds = time.perf_counter() - started
    return out
