"""Amplification bursts: which posts got far more reposts, quotes and likes than their author usually gets,
and how much of that came from young, automated or coordinated accounts.

For every post the store holds, its engagements (reposts, quotes, timed likes; never the author's own) in
the first ``horizon_s`` seconds after it was posted are counted (``sql/amplification.sql``). The burst is
judged against the author's own baseline: with n the post's count and y = ln(1 + n) over the author's
posts (the post itself included; zeros count), ``baseline`` = exp(median y) − 1 and
``burst_z`` = (ln(1 + n) − median y) / max(1.4826·MAD y, ``mad_floor``), a robust z-score on the log
scale, where engagement counts are roughly log-normal. Authors with fewer than ``min_baseline_posts``
posts are judged against their platform's posts instead (``baseline_kind``).

Shares are over the engagements in the horizon: ``young_share`` (the actor's account was younger than
``young_days`` at the time; unknown ages count as not young, ``age_known_share`` says how many were
known), ``automated_share`` (``automation_scores.score`` ≥ ``automated_min``; NULL without that table),
``coordinated_share`` (a member of ``community_members`` or ``lockstep_groups``; NULL without both) and
``inauthentic_share`` (any of the three). ``amplification_series`` holds the counts per ``bucket_s``.

A high share is a reason to look, not a finding: fans of an idol are coordinated by interest, and a new
account is not a fake one.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> detect_amplification(store.con)
0
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from kagami.detect.sqlfiles import count, drop, run_sql
from kagami.store.sqlfiles import has_table

WORK_TABLES = ("_am_ev", "_am_post", "_am_base", "_am_auto", "_am_coord")
#: The tables whose members count as coordinated, each with the fixed statement that stages them.
COORDINATION_TABLES = {
    "community_members": "INSERT INTO _am_coord SELECT DISTINCT account_uid FROM community_members",
    "lockstep_groups": "INSERT INTO _am_coord SELECT DISTINCT account_uid FROM lockstep_groups",
}


@dataclass(frozen=True, slots=True)
class AmplificationParams:
    """Settings; defaults and why in docs/signals/amplification.md."""

    horizon_s: float = 6 * 3600.0  # engagements counted in the first six hours after posting
    bucket_s: float = 600.0  # time-series bucket width
    min_engagements: int = 5  # targets with fewer engagements in the horizon are not listed
    min_baseline_posts: int = 5  # authors with fewer posts are judged against their platform
    young_days: float = 30.0
    automated_min: float = 0.5
    mad_floor: float = 0.5  # on ln(1 + n): a constant author still needs ~e^1.5x to reach z = 3

    def sql_params(self) -> dict[str, Any]:
        """The parameters the SQL file names (``automated_min`` is used in Python)."""
        p = asdict(self)
        del p["automated_min"]
        return p


def _stage_flags(con: duckdb.DuckDBPyConnection, automated_min: float) -> tuple[bool, bool]:
    """Stage ``_am_auto`` and ``_am_coord`` (account_uid); say which of their source tables exist."""
    has_auto = has_table(con, "automation_scores")
    if has_auto:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _am_auto AS "
            "SELECT account_uid FROM automation_scores WHERE score >= ?",
            [automated_min],
        ).fetchall()
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _am_auto (account_uid VARCHAR)").fetchall()
    con.execute("CREATE OR REPLACE TEMP TABLE _am_coord (account_uid VARCHAR)").fetchall()
    present = [table for table in COORDINATION_TABLES if has_table(con, table)]
    for table in present:
        con.execute(COORDINATION_TABLES[table]).fetchall()
    return has_auto, bool(present)


def detect_amplification(con: duckdb.DuckDBPyConnection, params: AmplificationParams | None = None) -> int:
    """Build ``amplification`` and ``amplification_series``; return the number of targets listed."""
    p = params or AmplificationParams()
    try:
        has_auto, has_coord = _stage_flags(con, p.automated_min)
        run_sql(con, "amplification.sql", p.sql_params() | {"has_auto": has_auto, "has_coord": has_coord})
        return count(con, "SELECT count(*) FROM amplification")
    finally:
        drop(con, WORK_TABLES)
