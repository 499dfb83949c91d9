"""coordination-network-toolkit's co-action networks over Kagami's store, for the peer cross-check.

The toolkit (QUT, PyPI ``coordination-network-toolkit`` 1.5.2) defines, for co_retweet (same reposted
message), co_link (same URL as written, in messages that are not reposts) and co_tweet (same text after
its ``message_preprocessor``: lower-case, strip @mentions, collapse white space), a DIRECTED weight:
the number of distinct messages of user 1 matched by at least one message of user 2 on the same target
with ``|t1 - t2| <= window`` (inclusive, symmetric), kept when ``>= min_edge_weight``. :func:`cnt_edges`
reproduces those definitions exactly (``bench/peers/cnt_compare.py`` checks it against the toolkit).

Deliberate differences: self-matches are never edges (the toolkit stores them in its tables; its own
export drops them), and the '' URL its CSV reader makes of an empty field is not a link.

>>> from kagami.store import Store
>>> cnt_edges(Store(":memory:"), "co_retweet", 60, 2).columns
['user_1', 'user_2', 'weight']
"""

from __future__ import annotations

import duckdb

from kagami.detect.sqlfiles import sections
from kagami.store import Store
from kagami.store.sqlfiles import run_script

NETWORKS = ("co_retweet", "co_link", "co_tweet")


def cnt_edges(store: Store, layer: str, window_s: float, min_weight: int = 1) -> duckdb.DuckDBPyRelation:
    """Directed edges (user_1, user_2, weight) of one toolkit network, as the temp table ``_cnt_edges``."""
    if layer not in NETWORKS:
        raise ValueError(f"unknown network {layer!r}; known: {', '.join(NETWORKS)}")
    sql = sections("cnt.sql")
    w_us = round(window_s * 1_000_000)
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE _cnt_ev AS {sql[layer]}")
    try:
        run_script(
            store.con,
            sql["directed"],
            {"width": max(w_us, 1_000_000), "w_us": w_us, "min_weight": min_weight},
        )
    finally:
        store.con.execute("DROP TABLE IF EXISTS _cnt_ev")
        store.con.execute("DROP TABLE IF EXISTS _cnt_acct")
    return store.con.table("_cnt_edges")
