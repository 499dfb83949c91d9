"""The situation report's words: Japanese and English strings, and hostile text made safe to display.

Every heading and label lives in ``STRINGS`` as a (Japanese, English) pair; ``bi`` renders both, each in
a ``<span class="ja">`` / ``<span class="en">`` that the page's language toggle shows or hides.

Everything that comes from the campaigns document was written, directly or not, by whoever posted it,
so ``show`` (for element content) and ``plain`` (for attributes and SVG text) first cut it to a display
length, then make hidden characters visible, then escape it with ``html.escape(quote=True)``. Hidden
characters are C0/C1 controls (newline and tab excepted), lone surrogates and format characters (bidi
overrides and isolates U+202A-U+202E, U+2066-U+2069, marks U+200E/U+200F, zero-width spaces, U+FEFF, tag
characters): each becomes a visible ``⟨U+XXXX⟩`` marker, so a right-to-left override cannot flip a table
row and a zero-width space cannot hide inside a handle. A zero-width joiner between two symbols is kept:
it is how emoji sequences are spelt.

>>> show('<b onclick="x">hi</b>\\u202e!')
'&lt;b onclick=&quot;x&quot;&gt;hi&lt;/b&gt;<span class="cc">⟨U+202E⟩</span>!'
>>> plain("a\\x00b")
'a⟨U+0000⟩b'
>>> bi("title")
'<span class="ja" lang="ja">状況報告</span><span class="en" lang="en">Situation report</span>'
>>> show("x" * 12, limit=5)  # doctest: +ELLIPSIS
'xxxxx…<span class="note"><span class="ja" lang="ja">（全 12 文字）</span>...'
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

#: Default display length (characters) of a label, handle or URL; post texts pass their own.
LIMIT = 300
#: Controls kept as they are: they only break lines and are rendered harmlessly.
KEPT = frozenset("\n\t")
LANGS = ("ja", "en")


#: Every user-facing string as (Japanese, English); ``{name}`` slots take already-escaped HTML.
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("状況報告", "Situation report"),
    "generated": ("作成日時", "Generated"),
    "version": ("Kagami バージョン", "Kagami version"),
    "disarm_source": ("DISARM の出典", "DISARM source"),
    "notice": (
        "この報告の指摘はすべて、人が確認するための手がかりであり、判定ではありません。"
        "人の確認を経ずに何らかの措置が取られることはありません。",
        "Every flag in this report is a lead for human review, not a verdict. "
        "Nothing is acted on without review.",
    ),
    "summary": ("概要", "Summary"),
    "accounts": ("アカウント数", "Accounts"),
    "flagged": ("要確認アカウント", "Flagged accounts"),
    "campaigns": ("キャンペーン数", "Campaigns"),
    "posts": ("投稿数", "Posts"),
    "first_seen": ("最初の観測", "First seen"),
    "last_seen": ("最後の観測", "Last seen"),
    "what": ("何が起きたか", "What happened"),
    "what.lead": (
        "キャンペーン {id}（スコア {score}、確信度 {conf}、{size} アカウント、{platforms}、{span}）。",
        "Campaign {id} (score {score}, {conf} confidence, {size} accounts on {platforms}, {span}).",
    ),
    "actor": ("行為者", "Actor"),
    "behaviour": ("行動", "Behaviour"),
    "content": ("内容", "Content"),
    "degree": ("規模", "Degree"),
    "effect": ("影響", "Effect"),
    "breakout": ("ブレイクアウト尺度", "Breakout Scale"),
    "category": ("カテゴリー {n}", "Category {n}"),
    "none_found": ("キャンペーンは見つかりませんでした。", "No campaign found."),
    "none_found.text": (
        "どのアカウント群の行動も、下記のしきい値を超えませんでした。これは干渉がなかったことを示すものではなく、"
        "行動の兆候がしきい値に達しなかったことを示すにすぎません。",
        "No group of accounts behaved in a way that crossed the thresholds listed below. This does not show "
        "that there was no interference, only that no behavioural signal reached them.",
    ),
    "timeline": ("時系列", "Timeline"),
    "timeline.text": (
        "キャンペーンごとの投稿数（上）とエンゲージメント数（下）。時刻は日本標準時（JST, UTC+9）です。",
        "Posts (top) and engagements (bottom) of each campaign. Times are Japan Standard Time (JST, UTC+9).",
    ),
    "bucket": ("棒 1 本 = {h} 時間", "1 bar = {h} h"),
    "axis.time": ("日時（JST）", "time (JST)"),
    "engagements": ("エンゲージメント", "Engagements"),
    "max": ("最大 {n}", "max {n}"),
    "no_timeline": ("時系列データはありません。", "No timeline data."),
    "campaign": ("キャンペーン {id}", "Campaign {id}"),
    "score": ("スコア", "Score"),
    "confidence": ("確信度", "Confidence"),
    "platforms": ("プラットフォーム", "Platforms"),
    "layers": ("協調の層", "Co-action layers"),
    "confidence.high": ("高", "high"),
    "confidence.medium": ("中", "medium"),
    "confidence.low": ("低", "low"),
    "role.hub": ("ハブ", "hub"),
    "role.member": ("メンバー", "member"),
    "network": ("ネットワーク", "Network"),
    "network.text": (
        "点はアカウント、線は有意な同時行動です。濃い色の大きな点はハブです。点にポインターを重ねるとハンドルが表示されます。",
        "Dots are accounts, lines significant co-action. Larger dark dots are hubs. "
        "Hover over a dot to see its handle.",
    ),
    "network.nodes_cut": (
        "{total} アカウントのうち、ハブと結びつきの強い {shown} アカウントを表示しています。",
        "Showing {shown} of {total} accounts: the hubs and the most strongly connected.",
    ),
    "network.edges_cut": (
        "{total} 本の線のうち、重みの大きい {shown} 本を表示しています。",
        "Showing the {shown} heaviest of {total} links.",
    ),
    "network.none": ("ネットワークデータはありません。", "No network data."),
    "disarm": ("DISARM の手法", "DISARM techniques"),
    "id": ("ID", "ID"),
    "name": ("名称", "Name"),
    "tactic": ("戦術", "Tactic"),
    "rule": ("適用理由", "Why it applies"),
    "origin": ("国外起源の指標（証拠ではありません）", "Foreign-origin indicators (not proof)"),
    "origin.text": (
        "これらは手がかりにすぎず、単独で誰かを指摘することはありません。海外に住む日本人や、"
        "海外のサービスを使う国内の利用者にも当てはまりえます。",
        "These are indicators only and never flag anyone on their own. They can also fit Japanese people "
        "living abroad or people in Japan using foreign services.",
    ),
    "indicator": ("指標", "Indicator"),
    "value": ("値", "Value"),
    "indicator.timezone": ("活動時間帯", "activity time zone"),
    "indicator.script": ("文字体系", "script"),
    "indicator.state_media": ("国営メディア", "state media"),
    "indicator.lookalike": ("なりすましドメイン", "lookalike domain"),
    "indicator.io_domain": ("既知の情報工作ドメイン", "known influence-operation domain"),
    "narratives": ("主な語り", "Top narratives"),
    "label": ("ラベル", "Label"),
    "terms": ("語", "Terms"),
    "targets": ("主な標的投稿", "Top targets"),
    "author": ("投稿者", "Author"),
    "text": ("本文", "Text"),
    "post": ("投稿", "Post"),
    "links": ("主なリンク", "Top links"),
    "links.text": (
        "リンクは安全のため、クリックできない文字列として表示しています。",
        "Links are shown as plain text, not clickable, for safety.",
    ),
    "domain": ("ドメイン", "Domain"),
    "url": ("URL", "URL"),
    "hashtags": ("ハッシュタグ", "Hashtags"),
    "tag": ("タグ", "Tag"),
    "claims": ("主張", "Claims"),
    "claim": ("主張", "Claim"),
    "rating": ("評価", "Rating"),
    "evidence": ("証拠", "Evidence"),
    "kind": ("種類", "Kind"),
    "fact": ("事実", "Fact"),
    "post_ids": ("投稿 ID", "Post ids"),
    "times": ("日時（JST）", "Times (JST)"),
    "sha": ("原データの SHA-256", "Raw SHA-256"),
    "members": ("構成アカウント", "Member accounts"),
    "handle": ("ハンドル", "Handle"),
    "uid": ("アカウント ID", "Account id"),
    "platform": ("プラットフォーム", "Platform"),
    "role": ("役割", "Role"),
    "rows_cut": ("全 {total} 件のうち {shown} 件を表示しています。", "Showing {shown} of {total} rows."),
    "more": ("ほか {n} 件", "{n} more"),
    "truncated": ("（全 {n} 文字）", " ({n} characters in all)"),
    "empty": ("なし", "none"),
    "freedom": ("表現の自由について", "On free expression"),
    "freedom.text": (
        "内容や発信元だけで誰かが指摘されることはありません。指摘には、アカウント群の協調した行動が下記のしきい値を"
        "超えることが必要です。意見の内容、使う言語、住んでいる場所は、それだけでは疑いの理由になりません。",
        "No one is flagged for what they say or where they are from alone. A flag needs a group of accounts' "
        "coordinated behaviour to cross the thresholds below. Opinions, language and place of residence are "
        "never grounds for suspicion on their own.",
    ),
    "thresholds": ("判断に用いたしきい値", "Thresholds used"),
    "no_thresholds": ("しきい値は記録されていません。", "No thresholds were recorded."),
}


def text_of(value: Any) -> str:
    """Any JSON value as a string: ``None`` is empty, numbers and containers as JSON would write them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _hidden(text: str, i: int) -> bool:
    ch = text[i]
    if ch in KEPT:
        return False
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs"):
        return True
    if cat != "Cf":
        return False
    if ch == "\u200d" and 0 < i < len(text) - 1:
        # a zero-width joiner inside an emoji sequence (symbol, optional variation selector, symbol)
        return not (
            unicodedata.category(text[i - 1]) in ("So", "Mn", "Sk")
            and unicodedata.category(text[i + 1]) == "So"
        )
    return True


def _pieces(value: Any, limit: int) -> tuple[list[tuple[bool, str]], int]:
    """The text cut to ``limit`` characters, as (hidden, piece) runs, and the full length."""
    text = text_of(value)
    cut = text[:limit]
    runs: list[tuple[bool, str]] = []
    start = 0
    for i in range(len(cut)):
        if _hidden(cut, i):
            if start < i:
                runs.append((False, cut[start:i]))
            runs.append((True, f"⟨U+{ord(cut[i]):04X}⟩"))
            start = i + 1
    if start < len(cut):
        runs.append((False, cut[start:]))
    return runs, len(text)


def show(value: Any, limit: int = LIMIT) -> str:
    """HTML for element content: cut to ``limit`` characters, hidden characters marked, escaped."""
    runs, full = _pieces(value, limit)
    out = "".join(
        f'<span class="cc">{html.escape(piece)}</span>' if hidden else html.escape(piece, quote=True)
        for hidden, piece in runs
    )
    if full > limit:
        out += "…" + f'<span class="note">{bi("truncated", n=f"{full:,}")}</span>'
    return out


def visible(value: Any, limit: int | None = None) -> str:
    """Text for a terminal: hidden characters as plain markers, nothing escaped (not for HTML), cut to
    ``limit`` characters when given.

    >>> visible("ok\\x1b[31m red\\u202e")
    'ok⟨U+001B⟩[31m red⟨U+202E⟩'
    """
    text = text_of(value)
    runs, full = _pieces(text, len(text) if limit is None else limit)
    return "".join(piece for _, piece in runs) + ("…" if limit is not None and full > limit else "")


def plain(value: Any, limit: int = LIMIT) -> str:
    """Escaped text for an attribute value or SVG text: cut, hidden characters as plain markers."""
    runs, full = _pieces(value, limit)
    text = "".join(piece for _, piece in runs) + ("…" if full > limit else "")
    return html.escape(text, quote=True)


def tr(key: str, lang: str, **fmt: str) -> str:
    """One language's string for ``key``, with ``fmt`` (already-safe HTML) filled in."""
    ja, en = STRINGS[key]
    return (ja if lang == "ja" else en).format(**fmt)


def bi(key: str, **fmt: str) -> str:
    """Both languages' strings for ``key``, each in its own toggled span."""
    return "".join(f'<span class="{lang}" lang="{lang}">{tr(key, lang, **fmt)}</span>' for lang in LANGS)


def bi_block(key: str, tag: str = "p", **fmt: str) -> str:
    """Both languages' strings for ``key`` as two block elements (paragraphs by default)."""
    return "".join(f'<{tag} class="{lang}" lang="{lang}">{tr(key, lang, **fmt)}</{tag}>' for lang in LANGS)


def loc(value: Any, lang: str, limit: int = LIMIT) -> str:
    """``show`` of a document value that may be a plain string or a ``{"ja": …, "en": …}`` mapping."""
    if isinstance(value, Mapping) and any(k in value for k in LANGS):
        other = "en" if lang == "ja" else "ja"
        return show(value.get(lang) or value.get(other), limit)
    return show(value, limit)


def term(group: str, value: Any, lang: str) -> str:
    """A known enumerated value (``confidence.high``, ``role.hub``) translated, or shown as written."""
    key = f"{group}.{text_of(value)}"
    return tr(key, lang) if key in STRINGS else f"<bdi>{show(value)}</bdi>"


def bi_term(group: str, value: Any) -> str:
    """``term`` in both languages."""
    return "".join(f'<span class="{lang}" lang="{lang}">{term(group, value, lang)}</span>' for lang in LANGS)
