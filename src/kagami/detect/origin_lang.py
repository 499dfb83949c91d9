"""Language artefacts of a foreign hand: simplified-Chinese characters in Japanese text, traces of machine
translation, and the languages an account writes in over time.

Per post (reposts excluded: their text is someone else's), after removing links and @mentions:

* language: any hiragana or katakana makes a text Japanese (``ja``), any hangul Korean, whatever a
  language detector says (lingua calls kanji-only Japanese Chinese); otherwise lingua, restricted to
  Japanese, Chinese, English, Korean and Russian, decides. A kanji-only text lingua calls Chinese is
  ``zh`` only if it holds a simplified-only character; else ``cjk`` (Japanese or Chinese, undecided).
  Texts with fewer than 3 letters are ``und``. ``cjk`` and ``und`` never count as language switches.
* simplified-only characters (``data/simplified.csv``: simplified forms outside JIS X 0208, so never
  typed by a Japanese input method) inside Japanese posts;
* machine-translation traces (``data/mt_patterns.csv``, each documented there, weights 0.15-0.4); a
  post's trace score is 1 - prod(1 - weight) over the patterns it matches.

Per account (``origin_language``): ``simplified_share`` (Japanese posts with a simplified-only character
/ Japanese posts), ``mt_trace_share`` (mean trace score of Japanese posts), ``lang_mix`` (``ja:0.95,
zh:0.05``), ``switches`` (changes of language between consecutive decided posts), and ``confidence`` =
E / (E + 3) with E = Japanese posts with a simplified-only character + the sum of trace scores: one slip
gives 0.25, nine give 0.75. It says how sure it is that the artefacts recur, never who wrote them:
Chinese-speaking residents of Japan and people quoting Chinese text produce them too.

>>> post_language("中日关系的发展"), post_language("東京都知事選挙"), post_language("今日は暑い")
('zh', 'cjk', 'ja')
>>> simplified_in("今回の选举は问题だ"), simplified_in("国会で学ぶ")
('选举问题', '')
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import pyarrow as pa
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from kagami.detect.sqlfiles import drop, sections
from kagami.detect.watchlists import DATA, read_rows
from kagami.store import Store
from kagami.store.sqlfiles import stage

KANA = re.compile("[\u3041-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3131-\u318e]")
STRIP = re.compile(r"https?://\S+|www\.\S+|@[A-Za-z0-9_.\-]+")
LANGS = {
    Language.JAPANESE: "ja",
    Language.CHINESE: "zh",
    Language.ENGLISH: "en",
    Language.KOREAN: "ko",
    Language.RUSSIAN: "ru",
}
WORK = ("_ola_text", "_ola_feat")

DDL = """
CREATE OR REPLACE TABLE origin_language (
    account_uid VARCHAR, n_posts BIGINT, n_japanese BIGINT, simplified_share DOUBLE, mt_trace_share DOUBLE,
    lang_mix VARCHAR, switches BIGINT, confidence DOUBLE, evidence VARCHAR
)
"""


@cache
def simplified() -> dict[str, str]:
    """Simplified-only character -> its Japanese form (``data/simplified.csv``)."""
    return {r["simplified"]: r["japanese"] for r in read_rows(DATA / "simplified.csv")}


@cache
def mt_patterns() -> tuple[tuple[str, float, re.Pattern[str]], ...]:
    """(name, weight, regex) of the machine-translation traces (``data/mt_patterns.csv``)."""
    out = []
    with (DATA / "mt_patterns.csv").open(encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    for line in lines[1:]:  # the header; patterns may hold commas, so split only twice
        name, weight, pattern = line.split(",", 2)
        out.append((name, float(weight), re.compile(pattern)))
    return tuple(out)


@cache
def detector() -> LanguageDetector:
    """lingua restricted to the five languages that matter here (offline, fast)."""
    return LanguageDetectorBuilder.from_languages(*LANGS).build()


@cache
def _any_trace() -> re.Pattern[str]:
    """Matches where any of the machine-translation patterns matches."""
    return re.compile("|".join(f"(?:{rx.pattern})" for _, _, rx in mt_patterns()))


def clean(text: str) -> str:
    """The text without links and @mentions."""
    return STRIP.sub(" ", text or "")


def simplified_in(text: str) -> str:
    """The simplified-only characters of a text, in order of appearance, each once."""
    found = _simplified_set().intersection(text)
    if not found:  # most texts: one set operation in C instead of a loop over every character
        return ""
    return "".join(dict.fromkeys(ch for ch in text if ch in found))


@cache
def _simplified_set() -> frozenset[str]:
    return frozenset(simplified())


def _rule(text: str) -> str | None:
    """The language the script decides without a detector, or None."""
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    if sum(ch.isalpha() for ch in text) < 3:
        return "und"
    return None


def languages(texts: Sequence[str]) -> list[str]:
    """The language of each (cleaned) text: script rules first, then lingua in one parallel batch."""
    out = [_rule(t) for t in texts]
    todo = [i for i, lang in enumerate(out) if lang is None]
    found = detector().detect_languages_in_parallel_of([texts[i] for i in todo]) if todo else []
    for i, lang in zip(todo, found, strict=True):
        code = LANGS.get(lang, "und") if lang is not None else "und"
        out[i] = "cjk" if code == "zh" and not simplified_in(texts[i]) else code
    return [lang or "und" for lang in out]


def post_language(text: str) -> str:
    """The language of one post's text."""
    return languages([clean(text)])[0]


def traces(text: str) -> tuple[list[str], float]:
    """The machine-translation patterns a text matches, and its trace score.

    >>> traces("日本の民衆は真実を知る必要があることです，本当に")
    (['cn_comma', 'koto_desu'], 0.36)
    """
    if not _any_trace().search(text):  # most texts: one scan instead of one per pattern
        return [], 0.0
    names, keep = [], 1.0
    for name, weight, rx in mt_patterns():
        if rx.search(text):
            names.append(name)
            keep *= 1 - weight
    return names, round(1 - keep, 6)


def features(texts: Sequence[str]) -> pa.Table:
    """Per text: its language, simplified-only characters and machine-translation traces."""
    cleaned = [clean(t) for t in texts]
    langs = languages(cleaned)
    simpl, names, scores = [], [], []
    for text, lang in zip(cleaned, langs, strict=True):
        ja = lang == "ja"
        simpl.append(simplified_in(text) if ja else "")
        n, s = traces(text) if ja else ([], 0.0)
        names.append(n)
        scores.append(s)
    return pa.table({
        "text": pa.array(texts, pa.string()), "lang": langs, "simplified": simpl,
        "mt": pa.array(names, pa.list_(pa.string())), "mt_score": pa.array(scores, pa.float64()),
    })  # fmt: skip


def origin_language(store: Store, accounts: Sequence[str] | None = None, prior: float = 3.0) -> int:
    """(Re)write ``origin_language``: one row per account with non-repost posts; return the row count.

    The features depend on the text alone, so each distinct text is read once (copy-paste campaigns and
    stock phrases repeat texts: a third of the posts at simulator scale 10) and SQL joins them back.
    """
    params = {"some": accounts is not None, "accounts": list(accounts or [])}
    sql = sections("origin_lang.sql")
    texts = store.con.sql(sql["texts"], params=params).to_arrow_table()
    stage(store.con, "_ola_text", features(texts.column(0).to_pylist()))
    try:
        store.con.execute(sql["features"], params)
        store.con.execute(DDL)
        store.con.execute(sql["accounts"], {"prior": prior})
    finally:
        drop(store.con, WORK)
    return int(store.scalar("SELECT count(*) FROM origin_language"))


def evidence(store: Store, account_uid: str) -> dict[str, Any]:
    """The parsed evidence of one account's ``origin_language`` row (empty if none)."""
    text = store.scalar("SELECT evidence FROM origin_language WHERE account_uid = ?", [account_uid])
    return dict(json.loads(text)) if text else {}
