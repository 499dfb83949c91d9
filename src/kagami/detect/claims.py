"""Known false claims: store imported fact-checks in ``claims`` and find the posts that talk about them.

Two methods, one row each in ``claim_matches`` (a post found both ways has two rows):

* ``text``: cosine between character 2–4-gram TF-IDF vectors of the claim and of the post, both
  normalised (:func:`kagami.detect.narrative_text.normalize`: NFKC, full/half width, case, katakana, no
  links, mentions, emoji or punctuation). The n-grams are hashed (2^20 buckets, no vocabulary to hold) and
  weighted by IDF over the posts and claims being matched, so what every post says (``ている``, ``選挙``)
  weighs little. A match needs ``score >= text_min`` (0.25; why: docs/signals/claims.md);
* ``link``: the post links to a URL the fact-checker listed as an appearance of the claim (normalised
  URLs, http = https); score 1.

A match means the post TALKS ABOUT the claim, not that it endorses it: a post debunking the claim quotes
it and matches too. ``evidence.stance_hint`` is ``debunk_cue`` when the post has a word of denial or
correction that the claim itself lacks (デマ, 誤り, 嘘, fake, false, …; ``evidence.cues`` lists them), and
``none`` otherwise. It is a hint for the analyst, not a stance classifier: sarcasm and "is it デマ?" fool it.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> store_claims(store.con, []), match_claims(store.con)
(0, 0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from kagami.detect.claimreview import ClaimRecord
from kagami.detect.narrative_text import normalize, normalize_each
from kagami.detect.sqlfiles import drop, sections
from kagami.detect.textnorm import fold
from kagami.store.sqlfiles import run_script, stage

WORK_TABLES = ("cl_in", "cl_posts", "cl_links", "cl_matches")
#: Words of denial or correction (matched on NFKC, case-folded text; English as whole words).
DEBUNK_JA = (
    "デマ", "誤り", "嘘", "うそ", "ウソ", "虚偽", "事実無根", "根拠なし", "根拠がない", "根拠のない",
    "誤情報", "偽情報", "フェイク", "ファクトチェック", "騙され", "信じないで", "拡散しないで", "否定",
)  # fmt: skip
DEBUNK_EN = re.compile(
    r"\b(false|fake|debunk\w*|hoax|misinformation|disinformation|not true|fact[- ]?check\w*|no evidence|"
    r"misleading)\b"
)


@dataclass(frozen=True, slots=True)
class ClaimMatchConfig:
    """Thresholds of the text method."""

    text_min: float = 0.25
    """Least TF-IDF cosine between a post and a claim for a ``text`` match."""
    min_chars: int = 8
    """Posts whose normalised text is shorter are not matched by text."""
    block: int = 20_000
    """Posts scored per block (bounds memory)."""


def cues(text: str, claim: str = "") -> list[str]:
    """Words of denial or correction in ``text`` that ``claim`` does not contain itself.

    >>> cues("この話はデマです", "票が書き換えられた"), cues("This is FALSE", "x"), cues("falsehood")
    (['デマ'], ['false'], [])
    """
    t, c = fold(text), fold(claim)
    found = [w for w in DEBUNK_JA if w.casefold() in t and w.casefold() not in c]
    found += [m for m in dict.fromkeys(DEBUNK_EN.findall(t)) if m not in c]
    return found


def store_claims(con: duckdb.DuckDBPyConnection, records: Sequence[ClaimRecord]) -> int:
    """Create ``claims`` if needed and upsert ``records`` by ``claim_id``; return how many were given."""
    sql = sections("claims.sql")
    run_script(con, sql["ddl"])
    if not records:
        return 0
    table = pa.table(
        {
            "claim_id": [r.claim_id for r in records],
            "text": [r.text for r in records],
            "rating": pa.array([r.rating for r in records], pa.string()),
            "verdict_false": pa.array([r.verdict_false for r in records], pa.bool_()),
            "url": pa.array([r.url for r in records], pa.string()),
            "publisher": pa.array([r.publisher for r in records], pa.string()),
            "published": pa.array([r.published for r in records], pa.timestamp("us", tz="UTC")),
            "lang": pa.array([r.lang for r in records], pa.string()),
            "appearances": pa.array([list(r.appearances) for r in records], pa.list_(pa.string())),
            "raw": [r.raw for r in records],
        }
    )
    con.register("cl_in", table)
    try:
        run_script(con, sql["upsert"])
    finally:
        con.unregister("cl_in")
    return len(records)


def _text_matches(
    uids: list[str], keys: list[str], claims: list[tuple[str, str]], cfg: ClaimMatchConfig
) -> list[tuple[str, str, float]]:
    """(claim_id, post_uid, cosine) of every post-claim pair at or above ``text_min``."""
    hv = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), n_features=1 << 20, alternate_sign=False, norm=None
    )
    claim_keys = [normalize(t) for _, t in claims]
    idf = TfidfTransformer(sublinear_tf=True).fit(hv.transform(sorted({*keys, *claim_keys})))
    cmat = idf.transform(hv.transform(claim_keys)).T.tocsc()
    out = []
    for start in range(0, len(keys), cfg.block):
        sims = (idf.transform(hv.transform(keys[start : start + cfg.block])) @ cmat).tocoo()
        keep = np.flatnonzero(sims.data >= cfg.text_min)
        for i, j, s in zip(sims.row[keep], sims.col[keep], sims.data[keep], strict=True):
            out.append((claims[j][0], uids[start + i], round(float(s), 6)))
    return out


def match_claims(con: duckdb.DuckDBPyConnection, config: ClaimMatchConfig | None = None) -> int:
    """(Re)build ``claim_matches`` for every stored claim; return the number of rows."""
    cfg = config or ClaimMatchConfig()
    sql = sections("claims.sql")
    run_script(con, sql["ddl"])
    run_script(con, sql["posts"])
    claims = [
        (str(a), str(b)) for a, b in con.execute("SELECT claim_id, text FROM claims ORDER BY 1").fetchall()
    ]
    # Without claims nothing can match: the posts' texts are not even read (links join the claims too).
    rows = con.execute("SELECT uid, text FROM cl_posts ORDER BY uid").fetchall() if claims else []
    text_of = {str(u): str(t) for u, t in rows}
    keys = normalize_each(t for _, t in rows)
    keyed = [(str(u), k) for (u, _), k in zip(rows, keys, strict=True) if len(k) >= cfg.min_chars]
    found = _text_matches([u for u, _ in keyed], [k for _, k in keyed], claims, cfg) if keyed else []
    run_script(con, sql["links"])
    links = con.execute("SELECT claim_id, post_uid, url FROM cl_links ORDER BY ALL").fetchall()
    claim_text = dict(claims)
    matches = [(c, p, s, "text", None) for c, p, s in found] + [(c, p, 1.0, "link", u) for c, p, u in links]
    hints = [cues(text_of[p], claim_text[c]) for c, p, *_ in matches]
    table = pa.table(
        {
            "claim_id": pa.array([m[0] for m in matches], pa.string()),
            "post_uid": pa.array([m[1] for m in matches], pa.string()),
            "score": pa.array([m[2] for m in matches], pa.float64()),
            "method": pa.array([m[3] for m in matches], pa.string()),
            "url": pa.array([m[4] for m in matches], pa.string()),
            "stance_hint": pa.array(["debunk_cue" if h else "none" for h in hints], pa.string()),
            "cues": pa.array(hints, pa.list_(pa.string())),
        }
    )
    stage(con, "cl_matches", table)
    run_script(con, sql["output"])
    drop(con, WORK_TABLES)
    n = con.execute("SELECT count(*) FROM claim_matches").fetchall()
    return int(n[0][0])
