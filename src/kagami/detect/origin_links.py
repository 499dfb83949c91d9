"""Link and amplification indicators: state-affiliated media, documented information-operation domains,
look-alikes of Japanese news outlets, and amplification of listed state accounts.

Every link in ``post_links`` is matched by its host: watchlist ``domain`` rows by equality with one of
the host's suffixes (a SQL equi-join, no pairwise loop), ``contains`` and ``pattern`` rows (few) by
substring or regular expression at ``contains_weight`` (0.5) of their weight, since they are looser.
A watchlist row's weight is its risk level's (critical 1, high 0.9, medium 0.6, low 0.3; shipped
state-media rows 1). Look-alikes come from :mod:`kagami.detect.origin_lookalike` over the distinct hosts.
Posts that repost, quote or reply to an account whose handle is on a handle list (e.g. PRC diplomats and
state media), or mention it, become ``state_handle`` rows (score ``handle_weight``, 0.5: quoting an
embassy is often criticism). Each host keeps its best match per indicator. A repost carries the links of
its original: it counts at ``repost_weight`` (0.25) of its score (``via`` says which kind of post it was).

``origin_links``: post_uid, author_uid, domain, indicator, matched, operation (the watchlist's operation,
the look-alike method or the listed account's description), source, via (post, repost, quote, reply,
mention), score. ``origin_link_accounts``: per
account, posts per indicator and confidence = S / (S + 2) with S the sum over posts of their best score:
one state-media link gives 0.33, six give 0.75. Linking is not endorsing: researchers, journalists and
critics link these sites too.

>>> from kagami.store import Store
>>> origin_links(Store(":memory:"), watchlists=[])
0
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from kagami.detect.origin_lookalike import lookalike
from kagami.detect.sqlfiles import drop, sections
from kagami.detect.watchlists import load_handles, state_media
from kagami.store import Store
from kagami.store.sqlfiles import stage

WORK = ("_oli_links", "_oli_suffix", "_oli_watch", "_oli_look", "_oli_handles")


def watch_table(watchlists: Sequence[pa.Table]) -> pa.Table:
    """The usable rows of the shipped state-media list and of ``watchlists``, with their indicator."""
    parts = [(state_media(), "state_media"), *((w, "io_watchlist") for w in watchlists)]
    rows = [
        {"indicator": kind, "domain": r["domain"], "match": r["match"], "source": r["source"],
         "operation": r["operation"] or r["label"], "weight": r["risk_weight"]}
        for table, kind in parts for r in table.to_pylist() if r["usable"]
    ]  # fmt: skip
    names = ("indicator", "domain", "match", "source", "operation")
    schema = pa.schema([*((n, pa.string()) for n in names), ("weight", pa.float64())])
    return pa.Table.from_pylist(rows, schema=schema)


def origin_links(
    store: Store,
    watchlists: Sequence[pa.Table] = (),
    handles: Sequence[str | Path] = (),
    *,
    contains_weight: float = 0.5,
    handle_weight: float = 0.5,
    repost_weight: float = 0.25,
    prior: float = 2.0,
) -> int:
    """(Re)write ``origin_links`` and ``origin_link_accounts``; return the number of link rows.

    ``watchlists``: tables from :func:`kagami.detect.watchlists.load_watchlist`; ``handles``: handle lists
    for :func:`kagami.detect.watchlists.load_handles`.
    """
    sql = sections("origin_links.sql")
    q = store.con.execute
    try:
        q(sql["links"])
        q(sql["hosts"])
        stage(store.con, "_oli_watch", watch_table(watchlists))
        hosts = [
            r[0] for r in q("SELECT DISTINCT host FROM _oli_links WHERE host <> '' ORDER BY host").fetchall()
        ]
        found = [(h, *hit) for h in hosts if (hit := lookalike(h))]
        cols: list[tuple[object, ...]] = list(zip(*found, strict=True)) if found else [(), (), (), ()]
        stage(store.con, "_oli_look", pa.table({"host": pa.array(cols[0], pa.string()),
                                             "matched": pa.array(cols[1], pa.string()),
                                             "method": pa.array(cols[2], pa.string()),
                                             "score": pa.array(cols[3], pa.float64())}))  # fmt: skip
        lists = [load_handles(p) for p in handles]
        schema = pa.schema([("handle", pa.string()), ("label", pa.string()), ("source", pa.string())])
        stage(store.con, "_oli_handles", pa.concat_tables(lists) if lists else schema.empty_table())
        weights = {"contains_weight": contains_weight, "handle_weight": handle_weight}
        q(sql["output"], weights | {"repost_weight": repost_weight})
        q(sql["accounts"], {"prior": prior})
    finally:
        drop(store.con, WORK)
    return int(store.scalar("SELECT count(*) FROM origin_links"))
