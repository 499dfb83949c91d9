"""Co-action layers: two accounts are linked when they act on the same target within a time window, and
each link is judged against what chance would produce.

Layers (targets): ``repost`` (the reposted post), ``quote`` (the quoted post), ``reply`` (the post replied
to), ``like`` (the liked post; timed likes only), ``link`` (the normalised URL), ``hashtag`` (a
distinctive tag, NFKC and case folded) and ``text`` (identical normalised text). Settings and why their
defaults are what they are: :mod:`kagami.detect.coaction_config`.

Pairs come from a time-bucketed band join (``sql/coaction.sql``): bucket = floor(t / width) with width
>= the window, and an event meets its own bucket and the next, so work grows with the events near each
other in time, not with the square of a target's engagers. A (target, bucket) cell with more than
``viral_cap`` events is not paired: a crowd of thousands acting on a viral post within one window says
nothing about any two of them. Those events still count in the null model (below), which only makes
p-values larger; a group that acts only on viral targets is left to other detectors (lockstep).
Pairs are found and counted on dense integer ids (which sort as the names do), then built
``SLICE_ROWS`` pair-targets at a time so that memory stays within the store's limit at millions of events.
The evidence stays in integers (``coaction_evidence_rows``); each event it cites is named once
(``coaction_evidence_events``), and the view ``coaction_evidence`` joins the names back.

Significance (full text in docs/detection.md). For a pair (u, v) the statistic is n = the number of
distinct targets on which they acted within the window of each other. Under the null, v's d_v events
land on targets and times as the layer's events do (in proportion to each target's popularity and
time profile) independently of u. One such event falls within the window of one of u's events with
probability m_e / E (m_e: other accounts' events within the window of u's event e on its target; E: the
layer's events), so the expected number of coincidences is d_v * M_u / E, with M_u = sum of m_e.
Conditioning on v instead gives d_u * M_v / E; Kagami takes the larger, lam = max(...), which is valid
under both. Co-acted targets are at most coincidences, so p = P(Poisson(lam) >= n) is conservative.
Active accounts and popular, bursty targets make M and d large, hence lam large and p large: heavy but
ordinary users do not look coordinated. q-values: Benjamini-Hochberg over every pair of accounts with
at least ``min_repetitions`` targets in the layer (unseen pairs have p = 1). ``weight`` = -log10 p.
Failure modes: accounts that share an interest (fans of one idol, members of one newsroom) act on the
same obscure targets far more than chance; significance says "not chance", never "inauthentic".

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> counts = build_edges(store)
>>> counts["repost"].edges, store.scalar("SELECT count(*) FROM coaction_edges")
(0, 0)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import pyarrow as pa

from kagami.detect.coaction_config import EVENTS_OF, LAYERS, CoactionConfig, LayerConfig
from kagami.detect.sqlfiles import sections
from kagami.detect.textnorm import fold
from kagami.store import Store
from kagami.store.sqlfiles import run_script, stage

EDGES_DDL = """
CREATE OR REPLACE TABLE coaction_edges (
    layer VARCHAR, a VARCHAR, b VARCHAR, n_targets BIGINT, n_events BIGINT, min_gap_s DOUBLE,
    median_gap_s DOUBLE, expected DOUBLE, pvalue DOUBLE, qvalue DOUBLE, weight DOUBLE
);
CREATE OR REPLACE TABLE coaction_evidence_rows (
    layer VARCHAR, a_eid INTEGER, b_eid INTEGER, rank INTEGER, gap_us BIGINT
);
CREATE OR REPLACE TABLE coaction_evidence_events (
    layer VARCHAR, eid INTEGER, account VARCHAR, target VARCHAR, item VARCHAR, t_us BIGINT
);
CREATE OR REPLACE VIEW coaction_evidence AS
SELECT r.layer, x.account AS a, y.account AS b, r.rank, x.target, x.item AS a_item, y.item AS b_item,
       CAST(make_timestamp(x.t_us) AS TIMESTAMPTZ) AS a_time,
       CAST(make_timestamp(y.t_us) AS TIMESTAMPTZ) AS b_time, r.gap_us / 1e6 AS gap_s
FROM coaction_evidence_rows r
JOIN coaction_evidence_events x ON x.layer = r.layer AND x.eid = r.a_eid
JOIN coaction_evidence_events y ON y.layer = r.layer AND y.eid = r.b_eid
"""

#: Pair-targets per slice: the edges are built a slice of pairs at a time so that memory stays bounded.
SLICE_ROWS = 4_000_000

#: q-value under which ``LayerCounts.significant`` counts an edge.
ALPHA = 0.05


@dataclass(slots=True)
class LayerCounts:
    """What building one layer found: its input, the window used, pairs and edges, what was capped."""

    layer: str
    events: int = 0
    accounts: int = 0
    window_s: float = 0.0
    pair_targets: int = 0
    edges: int = 0
    significant: int = 0
    cap: int = 0
    capped_cells: int = 0
    capped_events: int = 0
    seconds: float = 0.0


def _tagmap(store: Store) -> None:
    """``_co_tagmap(tag, norm)``: every stored hashtag, NFKC-normalised and case-folded (ＡＢＣ = abc)."""
    tags = [
        r[0]
        for r in store.con.execute("SELECT DISTINCT tag FROM post_hashtags WHERE tag IS NOT NULL").fetchall()
    ]
    norm = [fold(t).lstrip("#") for t in tags]
    table = pa.table({"tag": pa.array(tags, pa.string()), "norm": pa.array(norm, pa.string())})
    stage(store.con, "_co_tagmap", table)


def _exists(store: Store, name: str, kind: Literal["view", "table"] = "view") -> bool:
    """Whether the store holds a view (or a table) of that name."""
    where = "duckdb_views() WHERE view_name" if kind == "view" else "duckdb_tables() WHERE table_name"
    return bool(store.scalar(f"SELECT count(*) FROM {where} = ?", [name]))  # noqa: S608 - fixed names


def events(store: Store, layer: str, config: CoactionConfig | None = None) -> duckdb.DuckDBPyRelation:
    """Stage the layer's events as the temp table ``_co_ev`` (account, target, t_us, item, target_us).

    >>> from kagami.store import Store
    >>> events(Store(":memory:"), "repost").columns
    ['account', 'target', 't_us', 'item', 'target_us']
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown co-action layer {layer!r}; known: {', '.join(LAYERS)}")
    cfg = config or CoactionConfig()
    source = EVENTS_OF.get(layer, layer)
    sql = sections("events.sql")[source]
    params: dict[str, Any] = {}
    if source == "hashtag":
        _tagmap(store)
        params["max_accounts"] = cfg.hashtag_max_accounts
        params["by_day"] = layer == "hashtag_day"
    elif source == "text":
        if _exists(store, "post_text_cluster"):
            sql = sections("events.sql")["text_clusters"]
        else:
            params["min_chars"] = cfg.text_min_chars
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE _co_ev AS {sql}", params)
    return store.con.table("_co_ev")


def window_us(store: Store, layer: LayerConfig) -> int:
    """The layer's window in microseconds: fixed, or the quantile of its time-to-share (staged events)."""
    seconds = layer.window_s
    if layer.quantile_window is not None:
        row = store.con.execute(sections("coaction.sql")["window"], {"q": layer.quantile_window}).fetchone()
        if row is not None and row[0] is not None:
            seconds = max(1.0, float(row[0]))
    return round(seconds * 1_000_000)


def _layer(store: Store, layer: LayerConfig, cfg: CoactionConfig) -> LayerCounts:
    """Build one layer's edges into ``coaction_edges`` from the staged events."""
    sql = sections("coaction.sql")
    q = store.con.execute
    counts = LayerCounts(layer.name)
    w_us = window_us(store, layer)
    counts.window_s = w_us / 1e6
    width = max(w_us, 1_000_000)  # buckets at least one second wide, and never narrower than the window
    run_script(store.con, sql["ids"], {"width": width, "w_us": w_us})
    counts.events = int(store.scalar("SELECT count(*) FROM _co_ea"))
    counts.accounts = int(store.scalar("SELECT count(DISTINCT aid) FROM _co_ea"))
    if counts.events == 0:
        return counts
    cap = cfg.cap_for(layer, counts.accounts)
    counts.cap = cap
    q(sql["cells"])
    cells = q(sql["capped"], {"cap": cap}).fetchone()
    counts.capped_cells, counts.capped_events = (int(cells[1]), int(cells[2])) if cells else (0, 0)
    q(sql["bucketed"], {"cap": cap})
    q(sql["prune"], {"min_rep": layer.min_repetitions})
    q(sql["pairs"], {"w_us": w_us})
    counts.pair_targets = int(store.scalar("SELECT count(*) FROM _co_pt"))
    parts = max(1, math.ceil(counts.pair_targets / SLICE_ROWS))
    run_script(store.con, sql["init"], {})
    for part in range(parts):
        at = {"parts": parts, "part": part}
        q(sql["rank"], {**at, "min_rep": layer.min_repetitions})
        q(sql["stats"])
        q(sql["top"], {"keep": max(1, cfg.evidence)})
    q(sql["null"], {"w_us": w_us})
    eligible = int(
        store.scalar(
            "SELECT count(*) FROM (SELECT aid FROM _co_ea GROUP BY aid HAVING count(DISTINCT tid) >= ?)",
            [layer.min_repetitions],
        )
    )
    family = max(1.0, eligible * (eligible - 1) / 2)
    q(sql["score"], {"incidences": float(counts.events), "family": family})
    q(sql["edges"], {"layer": layer.name})
    for part in range(parts):
        q(sql["evidence"], {"parts": parts, "part": part, "layer": layer.name})
    q(sql["evidence_events"], {"layer": layer.name})
    counts.edges = int(store.scalar("SELECT count(*) FROM coaction_edges WHERE layer = ?", [layer.name]))
    counts.significant = int(
        store.scalar(
            "SELECT count(*) FROM coaction_edges WHERE layer = ? AND qvalue <= ?", [layer.name, ALPHA]
        )
    )
    return counts


TEMP_TABLES = (
    "_co_ev",
    "_co_ea",
    "_co_ei",
    "_co_cell",
    "_co_b",
    "_co_pt",
    "_co_r",
    "_co_e",
    "_co_top",
    "_co_q",
    "_co_acct",
    "_co_tagmap",
)


def _cleanup(store: Store) -> None:
    for t in TEMP_TABLES:
        store.con.execute(f"DROP TABLE IF EXISTS {t}")


def _drop_old_evidence_table(store: Store) -> None:
    """Stores built before the evidence was kept as integer rows hold ``coaction_evidence`` as a table; the
    view of that name cannot replace it."""
    if _exists(store, "coaction_evidence", "table"):
        store.con.execute("DROP TABLE coaction_evidence")


def build_edges(store: Store, config: CoactionConfig | None = None) -> dict[str, LayerCounts]:
    """(Re)build ``coaction_edges`` for every enabled layer; return what each layer found.

    One row per unordered pair (a < b) per layer with at least ``min_repetitions`` shared targets, with
    its expected count under the null, p-value, BH q-value and weight (-log10 p); its closest co-actions
    (up to ``evidence`` targets, ranked 1, 2, ... by gap, then target) are rows of ``coaction_evidence``
    keyed by (layer, a, b). Detected by the time-gap evidence, never by account names.
    """
    cfg = config or CoactionConfig()
    _drop_old_evidence_table(store)
    run_script(store.con, EDGES_DDL)
    out: dict[str, LayerCounts] = {}
    try:
        for layer in cfg.enabled():
            started = time.perf_counter()
            events(store, layer.name, cfg)
            out[layer.name] = _layer(store, layer, cfg)
            out[layer.name].seconds = time.perf_counter() - started
    finally:
        _cleanup(store)
    return out


def poisson_sf(n: int, lam: float) -> float:
    """P(Poisson(lam) >= n) in plain Python, summed the way the SQL sums it; the tests' reference.

    >>> round(poisson_sf(2, 0.1), 6)
    0.004679
    """
    if n <= 0:
        return 1.0

    def term(k: int) -> float:
        return math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))

    if n > lam:
        return sum(term(k) for k in range(n, n + 40 + math.ceil(12 * math.sqrt(lam))))
    return max(0.0, 1.0 - sum(term(k) for k in range(n)))
