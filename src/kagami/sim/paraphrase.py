"""Paraphrase operators that copypasta campaigns use to dodge exact-duplicate matching, and the leaks
that give a foreign writer away.

Each operator keeps the claim and changes its surface: synonym swaps, particles and verb endings,
full/half-width characters, emoji, sentence order, wrappers with calls to action.

>>> import random
>>> r = random.Random(4)
>>> base = "期日前投票の票が集計センターで書き換えられているという内部告発があった。拡散希望"
>>> variants = {paraphrase(base, r, 0.8) for _ in range(30)}
>>> len(variants) > 20
True
>>> to_fullwidth("2025年 ABC")
'２０２５年 ＡＢＣ'
>>> leak("選挙の問題", random.Random(0), 1.0)
'选举の问题'
"""

from __future__ import annotations

import random

from kagami.sim.lexicon.claims import CALLS, SIMPLIFIED_SWAPS

SYNONYMS = (
    ("内部告発", "内部リーク"),
    ("書き換えられている", "改ざんされている"),
    ("秘密の", "極秘の"),
    ("口実", "言い訳"),
    ("判明した", "明らかになった"),
    ("証言している", "話している"),
    ("すり替えられている", "入れ替えられている"),
    ("買い占め", "独占"),
    ("指示している", "命じている"),
    ("優先する", "優遇する"),
    ("政府", "政権"),
    ("関係者", "内部の人"),
    ("外国資本", "海外資本"),
    ("極秘で", "こっそり"),
    ("大半", "ほとんど"),
    ("操作されている", "いじられている"),
)
ENDINGS = (
    ("ている", "てる"),
    ("という", "との"),
    ("があった", "が出た"),
    ("が出た", "があったらしい"),
    ("だった", "だったらしい"),
    ("している", "してる"),
    ("いる", "いるらしい"),
)
EMOJI = ("⚠️", "🚨", "‼️", "❗", "📢", "😱", "🔥", "👇", "💢")
WRAPS = ("【拡散希望】", "【緊急】", "これ本当？", "知ってた？", "【悲報】", "まじで？", "速報：")


def to_fullwidth(s: str) -> str:
    """ASCII letters and digits to their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def to_halfwidth(s: str) -> str:
    return "".join(
        chr(ord(c) - 0xFEE0) if "！" <= c <= "～" and (chr(ord(c) - 0xFEE0)).isalnum() else c for c in s
    )


def _swap(text: str, pairs: tuple[tuple[str, str], ...], rnd: random.Random, p: float) -> str:
    for a, b in pairs:
        if a in text and rnd.random() < p:
            text = text.replace(a, b, 1)
    return text


def paraphrase(text: str, rnd: random.Random, strength: float) -> str:
    """A variant of ``text``: each operator applies with probability ``strength``."""
    p = strength
    text = _swap(text, SYNONYMS, rnd, p)
    text = _swap(text, ENDINGS, rnd, p * 0.6)
    sentences = [s for s in text.replace("！", "。").split("。") if s]
    if len(sentences) > 1 and rnd.random() < p * 0.5:
        rnd.shuffle(sentences)
    end = rnd.choice(("。", "！", "…", "\n", "!!")) if rnd.random() < p else "。"
    text = end.join(sentences)
    if rnd.random() < p * 0.5:
        text = rnd.choice(WRAPS) + text
    if rnd.random() < p * 0.6:
        text += rnd.choice(("\n", " ", "")) + rnd.choice(CALLS)
    if rnd.random() < p * 0.7:
        text = text + rnd.choice(EMOJI) if rnd.random() < 0.6 else rnd.choice(EMOJI) + text
    if rnd.random() < p * 0.3:
        text = to_fullwidth(text) if rnd.random() < 0.5 else to_halfwidth(text)
    return text


def leak(text: str, rnd: random.Random, rate: float) -> str:
    """Replace Japanese forms with their simplified-Chinese forms, each with probability ``rate``."""
    for ja, zh in SIMPLIFIED_SWAPS:
        if ja in text and rnd.random() < rate:
            text = text.replace(ja, zh)
    return text
