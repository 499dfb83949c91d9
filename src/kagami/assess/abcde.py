"""The ABCDE summary of a campaign (actor, behaviour, content, degree, effect; Pamment 2020), in English
and Japanese, written only from what the record itself holds.

The actor is never named: attribution is an analyst's call. The summary says what the data show.

>>> rec = {"size": 3, "platforms": ["x"], "layers": ["repost"], "origin": [], "narratives": [],
...        "top_links": [], "claims": [], "hashtags": [], "breakout": {"category": 1, "name": "n",
...        "name_ja": "n"}, "first_seen": "2025-07-01T00:00:00Z", "last_seen": "2025-07-02T00:00:00Z",
...        "accounts": [], "timeline": [], "top_targets": []}
>>> en, ja = abcde(rec, {"i_fresh": 1.0, "i_automated": 0.0})
>>> en["actor"].startswith("Unattributed")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Summary = dict[str, str]

LAYER_JA = {"repost": "リポスト", "quote": "引用", "reply": "返信", "like": "いいね", "link": "リンク共有",
            "hashtag": "ハッシュタグ", "text": "同一文面", "link_rare": "希少リンクの共有"}  # fmt: skip


def _pct(x: Any) -> str:
    return f"{100 * float(x or 0):.0f}%"


def abcde(rec: Mapping[str, Any], feats: Mapping[str, Any]) -> tuple[Summary, Summary]:
    """(English, Japanese) summaries keyed actor, behaviour, content, degree, effect."""
    n, plats = rec["size"], ", ".join(rec["platforms"]) or "?"
    layers = list(rec.get("layers") or [])
    origin = [o["indicator"] for o in rec.get("origin") or []]
    posts = sum(int(t.get("posts") or 0) for t in rec.get("timeline") or [])
    eng = sum(int(t.get("engagements") or 0) for t in rec.get("timeline") or [])
    narr = [str(x.get("label") or "") for x in (rec.get("narratives") or [])[:3]]
    links = [str(x.get("domain") or "") for x in (rec.get("top_links") or [])[:3]]
    claims = len(rec.get("claims") or [])
    b = rec["breakout"]
    en = {
        "actor": f"Unattributed network of {n} accounts on {plats}; {_pct(feats.get('i_fresh'))} young, "
        f"{_pct(feats.get('i_automated'))} automated"
        + (
            f"; foreign-origin indicators: {', '.join(origin)} (indicators, not attribution)"
            if origin
            else ""
        ),
        "behaviour": f"Significant co-action on {', '.join(layers) or 'no layer'}",
        "content": (f"Narratives: {'; '.join(narr)}" if narr else "No dominant narrative")
        + (f". Links: {', '.join(links)}" if links else "")
        + (f". Matches {claims} fact-checked claim(s)" if claims else ""),
        "degree": f"{posts} posts and {eng} reposts/quotes/replies by members between "
        f"{rec.get('first_seen') or '?'} and {rec.get('last_seen') or '?'}",
        "effect": f"Breakout Scale category {b['category']} ({b['name']})",
    }
    ja = {
        "actor": f"{plats} 上の帰属未確定の {n} アカウントのネットワーク。"
        f"新しいアカウント {_pct(feats.get('i_fresh'))}、自動化 {_pct(feats.get('i_automated'))}"
        + (f"。国外由来の指標: {', '.join(origin)}（指標であり帰属の断定ではない）" if origin else ""),
        "behaviour": f"有意な同時行動: {'、'.join(LAYER_JA.get(x, x) for x in layers) or 'なし'}",
        "content": (f"ナラティブ: {'；'.join(narr)}" if narr else "目立つナラティブなし")
        + (f"。リンク先: {', '.join(links)}" if links else "")
        + (f"。ファクトチェック済みの主張 {claims} 件に一致" if claims else ""),
        "degree": f"{rec.get('first_seen') or '?'} から {rec.get('last_seen') or '?'} までに"
        f"メンバーが投稿 {posts} 件、リポスト・引用・返信 {eng} 件",
        "effect": f"ブレイクアウト・スケール カテゴリー {b['category']}（{b.get('name_ja') or b['name']}）",
    }
    return en, ja
