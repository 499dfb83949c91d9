"""Lockstep engagement, in the manner of CopyCatch (Beutel et al., WWW 2013).

A lockstep group is a set of at least ``m`` accounts that each engaged (reposted, quoted or liked) with at
least ``n`` of the same targets, the group's engagements with each target falling inside one time band of
width ``Δt``. Honest crowds engage with a popular post too, but spread over hours and days and each with
different posts; a group that keeps arriving together, target after target, is what this finds.

The search runs in DuckDB, as SQL files in ``detect/sql/lockstep_*.sql``, and is deterministic:

1. **events** — each account's first engagement with each target (``lk_events``);
2. **pairs** — accounts sharing at least ``n`` targets within ``Δt`` of each other, by a band join on
   time buckets of width ``Δt`` (an equi-join on target and bucket, so it stays portable to Spark SQL);
   targets with more than ``max_engagers`` engagers are left out of this step only;
3. **seeds** — one seed group per account with at least ``m - 1`` partners: it and its partners (seeds
   with the same members once: the refinement would treat them alike and keep the first);
4. **refinement** (CopyCatch's alternation, repeated until no group changes or ``max_iter``):
   for each group and target, the band of width ``Δt`` holding the most members (a target stays when
   ``target_min`` members fall in it); then every account, member or not, belongs to the group when it
   engaged inside the band with at least ``max(n, ρ · |targets|)`` of the group's targets;
5. **output** — groups sharing half their members with a larger group are dropped as its variants.

It writes ``lockstep_groups(group_id, account_uid, targets, layer)`` (``targets``: the member's in-band
engagements with the group's targets; ``layer``: the kind of engagement it used most) and
``lockstep_summary(group_id, size, targets, band_s, first_t, last_t, evidence)`` (``band_s``: the widest
observed spread of one target's in-band engagements; ``evidence``: the group's best-attended targets with
who engaged when, both lists bounded).

Scale: accounts and targets get dense integer ids in the order of their names, so comparisons and
tie-breaks are those of the names, and the names are joined back only for the output. The pairs, the
bands and the membership counts are built a slice of groups (or of accounts) at a time, about
``SLICE_ROWS`` joined rows per slice, so that memory stays within the store's limit at millions of events.

Lockstep is a signal, not a verdict: fans of an idol and a party's volunteers move in lockstep too. The
campaign stage weighs it with the features of :mod:`kagami.detect.communities`.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> detect_lockstep(store.con)
0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from kagami.detect.lockstep_extra import stage_extra
from kagami.detect.sqlfiles import count, drop, run_sql, sections
from kagami.store.sqlfiles import run_script

LAYERS = ("repost", "quote", "like")
#: Every kind of event lockstep can use: the engagements, and the content events of
#: :mod:`kagami.detect.lockstep_extra` (posts in a bursting text cluster, shares of a rare link).
KINDS = (*LAYERS, "text", "link")
WORK_TABLES = (
    "lk_extra",
    "lk_raw",
    "lk_seeds",
    "lk_accounts",
    "lk_target_ids",
    "lk_events",
    "lk_pe",
    "lk_pairs",
    "lk_members",
    "lk_bands",
    "lk_kept",
    "lk_next",
    "lk_targets",
    "lk_hits",
    "lk_keep",
    "lk_all",
    "lk_dirty",
    "lk_targets_done",
    "lk_kept_done",
)

#: Joined rows per slice: pairs, bands and memberships are built a slice at a time so memory stays bounded.
SLICE_ROWS = 4_000_000


@dataclass(frozen=True, slots=True)
class LockstepParams:
    """The search's parameters (CopyCatch's m, n, Δt and ρ, and the bounds that keep it tractable)."""

    m_accounts: int = 5
    """m: the fewest accounts a group may have."""
    n_targets: int = 5
    """n: the fewest targets a group may have, and the fewest in-band engagements a member needs."""
    band_s: float = 1800.0
    """Δt: the width of a target's band, in seconds (the group's times on it lie within Δt)."""
    rho: float = 0.25
    """ρ: the least share of the group's targets a member engaged with inside their bands."""
    target_min: int = 3
    """The fewest members inside a target's band for it to count as one of the group's targets."""
    target_share: float = 0.0
    """When above 0: a target stays only when the group's members are at least this share of everyone's
    engagements with it inside its band (a few people in an election-night crowd do not own its phrase)."""
    max_engagers: int = 1000
    """Targets with more engagers than this (viral posts) are not used to seed pairs."""
    max_iter: int = 10
    """Refinement rounds at most (it usually settles in two or three)."""
    layers: tuple[str, ...] = LAYERS
    """Which events count: any of ``repost``, ``quote``, ``like``, ``text`` (posting in a text cluster) and
    ``link`` (sharing a rare link); see :mod:`kagami.detect.lockstep_extra` for the last two."""
    text_burst_min: int = 5
    """``text`` only: the fewest posts of one cluster within half a band either side of a post for it to
    count (a burst of the cluster)."""
    text_burst_ratio: float = 3.0
    """``text`` only: how many times the cluster's mean rate (its posts per band over the period of the
    store's posts) that burst must reach."""
    link_max_accounts: int = 60
    """``link`` only: a URL shared by more accounts than this (per ``link_reference_accounts`` accounts that
    share links, never fewer) is not rare and is no target."""
    link_reference_accounts: int = 20_000
    evidence_targets: int = 20
    """Targets kept per group in ``lockstep_summary.evidence``."""
    evidence_accounts: int = 50
    """Engagements kept per target in the evidence."""

    def __post_init__(self) -> None:
        if self.m_accounts < 2 or self.n_targets < 1 or self.target_min < 2:
            raise ValueError("need m_accounts >= 2, n_targets >= 1, target_min >= 2")
        if self.band_s <= 0 or not 0 <= self.rho <= 1 or not 0 <= self.target_share <= 1:
            raise ValueError("need band_s > 0, 0 <= rho <= 1 and 0 <= target_share <= 1")
        unknown = set(self.layers) - set(KINDS)
        if unknown or not self.layers:
            raise ValueError(f"layers must be among {KINDS}, got {self.layers}")


def _changed(con: duckdb.DuckDBPyConnection) -> int:
    """How many (group, member) rows the last refinement round added or removed; the groups they belong to
    go to ``lk_dirty``, the groups the next round refines again (see :func:`_refine`)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lk_dirty AS SELECT g, count(*) AS n FROM ("
        "(SELECT g, account FROM lk_members EXCEPT SELECT g, account FROM lk_next) "
        "UNION ALL (SELECT g, account FROM lk_next EXCEPT SELECT g, account FROM lk_members)) GROUP BY g"
    ).fetchall()
    return count(con, "SELECT coalesce(sum(n), 0) FROM lk_dirty")


def _sliced(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any]) -> None:
    """Run ``name``'s ``init`` section, then its ``slice`` section once per slice of about SLICE_ROWS rows
    (how many rows, the ``estimate`` section says)."""
    sql = sections(name)
    run_script(con, sql["init"], values)
    parts = max(1, math.ceil(count(con, sql["estimate"]) / SLICE_ROWS))
    for part in range(parts):
        run_script(con, sql["slice"], {**values, "parts": parts, "part": part})


#: Statements of the incremental refinement (see :func:`_refine`).
_DIRTY = "CREATE OR REPLACE TEMP TABLE lk_members AS SELECT * FROM lk_all SEMI JOIN lk_dirty USING (g)"
_MERGE = """
CREATE OR REPLACE TEMP TABLE lk_targets AS
SELECT * FROM lk_targets
UNION ALL (SELECT * FROM lk_targets_done SEMI JOIN lk_all USING (g) ANTI JOIN lk_dirty USING (g));
CREATE OR REPLACE TEMP TABLE lk_kept AS
SELECT * FROM lk_kept
UNION ALL (SELECT * FROM lk_kept_done SEMI JOIN lk_all USING (g) ANTI JOIN lk_dirty USING (g))
"""
_KEEP = """
CREATE OR REPLACE TEMP TABLE lk_targets_done AS SELECT * FROM lk_targets;
CREATE OR REPLACE TEMP TABLE lk_kept_done AS SELECT * FROM lk_kept;
CREATE OR REPLACE TEMP TABLE lk_members AS SELECT * FROM lk_all
"""


def _refine(con: duckdb.DuckDBPyConnection, values: dict[str, Any], *, first: bool) -> None:
    """One refinement round: every group's targets and bands (``lk_targets``), the accounts that meet the
    membership rule against them (``lk_kept``), and the groups that remain (``lk_next``).

    A group's targets and members depend only on its members and the events, so after the first round only
    the groups whose members changed (``lk_dirty``, from :func:`_changed`) are computed again; the others
    keep the previous round's rows (the same rows a full recomputation gives: the groups settle one by
    one, most after a round or two).
    """
    con.execute("CREATE OR REPLACE TEMP TABLE lk_all AS SELECT * FROM lk_members").fetchall()
    if not first:
        con.execute(_DIRTY).fetchall()
    _sliced(con, "lockstep_targets.sql", values)
    _sliced(con, "lockstep_members.sql", values)
    if not first:
        run_script(con, _MERGE, {})
    run_script(con, _KEEP, {})
    run_script(con, sections("lockstep_members.sql")["finish"], values)


def detect_lockstep(con: duckdb.DuckDBPyConnection, params: LockstepParams | None = None) -> int:
    """Find lockstep groups in the store behind ``con``; write ``lockstep_groups`` and
    ``lockstep_summary`` and return how many groups were found."""
    p = params or LockstepParams()
    values: dict[str, Any] = asdict(p)
    values["layers"] = list(p.layers)
    try:
        stage_extra(con, p)
        run_sql(con, "lockstep_events.sql", values)
        _sliced(con, "lockstep_pairs.sql", values)
        run_sql(con, "lockstep_seeds.sql", values)
        for round_no in range(p.max_iter):
            _refine(con, values, first=round_no == 0)
            settled = _changed(con) == 0
            con.execute("CREATE OR REPLACE TEMP TABLE lk_members AS SELECT * FROM lk_next").fetchall()
            if settled:
                break
        # Members now meet the membership rule against lk_targets (the bands of the round that chose them).
        run_sql(con, "lockstep_output.sql", values)
    finally:
        drop(con, WORK_TABLES)
    return count(con, "SELECT count(*) FROM lockstep_summary")


#: A second pass for quote floods: a flood's accounts quote a target's posts over the hours after each
#: (six hours: the amplification detector's horizon), and a campaign floods a handful of posts, so a
#: member needs two of them, fewer than the default n (5). Honest critics of one politician form such
#: groups too: the judgement counts quote lockstep only for automated accounts.
QUOTE_FLOOD = LockstepParams(layers=("quote",), n_targets=2, band_s=21_600.0)

#: A third pass for copy-paste campaigns: the same paraphrased claim posted by many accounts over a day or
#: two, a few times in the period. Two clusters per member (two separate posts: one account's post is in
#: one cluster), each inside the group's one-day band; five members at least, three per band, and a quarter
#: of the cluster's posts in that band at least (a crowd reacting to the news is not a group's paste).
COPY_PASTE = LockstepParams(layers=("text",), n_targets=2, band_s=86_400.0, target_share=0.25)

#: A fourth pass for low-and-slow networks: aged accounts passing the same obscure URLs around, hours
#: apart, for days. Targets are links at most 60 accounts ever shared; a member shared two of the group's
#: inside their one-week bands, and the group is a quarter of each link's sharers in the band at least.
RARE_LINKS = LockstepParams(layers=("link",), n_targets=2, band_s=7 * 86_400.0, target_share=0.25)

#: The passes ``kagami analyze`` runs, in order.
PASSES = (LockstepParams(), QUOTE_FLOOD, COPY_PASTE, RARE_LINKS)


def detect_lockstep_passes(
    con: duckdb.DuckDBPyConnection,
    passes: tuple[LockstepParams, ...] = PASSES,
) -> int:
    """Run several lockstep searches and keep every group of each in ``lockstep_groups`` and
    ``lockstep_summary``, numbered pass after pass; return how many groups there are in all."""
    tables = ("lockstep_groups", "lockstep_summary")
    copies: list[str] = []
    offsets: list[int] = []  # pass n's groups are numbered after every group of the passes before it
    try:
        for n, p in enumerate(passes):
            detect_lockstep(con, p)
            offsets.append(count(con, "SELECT coalesce(max(group_id), 0) FROM lockstep_summary"))
            for table in tables:
                copies.append(f"lk_pass{n}_{table}")
                con.execute(f"CREATE OR REPLACE TEMP TABLE {copies[-1]} AS SELECT * FROM {table}").fetchall()  # noqa: S608
        starts = [sum(offsets[:n]) for n in range(len(passes))]
        for table in tables:
            parts = [
                f"SELECT * REPLACE (group_id + {start} AS group_id) FROM lk_pass{n}_{table}"  # noqa: S608
                for n, start in enumerate(starts)
            ]
            con.execute(f"CREATE OR REPLACE TABLE {table} AS " + " UNION ALL ".join(parts)).fetchall()
    finally:
        drop(con, tuple(copies))
    return count(con, "SELECT count(*) FROM lockstep_summary")
