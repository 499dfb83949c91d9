"""Checkable facts about a campaign, and the signals that name its DISARM techniques.

Every evidence item is one fact a reviewer can verify against the store and the raw payloads: which
accounts, which posts (platform-qualified ids), when, and the sha256 of each post's raw payload. Facts
are written in English (``fact``) and Japanese (``fact_ja``).

>>> sig = signals({"layers": ["repost"], "i_fresh": 0.9, "i_automated": 0.1, "i_deceptive": 0.0,
...                "i_claims": 0.0, "i_copy": 0, "created_spread_days": 20}, ["x"], None)
>>> sorted(k for k, v in sig.items() if v)
['creation_waves', 'repost_ring', 'young_accounts']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kagami.assess.disarm import SIGNALS
from kagami.assess.judge import JudgeConfig

Row = dict[str, Any]
#: A share of members at least this makes a member-level indicator a group signal.
SIGNAL_SHARE = 0.3
#: Interquartile range of creation dates (days) under which young accounts count as a creation wave.
WAVE_DAYS = 60.0


def _iso(t: Any) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if isinstance(t, datetime) else None


def signals(
    feats: Mapping[str, Any], platforms: Sequence[str], origin: Sequence[Any] | None, origin_min: float = 0.5
) -> dict[str, bool]:
    """The DISARM signal vocabulary (:data:`kagami.assess.disarm.SIGNALS`) for one campaign group."""
    layers = set(feats.get("layers") or [])
    fresh = float(feats.get("i_fresh") or 0) >= SIGNAL_SHARE
    spread = feats.get("created_spread_days")
    s = {
        "repost_ring": "repost" in layers,
        "quote_flood": "quote" in layers,
        "reply_flood": "reply" in layers,
        "like_flood": "like" in layers,
        "copypasta": "text" in layers or bool(feats.get("i_copy")),
        "hashtag_push": "hashtag" in layers,
        "link_push": bool(layers & {"link", "link_rare"}),
        "automation": float(feats.get("i_automated") or 0) >= SIGNAL_SHARE,
        "young_accounts": fresh,
        "creation_waves": fresh and spread is not None and float(spread) <= WAVE_DAYS,
        "cross_platform": len(set(platforms)) > 1,
        "known_false_claim": float(feats.get("i_claims") or 0) > 0,
        "lookalike_domains": False,
        "state_media": False,
        "io_domains": False,
        "foreign_schedule": False,
        "script_leakage": False,
    }
    if origin is not None:
        _sched, _off, tz_conf, jst_ok, simp, _lc, state, io, look, _kc = origin
        s["foreign_schedule"] = bool(tz_conf and tz_conf >= origin_min and jst_ok is False)
        s["script_leakage"] = bool(simp)
        s["state_media"], s["io_domains"], s["lookalike_domains"] = bool(state), bool(io), bool(look)
    assert set(s) == set(SIGNALS), "signal vocabulary out of step with kagami.assess.disarm"
    return s


def _pct(x: Any) -> str:
    return f"{100 * float(x or 0):.0f}%"


#: Group indicators reported as facts: (feature, kind, English, Japanese); {p} is the share of members, and
#: {young_days} / {automated_min} the judgement's thresholds.
FACTS = (
    ("i_fresh", "young_accounts", "{p} of members were under {young_days} days old when first seen",
     "メンバーの {p} は初観測時に作成後 {young_days} 日未満"),
    ("i_automated", "automation", "{p} of members score as automated (>= {automated_min})",
     "メンバーの {p} が自動化スコア {automated_min} 以上"),
    ("i_deceptive", "links", "{p} of members link to look-alike, state-media or listed IO domains",
     "メンバーの {p} が偽装ドメイン・国営メディア・既知の工作ドメインにリンク"),
    ("i_claims", "claims", "{p} of members posted text matching a fact-checked claim",
     "メンバーの {p} がファクトチェック済みの主張に一致する投稿"),
    ("i_foreign", "origin", "{p} of members show a foreign schedule or script (an indicator, not proof)",
     "メンバーの {p} に国外の生活時間または文字の痕跡（指標であり証拠ではない）"),
    ("i_no_hub", "no_hub", "no public account is being amplified: the members' own posts are coordinated",
     "増幅されている公的アカウントがなく、メンバー自身の投稿が協調している"),
    ("i_pod", "pod", "{p} of members have their own posts reposted or liked by other members (mutual "
     "amplification)", "メンバーの {p} が他のメンバーから自分の投稿をリポスト・いいねされている（相互増幅）"),
)  # fmt: skip


def _fact(kind: str, en: str, ja: str) -> Row:
    return {"kind": kind, "fact": en, "fact_ja": ja, "post_ids": [], "times": [], "raw_sha256": []}


def group_facts(feats: Mapping[str, Any], rec: Mapping[str, Any], cfg: JudgeConfig) -> list[Row]:
    """Group-level facts: the indicators that made the group a campaign, with their values."""
    n, layers = rec["size"], ", ".join(rec.get("layers") or [])
    density, gap = float(feats.get("density") or 0), float(feats.get("synchrony_s") or 0)
    out = [
        _fact(
            "coordination",
            f"{n} accounts linked by significant co-action ({layers}); density {density:.2f}, "
            f"median gap {gap:.0f} s",
            f"{n} アカウントが有意な同時行動（{layers}）で結びつく。"
            f"密度 {density:.2f}、時間差の中央値 {gap:.0f} 秒",
        )
    ]
    for feature, kind, en, ja in FACTS:
        if feats.get(feature):
            p = _pct(feats[feature])
            values = {"p": p, "young_days": cfg.young_days, "automated_min": cfg.automated_min}
            out.append(_fact(kind, en.format(**values), ja.format(**values)))
    return out


def evidence_items(rows: Sequence[Sequence[Any]]) -> list[Row]:
    """One item per strong edge: the closest co-actions of two members, with post ids and raw hashes."""
    edges: dict[int, Row] = {}
    for r, layer, a, b, n, q, gap, target, ai, bi, at, bt, _g, sa, sb in rows:
        item = edges.get(int(r))
        if item is None:
            item = edges[int(r)] = {
                "kind": f"co-{layer}",
                "fact": f"{a} and {b}: {layer} on {int(n)} shared targets, median gap "
                f"{float(gap or 0):.0f} s, q = {float(q):.1e}",
                "fact_ja": f"{a} と {b}: 共通の対象 {int(n)} 件に {layer}、時間差の中央値 "
                f"{float(gap or 0):.0f} 秒、q = {float(q):.1e}",
                "accounts": [a, b],
                "targets": [],
                "post_ids": [],
                "times": [],
                "raw_sha256": [],
            }
        item["targets"].append(target)
        for pid, t, sha in ((ai, at, sa), (bi, bt, sb)):
            item["post_ids"].append(pid)
            item["times"].append(_iso(t))
            item["raw_sha256"].append(sha)
    return [edges[k] for k in sorted(edges)]
