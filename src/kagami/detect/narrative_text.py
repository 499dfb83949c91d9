"""Text keys for narratives and claim matching: Japanese-first normalisation and character n-gram TF-IDF.

``normalize`` applies NFKC (full-width ``ＡＢＣ１２３`` and half-width ``ｶﾀｶﾅ`` become ``abc123`` and
``カタカナ``), folds case, folds katakana to hiragana (``デマ`` = ``でま``), and removes what says nothing
about the content: links, @mentions, the ``#`` of hashtags (the tag's words stay), emoji and other
symbols, punctuation. Character n-grams need no word segmentation, so Japanese, English and mixed text
share one representation, and a paraphrase that changes particles or verb endings keeps most n-grams.

>>> normalize("【拡散希望】期日前投票の票がＡＢＣで書き換え⚠️ https://t.co/x @taro #不正選挙")
'拡散希望 期日前投票の票がabcで書き換え 不正選挙'
>>> normalize("デマです") == normalize("でまです")
True
>>> m = tfidf([normalize(t) for t in ("票が書き換えられた", "票が書き換えられている", "今日は暑い")])
>>> sims = (m.transform(["票が書き換えられた"]) @ m.transform(["票が書き換えられている", "今日は暑い"]).T)
>>> sims.toarray().round(2).tolist()[0][0] > 0.5 > sims.toarray().tolist()[0][1]
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from kagami.detect.textnorm import fold, hiragana

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@[\w.\-]+")
_SPACE = re.compile(r"\s+")
#: Unicode categories replaced by a space: symbols (emoji), controls and format characters, punctuation.
_DROP = ("S", "C", "P")
_VARIATION = {c: None for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))}


@cache
def _dropped(ch: str) -> bool:
    return unicodedata.category(ch)[0] in _DROP


def normalize(text: str | None) -> str:
    """The comparison key of a text (see the module docstring); '' for None."""
    if not text:
        return ""
    t = hiragana(_MENTION.sub(" ", _URL.sub(" ", fold(text)))).translate(_VARIATION)
    t = "".join(" " if _dropped(c) else c for c in t)
    return _SPACE.sub(" ", t).strip()


def tfidf(texts: list[str], *, min_df: int = 1, max_features: int | None = 1 << 18) -> TfidfVectorizer:
    """A character 2–4-gram TF-IDF (sublinear tf, L2 rows) fitted on normalised ``texts``.

    ``char_wb`` keeps n-grams inside words; Japanese has no spaces, so for it this is plain character
    n-grams, while English words do not bleed into each other.
    """
    vec = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    vec.fit(texts)
    return vec
