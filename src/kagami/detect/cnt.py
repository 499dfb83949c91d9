"""coordination-network-toolkit's co-action networks over Kagami's store, for the peer cross-check.

The toolkit (QUT, PyPI ``coordination-network-toolkit`` 1.5.2) defines, for co_retweet (same reposted
message), co_link (same URL as written, in messages that are not reposts) and co_tweet (same text after
its ``message_preprocessor``: lower-case, strip @mentions, collapse white space), a DIRECTED weight:
the number of distinct messages of user 1 matched by at least one message of user 2 on the same target
with ``|t1 - t2| <= window`` (inclusive, symmetric), kept when ``>= min_edge_weight``. :func:`cnt_edges`
reproduces those definitions exactly (``bench/peers/cnt_compare.py`` checks it against the toolkit), and
co_similar_tweet (Jaccard similarity of word-token sets, :mod:`kagami.detect.cnt_similar`) as well.
co_like is its co_retweet definition over likes: the toolkit has no like network, and computes this when
likes are fed to it as reposts of the liked post (``bench/peers/likes_compare.py``, the 10M-action case).

It counts without DISTINCT (``sql/cnt.sql`` ``directed``): the messages of u2 that match one message of
u1 form a run in u2's time-ordered messages on that target, and only the pair row whose u2 side starts
the run is counted, so each matched message of u1 counts once; one band join yields both directions of a
pair. Only messages with several targets (a post with several URLs) go through DISTINCT, apart.
Messages are named by the posts row's rowid (one row per uid in the store), accounts and targets by
numbers; names come back only on the final edges.

Deliberate differences: self-matches are never edges (the toolkit stores them in its tables; its own
export drops them), and the '' URL its CSV reader makes of an empty field is not a link.

>>> from kagami.store import Store
>>> cnt_edges(Store(":memory:"), "co_retweet", 60, 2).columns
['user_1', 'user_2', 'weight']
"""

from __future__ import annotations

import duckdb

from kagami.detect.cnt_similar import similar_edges
from kagami.detect.sqlfiles import drop, sections
from kagami.store import Store
from kagami.store.sqlfiles import run_script

NETWORKS = ("co_retweet", "co_link", "co_tweet", "co_similar_tweet", "co_like")

#: Staging tables dropped after each run; ``_cnt_edges`` stays for the caller.
_TEMP = ("_cnt_ev", "_cnt_acct", "_cnt_b", "_cnt_s")


def cnt_edges(
    store: Store,
    layer: str,
    window_s: float,
    min_weight: int = 1,
    *,
    similarity_threshold: float = 0.8,
    min_tokens: float = 1,
) -> duckdb.DuckDBPyRelation:
    """Directed edges (user_1, user_2, weight) of one toolkit network, as the temp table ``_cnt_edges``.

    ``min_weight`` below 1 is taken as 1: an edge has at least one matched message, as in the toolkit.
    ``similarity_threshold`` and ``min_tokens`` are co_similar_tweet's (the toolkit CLI's
    ``--similarity_threshold`` and ``--min_document_size_similarity``, with its defaults).
    """
    if layer not in NETWORKS:
        raise ValueError(f"unknown network {layer!r}; known: {', '.join(NETWORKS)}")
    sql = sections("cnt.sql")
    w_us = round(window_s * 1_000_000)
    params = {"width": max(w_us, 1_000_000), "w_us": w_us, "min_weight": max(min_weight, 1)}
    if layer == "co_similar_tweet":
        similar_edges(store, w_us, params["width"], params["min_weight"], similarity_threshold, min_tokens)
        return store.con.table("_cnt_edges")
    try:
        run_script(store.con, sql["candidates"].replace("{EVENTS}", sql[layer]), {"w_us": w_us})
        run_script(store.con, sql["directed"], params)
    finally:
        drop(store.con, _TEMP)
    return store.con.table("_cnt_edges")
