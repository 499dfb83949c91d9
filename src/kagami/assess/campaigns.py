"""Assemble each campaign's record for campaigns.json from the judgement and the detectors' tables.

The heavy lifting is SQL (``sql/parts.sql``: one query per part, every row keyed by group); this module
groups the rows, names the DISARM techniques and the Breakout Scale category, and writes the ABCDE
summary (:mod:`kagami.assess.abcde`).

>>> confidence(0.95, 40), confidence(0.7, 40), confidence(0.95, 4)
('high', 'medium', 'low')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from kagami.assess.abcde import abcde
from kagami.assess.breakout import BreakoutInput, breakout
from kagami.assess.disarm import Disarm, techniques_for
from kagami.assess.evidence import evidence_items, group_facts, signals
from kagami.assess.judge import JudgeConfig
from kagami.store import sqlfiles
from kagami.store.sqlfiles import has_table

SQL = Path(__file__).parent / "sql" / "parts.sql"
Row = dict[str, Any]


def iso(t: Any) -> str | None:
    """An ISO 8601 UTC string for a timestamp (None stays None)."""
    if isinstance(t, datetime):
        return t.isoformat().replace("+00:00", "Z")
    return None if t is None else str(t)


def confidence(evidence: float, size: int) -> str:
    """high: strong evidence in a group of 10 or more; medium: evidence >= 0.65 (or strong but small)."""
    if evidence >= 0.8 and size >= 10:
        return "high"
    return "medium" if evidence >= 0.65 and size >= 5 else "low"


def _by_group(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        out[int(r[0])].append(r[1:])
    return out


def _parts(con: duckdb.DuckDBPyConnection, top: int, evidence: int, alpha: float) -> dict[str, Any]:
    sql = sqlfiles.sections(SQL)
    params = {"top": top, "evidence": evidence, "alpha": alpha, "max_edges": MAX_EDGES}
    for name in ("members", "posts"):
        sqlfiles.run_script(con, sql[name], params)
    out: dict[str, Any] = {}
    for name in sql:
        if name in ("members", "posts"):
            continue
        if name == "narratives" and not has_table(con, "narrative_members"):  # narratives were skipped
            out[name] = {}
            continue
        used = {k: v for k, v in params.items() if f"${k}" in sql[name]}
        out[name] = _by_group(con.execute(sql[name], used).fetchall())
    return out


#: Edges kept per campaign in campaigns.json (the strongest; the network files hold them all).
MAX_EDGES = 5000


def _network(edges: list[tuple[Any, ...]], accounts: list[tuple[Any, ...]]) -> Row:
    """Members as nodes and the strongest ``MAX_EDGES`` significant edges between them (rows arrive sorted
    by weight, at most ``MAX_EDGES`` of them, each with the campaign's count of edges), with
    ``edges_total`` saying how many there are."""
    nodes = [{"id": uid, "label": handle or uid, "role": role} for uid, _p, _i, handle, role, _s in accounts]
    return {
        "nodes": nodes,
        "edges": [
            {"a": a, "b": b, "weight": round(float(w), 3), "layers": list(ls)}
            for a, b, w, ls, _total in edges
        ],
        "edges_total": int(edges[0][4]) if edges else 0,
    }


def build_campaigns(
    con: duckdb.DuckDBPyConnection,
    disarm: Disarm | None,
    config: JudgeConfig | None = None,
    *,
    top: int = 10,
    evidence: int = 8,
) -> list[Row]:
    """One record per campaign group, ordered by score then size; ids C01, C02, ... in that order."""
    groups = con.execute(
        "SELECT g.community_id, g.evidence, g.size, c.layers, c.created_spread_days, c.median_age_days, "
        "c.synchrony_s, c.density, g.i_fresh, g.i_automated, g.i_deceptive, g.i_claims, g.i_foreign, "
        "g.i_copy, g.i_no_hub, g.i_pod FROM assess_groups g JOIN communities c USING (community_id) "
        "WHERE g.is_campaign ORDER BY g.community_id"
    ).fetchall()
    if not groups:
        return []
    cfg = config or JudgeConfig()
    parts = _parts(con, top, evidence, cfg.alpha)
    origin = (
        con.execute(
            "SELECT replace(group_uid, 'community:', '')::BIGINT, schedule, best_offset_h, tz_confidence, "
            "jst_consistent, accounts_with_simplified, lang_confidence, state_media_accounts, io_accounts, "
            "lookalike_accounts, link_confidence FROM origin_groups WHERE group_uid LIKE 'community:%'"
        ).fetchall()
        if has_table(con, "origin_groups")
        else []
    )
    origin_by = {int(r[0]): r[1:] for r in origin}
    out: list[Row] = []
    for g in groups:
        gid = int(g[0])
        accounts = parts["accounts"].get(gid, [])
        if not accounts:
            continue
        feats = dict(zip(("evidence", "size", "layers", "created_spread_days", "median_age_days",
                          "synchrony_s", "density", "i_fresh", "i_automated", "i_deceptive", "i_claims",
                          "i_foreign", "i_copy", "i_no_hub", "i_pod"), g[1:], strict=True))  # fmt: skip
        summary = parts["summary"].get(gid, [(None, None, [])])[0]
        platforms = sorted({str(a[1]) for a in accounts if a[1]} | set(summary[2] or []))
        outside = parts["outside"].get(gid, [(0, 0)])[0]
        sig = signals(feats, platforms, origin_by.get(gid), cfg.origin_min)
        scores = sorted(float(a[5] or 0) for a in accounts)
        score = round(scores[len(scores) // 2], 3)
        rec: Row = {
            "id": "",
            "group": gid,
            "score": score,
            "confidence": confidence(float(feats["evidence"]), len(accounts)),
            "accounts": [
                {"uid": uid, "platform": p, "account_id": i, "handle": h, "role": role, "score": round(s, 3)}
                for uid, p, i, h, role, s in accounts
            ],
            "size": len(accounts),
            "platforms": platforms,
            "first_seen": iso(summary[0]),
            "last_seen": iso(summary[1]),
            "layers": list(feats["layers"] or []),
            "narratives": [
                {"id": int(n), "label": lab, "terms": list(t or []), "posts": int(c)}
                for n, lab, t, c in parts["narratives"].get(gid, [])
            ],
            "top_targets": [
                {"post_uid": t, "author_uid": a, "author_handle": h, "text": x, "engagements": int(n)}
                for t, a, h, x, n in parts["targets"].get(gid, [])
            ],
            "top_links": [
                {"domain": d, "url": u, "posts": int(n)} for d, u, n in parts["links"].get(gid, [])
            ],
            "hashtags": [{"tag": t, "posts": int(n)} for t, n in parts["hashtags"].get(gid, [])],
            "claims": [
                {"claim_id": i, "claim": t, "rating": r, "posts": int(n)}
                for i, t, r, n in parts["claims"].get(gid, [])
            ],
            "disarm": [
                {
                    "id": h.id,
                    "name": h.name,
                    "tactic": h.tactic,
                    "rule": h.rule_en,
                    "rule_ja": h.rule_ja,
                    "signals": list(h.signals),
                }
                for h in techniques_for(sig, disarm)
            ],
            "signals": sorted(k for k, v in sig.items() if v),
            "timeline": [
                {"t": iso(t), "posts": int(p), "engagements": int(e)}
                for t, p, e in parts["timeline"].get(gid, [])
            ],
            "network": _network(parts["edges"].get(gid, []), accounts),
        }
        b = breakout(
            BreakoutInput(platforms, int(outside[0]), len(accounts), celebrity_engagers=int(outside[1]))
        )
        rec["breakout"] = {
            "category": b.category,
            "name": b.name_en,
            "name_ja": b.name_ja,
            "justification": b.justification_en,
            "justification_ja": b.justification_ja,
        }
        rec["origin"] = origin_indicators(origin_by.get(gid))
        rec["evidence"] = group_facts(feats, rec, cfg) + evidence_items(parts["evidence"].get(gid, []))
        rec["abcde"], rec["abcde_ja"] = abcde(rec, feats)
        out.append(rec)
    out.sort(key=lambda r: (-r["score"], -r["size"], r["accounts"][0]["uid"]))
    for n, rec in enumerate(out, 1):
        rec["id"] = f"C{n:02d}"
    return out


def _indicator(name: str, value: str, conf: Any, accounts: Any) -> Row:
    n = None if accounts is None else int(accounts)
    return {"indicator": name, "value": value, "confidence": round(float(conf or 0), 3), "accounts": n}


def origin_indicators(row: tuple[Any, ...] | None) -> list[Row]:
    """Foreign-origin indicators of a group, each with its confidence (never proof on its own)."""
    if row is None:
        return []
    sched, offset, tz_conf, jst_ok, simp, lang_conf, state, io, look, link_conf = row
    out: list[Row] = []
    if tz_conf and jst_ok is False:
        where = f"best UTC offset {offset:+d} h" if offset is not None else "not JST-consistent"
        out.append(_indicator("timezone", f"{sched or '?'} schedule, {where}", tz_conf, None))
    if simp:
        out.append(_indicator("script", "simplified Chinese characters in Japanese text", lang_conf, simp))
    for name, n in (("state_media", state), ("io_domain", io), ("lookalike", look)):
        if n:
            what = f"{int(n)} members link to {name.replace('_', ' ')} sites"
            out.append(_indicator(name, what, link_conf, n))
    return out
