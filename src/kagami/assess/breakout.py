"""The Breakout Scale (Ben Nimmo, Brookings, 2020): how far an operation travelled, in six categories.

1. one platform, no breakout: it stays inside one community;
2. one platform with breakout beyond the community, or several platforms without breakout;
3. several platforms with breakout;
4. cross-medium breakout: picked up by the news media;
5. celebrity amplification;
6. a policy response or a call for violence.

Breakout here means ``outside_engagers >= max(min_outside, outside_share_min * campaign_size)``: distinct
accounts outside the campaign that reposted, quoted, replied to or liked its posts (defaults 10 and 0.5).
Categories 4 and 5 count only what the data shows: outside engagers known to be news outlets (verified
news accounts or a supplied list) and outside engagers with at least :data:`CELEBRITY_FOLLOWERS`
followers or verified. A campaign reported on television is still a 1-3 if the data does not show it.
Category 6 is never inferred: only an analyst sets ``policy_response`` or ``violence_call``.

>>> b = breakout(BreakoutInput(platforms=["x", "bsky"], outside_engagers=14, campaign_size=20))
>>> b.category, b.name_en
(3, 'Multiple platforms, with breakout')
>>> print(b.justification_en.split(". ")[2])
14 distinct outside accounts engaged; breakout threshold max(10, 0.5 × 20 = 10) = 10: breakout
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Followers at which an outside engager counts as a celebrity (or it is verified).
CELEBRITY_FOLLOWERS = 100_000
MIN_OUTSIDE = 10
OUTSIDE_SHARE_MIN = 0.5

NAMES = {
    1: ("One platform, no breakout", "単一プラットフォーム・拡散なし"),
    2: (
        "One platform with breakout, or multiple platforms without breakout",
        "単一プラットフォームで外部へ拡散、または複数プラットフォームで外部への拡散なし",
    ),
    3: ("Multiple platforms, with breakout", "複数プラットフォームで外部へ拡散"),
    4: ("Cross-medium breakout", "媒体を越えた拡散"),
    5: ("Celebrity amplification", "著名人による増幅"),
    6: ("Policy response or call for violence", "政策対応または暴力の呼びかけ"),
}
CAVEAT_EN = (
    "Categories 4-5 count only news-outlet and celebrity engagement visible in this data; "
    "category 6 is set only by an analyst."
)
CAVEAT_JA = (
    "カテゴリー4・5はこのデータに現れた報道機関・著名人の反応のみを数え、カテゴリー6は分析者のみが設定する。"
)


@dataclass(frozen=True, slots=True)
class BreakoutInput:
    platforms: Sequence[str]
    outside_engagers: int
    campaign_size: int
    media_engagers: int = 0
    celebrity_engagers: int = 0
    policy_response: bool = False
    violence_call: bool = False
    min_outside: int = MIN_OUTSIDE
    outside_share_min: float = OUTSIDE_SHARE_MIN
    analyst_note: str = ""


@dataclass(frozen=True, slots=True)
class Breakout:
    category: int
    name_en: str
    name_ja: str
    justification_en: str
    justification_ja: str


def threshold(evidence: BreakoutInput) -> int:
    """Outside engagers needed for breakout: ``max(min_outside, ceil(share × campaign_size))``."""
    return max(evidence.min_outside, math.ceil(evidence.outside_share_min * evidence.campaign_size))


def _check(e: BreakoutInput) -> None:
    counts = (e.outside_engagers, e.campaign_size, e.media_engagers, e.celebrity_engagers, e.min_outside)
    if min(counts) < 0:
        raise ValueError("breakout counts and min_outside must not be negative")
    if not (math.isfinite(e.outside_share_min) and e.outside_share_min >= 0.0):
        raise ValueError("outside_share_min must be a finite, non-negative number")
    if e.media_engagers > e.outside_engagers or e.celebrity_engagers > e.outside_engagers:
        raise ValueError("media and celebrity engagers are outside engagers: they cannot exceed them")


def breakout(evidence: BreakoutInput) -> Breakout:
    """The Breakout Scale category and why, in English and Japanese, with the numbers used."""
    e = evidence
    _check(e)
    platforms = sorted({p.strip().lower() for p in e.platforms if p.strip()})
    need = threshold(e)
    broke = e.outside_engagers >= need
    if e.policy_response or e.violence_call:
        category = 6
    elif e.celebrity_engagers > 0:
        category = 5
    elif e.media_engagers > 0:
        category = 4
    elif len(platforms) >= 2:
        category = 3 if broke else 2
    else:
        category = 2 if broke else 1
    share = f"{e.outside_share_min:g} × {e.campaign_size} = {e.outside_share_min * e.campaign_size:g}"
    plist = ", ".join(platforms) or "none"
    en = [
        f"Posted on {len(platforms)} platform(s) ({plist})",
        f"{e.outside_engagers} distinct outside accounts engaged; breakout threshold "
        f"max({e.min_outside}, {share}) = {need}: {'breakout' if broke else 'no breakout'}",
        f"{e.media_engagers} news-outlet and {e.celebrity_engagers} celebrity accounts "
        f"(>= {CELEBRITY_FOLLOWERS:,} followers or verified) among them",
    ]
    ja = [
        f"{len(platforms)}つのプラットフォームに投稿（{plist if platforms else 'なし'}）。",
        f"キャンペーン外の{e.outside_engagers}アカウントが反応。拡散の閾値は max({e.min_outside}, {share}) = "
        f"{need}：{'外部へ拡散' if broke else '外部への拡散なし'}。",
        f"うち報道機関{e.media_engagers}、著名人（フォロワー{CELEBRITY_FOLLOWERS:,}以上または認証済み）"
        f"{e.celebrity_engagers}アカウント。",
    ]
    if category == 6:
        what_en = " and ".join(
            s
            for s, on in (("a policy response", e.policy_response), ("a call for violence", e.violence_call))
            if on
        )
        what_ja = "・".join(
            s for s, on in (("政策対応", e.policy_response), ("暴力の呼びかけ", e.violence_call)) if on
        )
        en.append(f"An analyst recorded {what_en}")
        ja.append(f"分析者が{what_ja}を記録。")
        if e.analyst_note:
            en.append(f"Analyst's note: {e.analyst_note}")
            ja.append(f"分析者のメモ：{e.analyst_note}。")
    elif category == 5:
        en.append("A celebrity account's engagement is taken as celebrity amplification")
        ja.append("著名人アカウントの反応を著名人による増幅とみなす。")
    elif category == 4:
        en.append("A news outlet's engagement is taken as pick-up by another medium")
        ja.append("報道機関アカウントの反応を他の媒体による取り上げとみなす。")
    name_en, name_ja = NAMES[category]
    return Breakout(
        category,
        name_en,
        name_ja,
        f"Category {category} ({name_en}). " + ". ".join(en) + ". " + CAVEAT_EN,
        f"カテゴリー{category}（{name_ja}）。" + "".join(ja) + CAVEAT_JA,
    )
