"""Reading a fact-checker's rating into "false or not": ``True`` (rated false), ``False`` (rated true or
mostly true), ``None`` (anything else: misleading, unproven, out of scope, unknown).

Words are matched on the NFKC, case-folded rating, in English and Japanese (FIJ's scale: 正確, ほぼ正確,
ミスリード, 不正確, 根拠不明, 誤り, 虚偽, 判定留保, 検証対象外). Ratings with no such word are read from
``ratingValue`` on the ``worstRating``..``bestRating`` scale (default 1..5): the bottom fifth is false,
the top two fifths true. Misleading and unproven claims are not called false: a match on them says less.

>>> verdict_is_false({"alternateName": "Pants on Fire!"})
('Pants on Fire!', True)
>>> verdict_is_false("ほぼ正確"), verdict_is_false("ミスリード")
(('ほぼ正確', False), ('ミスリード', None))
>>> verdict_is_false({"ratingValue": "1", "bestRating": "5", "worstRating": "1"})
('1/5', True)
"""

from __future__ import annotations

from typing import Any

from kagami.detect.textnorm import fold

#: Checked in order: the first phrase found decides ("mostly false" before "false", "不正確" before "正確").
PHRASES: tuple[tuple[str, bool | None], ...] = (
    ("mostly false", True), ("mostly true", False), ("half true", None), ("not true", True),
    ("pants on fire", True), ("misleading", None), ("unproven", None), ("unverified", None),
    ("false", True), ("fake", True), ("fabricated", True), ("incorrect", True),
    ("inaccurate", True), ("untrue", True), ("hoax", True),
    ("correct", False), ("accurate", False), ("true", False),
    ("ミスリード", None), ("根拠不明", None), ("判定留保", None), ("検証対象外", None),
    ("不正確", True), ("ほぼ誤り", True), ("誤り", True), ("虚偽", True), ("偽", True), ("デマ", True),
    ("事実無根", True), ("ほぼ正確", False), ("正確", False), ("事実", False),
)  # fmt: skip


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def verdict_is_false(rating: Any) -> tuple[str | None, bool | None]:
    """(the rating as written, whether it says false) for a reviewRating object or a plain string."""
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if rating is None or rating == "":
        return None, None
    if not isinstance(rating, dict):
        rating = {"alternateName": str(rating)}
    name = rating.get("alternateName") or rating.get("name")
    if name:
        folded = fold(str(name))
        for phrase, verdict in PHRASES:
            if phrase in folded:
                return str(name), verdict
    value = _num(rating.get("ratingValue"))
    if value is None:
        return (str(name) if name else None), None
    best = _num(rating.get("bestRating")) or 5.0
    worst = _num(rating.get("worstRating"))
    worst = 1.0 if worst is None else worst
    written = str(name) if name else f"{rating.get('ratingValue')}/{rating.get('bestRating', 5)}"
    if best <= worst:
        return written, None
    share = (value - worst) / (best - worst)
    return written, True if share <= 0.2 else False if share >= 0.6 else None
