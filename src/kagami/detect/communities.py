"""Communities in the multilayer account graph, and the features the campaign stage weighs.

The graph is built from ``coaction_edges`` (written by :mod:`kagami.detect.coaction`): a pair of accounts is
joined when at least one of its co-action layers (repost, quote, reply, like, link, hashtag) is significant
(``qvalue <= alpha``, default 0.01); the edge's weight is the sum of the ``weight`` of its significant
layers, so a pair coordinated on several layers binds more tightly than one coordinated on one. Layers that
are not significant add nothing, however many of them there are. Two members of one lockstep group
(:mod:`kagami.detect.lockstep`, when it has run) are joined too, at ``lockstep_weight`` (layer
``lockstep``): CopyCatch finds groups that no pair's significance shows, such as a flood that makes its
own target popular.

Communities are found with Leiden (Traag et al. 2019, ``leidenalg``) maximising the Reichardt–Bornholdt
quality with the configuration null model (``RBConfigurationVertexPartition``). At ``resolution`` 1 it is
weighted modularity, so results read like the coordination literature's; unlike CPM it is degree-corrected,
so a prolific account with many significant edges is not pulled into every group it touches, and it needs
no density threshold tied to the scale of the co-action weights. A larger ``resolution`` splits big
communities (modularity's resolution limit) without changing method. Leiden runs with a fixed ``seed`` on
vertices and edges in sorted order, and communities are numbered by size then smallest member, so the same
edges always give the same communities. Communities smaller than ``min_size`` are dropped.

Per community, computed in SQL against the store (``communities``):

* ``size``; ``density``: significant pairs inside / possible pairs; ``synchrony_s``: median over its
  significant layer edges of their median gap; ``layers``: the significant layers inside it;
* ``coordinated_share``: share of members' posts and likes named in the evidence of its edges (evidence
  lists are bounded, so this is a lower bound); ``outside_share``: share of members' posts and likes that
  touch none of the targets in that evidence (post, link or hashtag);
* ``created_spread_days``: interquartile range of members' account creation dates (NULL when unknown);
  ``median_age_days``: median of (first seen − created), per member;
* ``hubs``: up to ``max_hubs`` authors whose posts are the community's co-acted targets, ranked by how many
  members engaged with them (at least ``hub_min_members``): the seeds being amplified;
* ``target_diversity``: median over members of distinct accounts engaged with / engagements (reposts,
  quotes, replies, likes); ``target_entropy``: Shannon entropy (bits) of the pooled authors engaged with.

``community_members`` lists each member's ``degree`` and ``strength`` (edges and weight inside).

Nothing here decides that a community is a campaign: fans reposting their idol within seconds make a
dense, synchronous community too, with one hub, low target diversity, old accounts and lives outside it.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> detect_communities(store.con)
Traceback (most recent call last):
LookupError: no coaction_edges table: run the co-action detector first
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import igraph as ig
import leidenalg
import numpy as np
import pyarrow as pa

from kagami.detect.sqlfiles import count, drop, run_sql
from kagami.store.sqlfiles import has_table, stage

WORK_TABLES = (
    "lk_cm_groups",
    "cm_edges",
    "cm_nodes",
    "cm_partition",
    "cm_assign",
    "cm_inner",
    "cm_layer_edges",
    "cm_evidence",
    "cm_targets",
    "cm_items",
    "cm_acts",
)


@dataclass(frozen=True, slots=True)
class CommunityParams:
    """Which edges count, how Leiden runs, and how hubs are chosen."""

    alpha: float = 0.01
    """Keep co-action layers with ``qvalue <= alpha`` (false discovery rate over all pairs)."""
    lockstep_weight: float = 10.0
    """Weight of the edge between two members of one lockstep group (as a co-action layer at p = 1e-10)."""
    resolution: float = 1.0
    """Leiden's resolution γ (1.0: modularity); larger values give smaller communities."""
    seed: int = 20250720
    """Leiden's random seed: the same edges and seed give the same communities."""
    min_size: int = 3
    """Communities with fewer members are dropped (pairs are left to the co-action layer)."""
    max_hubs: int = 5
    """Hub accounts listed per community at most."""
    hub_min_members: int = 2
    """A hub's posts must be engaged with by at least this many members."""

    def __post_init__(self) -> None:
        if not 0 < self.alpha <= 1 or self.resolution <= 0 or self.min_size < 2:
            raise ValueError("need 0 < alpha <= 1, resolution > 0 and min_size >= 2")


def leiden(edges: list[tuple[str, str, float]], params: CommunityParams) -> dict[str, int]:
    """Leiden partition of a weighted undirected graph: account -> part number.

    >>> parts = leiden([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0), ("d", "e", 1.0)],
    ...                CommunityParams())
    >>> parts["a"] == parts["b"] == parts["c"] != parts["d"] == parts["e"]
    True
    """
    names = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges})
    index = {name: i for i, name in enumerate(names)}
    ordered = sorted(edges)
    membership = leiden_indexed(
        len(names),
        np.array([index[a] for a, _, _ in ordered], np.int64),
        np.array([index[b] for _, b, _ in ordered], np.int64),
        np.array([w for _, _, w in ordered], np.float64),
        params,
    )
    return {names[v]: part for v, part in enumerate(membership)}


def leiden_indexed(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, params: CommunityParams
) -> list[int]:
    """Leiden on vertices 0..n-1 (an account's number: its rank among the sorted names) and edges in
    sorted order, given as arrays; the part of each vertex. :func:`leiden` and the detector number
    vertices and order edges alike, so both give the same partition.

    >>> leiden_indexed(3, np.array([0, 0, 1]), np.array([1, 2, 2]), np.ones(3), CommunityParams())
    [0, 0, 0]
    """
    graph = ig.Graph(n=n, edges=np.column_stack((src, dst)).tolist())
    graph.es["weight"] = weight.tolist()
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=params.resolution,
        seed=params.seed,
        n_iterations=-1,
    )
    return [int(part) for part in partition.membership]


#: The accounts of cm_edges numbered by rank among the sorted names (from 0), and the edges by those numbers
#: in (a, b) order: the same numbering and order :func:`leiden` gives a list of named edges.
_NODES = """
CREATE OR REPLACE TEMP TABLE cm_nodes AS
SELECT name, row_number() OVER (ORDER BY name) - 1 AS i
FROM (SELECT a AS name FROM cm_edges UNION SELECT b FROM cm_edges)
"""
_INDEXED = """
SELECT va.i AS src, vb.i AS dst, e.weight FROM cm_edges e
JOIN cm_nodes va ON va.name = e.a JOIN cm_nodes vb ON vb.name = e.b
ORDER BY e.a, e.b
"""


def detect_communities(con: duckdb.DuckDBPyConnection, params: CommunityParams | None = None) -> int:
    """Find communities in ``coaction_edges``; write ``communities`` and ``community_members`` and
    return how many communities were found."""
    p = params or CommunityParams()
    values: dict[str, Any] = asdict(p)
    for table in ("coaction_edges", "coaction_evidence"):
        if not has_table(con, table):
            raise LookupError(f"no {table} table: run the co-action detector first")
    stage_lockstep = (
        "CREATE OR REPLACE TEMP TABLE lk_cm_groups AS SELECT group_id, account_uid FROM lockstep_groups"
        if has_table(con, "lockstep_groups")
        else "CREATE OR REPLACE TEMP TABLE lk_cm_groups (group_id BIGINT, account_uid VARCHAR)"
    )
    con.execute(stage_lockstep).fetchall()
    run_sql(con, "communities_graph.sql", values)
    # numbered in SQL and handed over as arrays: 3.1M edges at scale 10 took 7 s as Python tuples
    con.execute(_NODES).fetchall()
    names = [r[0] for r in con.execute("SELECT name FROM cm_nodes ORDER BY i").fetchall()]
    cols = con.execute(_INDEXED).fetchnumpy()
    membership = leiden_indexed(len(names), cols["src"], cols["dst"], cols["weight"], p) if names else []
    table = pa.table({"account_uid": pa.array(names, pa.string()), "part": pa.array(membership, pa.int64())})
    stage(con, "cm_partition", table)
    run_sql(con, "communities_members.sql", values)
    run_sql(con, "communities_activity.sql", values)
    run_sql(con, "communities_features.sql", values)
    drop(con, WORK_TABLES)
    return count(con, "SELECT count(*) FROM communities")
