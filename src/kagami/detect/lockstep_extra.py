"""Content events for lockstep: posting in a near-duplicate text cluster, and sharing a rare link.

:mod:`kagami.detect.lockstep` reads engagements (reposts, quotes, likes) from the store; a copy-paste
campaign or a low-and-slow network engages with nothing, it *posts* the same things. This module stages
those posts as lockstep events in ``lk_extra(layer, account, target, t, item)``:

* ``text`` — a post in a near-duplicate text cluster (:mod:`kagami.detect.dupes` must have run), target
  the cluster. Only posts made during a *burst* of their cluster count: at least ``text_burst_min`` of
  its posts within half a band either side, and at least ``text_burst_ratio`` times the cluster's mean
  rate over the period the store's posts cover (a period shorter than ``text_burst_ratio`` bands counts
  as that long). A stock phrase people write every day is no campaign's target; the same phrase pasted
  by dozens on one afternoon is. The target is the cluster's *burst*: its bursting posts split wherever
  half a band passes without one, so a claim pasted in three pushes days apart is three targets (one
  cluster holds all three when the operators reuse the same text).
* ``link`` — a post sharing a link (not inside a repost, not a link to a platform's own post), target the
  normalised URL, when at most ``link_max_accounts`` accounts ever shared that URL (per
  ``link_reference_accounts`` accounts sharing links, never fewer): an obscure blog post passed around a
  network, not the day's news.

>>> from kagami.store import Store
>>> from kagami.detect.lockstep import LockstepParams
>>> store = Store(":memory:")
>>> stage_extra(store.con, LockstepParams(layers=("text", "link")))
>>> store.con.execute("SELECT count(*) FROM lk_extra").fetchall()
[(0,)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

from kagami.store.sqlfiles import has_table

if TYPE_CHECKING:
    from kagami.detect.lockstep import LockstepParams

_TEXT = """
SELECT 'text' AS layer, account, 'text:' || cluster_id || '#' || burst AS target, t, item FROM (
    SELECT *, sum(CASE WHEN gap IS NULL OR gap > $half THEN 1 ELSE 0 END)
                  OVER (PARTITION BY cluster_id ORDER BY ts, item ROWS UNBOUNDED PRECEDING) AS burst
    FROM (
        SELECT *, ts - lag(ts) OVER (PARTITION BY cluster_id ORDER BY ts, item) AS gap
        FROM (
            SELECT *, count(*) OVER (PARTITION BY cluster_id ORDER BY ts
                                     RANGE BETWEEN $half PRECEDING AND $half FOLLOWING) AS local_n,
                   count(*) OVER (PARTITION BY cluster_id) AS total
            FROM (
                SELECT p.author_uid AS account, c.cluster_id, p.created_at AS t, p.uid AS item,
                       epoch(p.created_at) AS ts
                FROM posts p JOIN post_text_cluster c ON c.post_uid = p.uid
                WHERE p.author_uid IS NOT NULL AND p.created_at IS NOT NULL
            ) cp
        ) w, (SELECT max(epoch(created_at)) - min(epoch(created_at)) AS span FROM posts) period
        WHERE local_n >= $burst_min
          AND local_n >= $ratio * total * $band / greatest(period.span, $ratio * $band)
    ) b
) s
"""

_LINK = """
SELECT 'link' AS layer, account, 'url:' || target AS target, t, item FROM (
    SELECT l.author_uid AS account, l.normalized AS target, l.created_at AS t, l.post_uid AS item,
           count(DISTINCT l.author_uid) OVER (PARTITION BY l.normalized) AS sharers
    FROM post_links l JOIN posts p ON p.uid = l.post_uid
    WHERE l.normalized IS NOT NULL AND l.author_uid IS NOT NULL AND l.created_at IS NOT NULL
      AND p.kind <> 'repost'
      AND NOT regexp_matches(l.normalized, '^https?://((www|mobile)\\.)?(x|twitter)\\.com/[^/]+/status/')
      AND NOT regexp_matches(l.normalized, '^https?://bsky\\.app/profile/[^/]+/post/')
) s
WHERE sharers <= greatest($link_max, ceil($link_max * (SELECT count(DISTINCT author_uid) FROM post_links)
                                          / $reference))
"""

_EMPTY = (
    "SELECT CAST(NULL AS VARCHAR) AS layer, CAST(NULL AS VARCHAR) AS account, "
    "CAST(NULL AS VARCHAR) AS target, CAST(NULL AS TIMESTAMPTZ) AS t, "
    "CAST(NULL AS VARCHAR) AS item WHERE false"
)


def stage_extra(con: duckdb.DuckDBPyConnection, p: LockstepParams) -> None:
    """Create ``lk_extra`` with the content events ``p.layers`` asks for (empty when it asks for none)."""
    parts = [_EMPTY]
    values: dict[str, Any] = {}
    if "text" in p.layers and has_table(con, "post_text_cluster"):
        parts.append(_TEXT)
        values |= {"half": p.band_s / 2, "band": p.band_s, "burst_min": p.text_burst_min,
                   "ratio": p.text_burst_ratio}  # fmt: skip
    if "link" in p.layers and has_table(con, "post_links"):
        parts.append(_LINK)
        values |= {"link_max": p.link_max_accounts, "reference": p.link_reference_accounts}
    sql = "CREATE OR REPLACE TEMP TABLE lk_extra AS " + " UNION ALL ".join(f"({q})" for q in parts)
    con.execute(sql, values).fetchall()
