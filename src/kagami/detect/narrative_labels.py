"""Labels for narratives: the terms that set each narrative's posts apart from the other narratives'.

Terms come from a Japanese morphological analyser when one is installed (``fugashi`` with the
``unidic-lite`` dictionary): nouns as written, verbs and adjectives in dictionary form, without numbers,
pronouns, auxiliary words and English stop words. Character n-grams cut words in half (``挙の不``), so
without the analyser Kagami falls back to the n-grams themselves, longest first, skipping any n-gram
that overlaps one already chosen.

A term's score in a narrative is (share of the narrative's posts that contain it) × log(1 + N / df), N the
number of narratives and df how many of them contain the term (class-based TF-IDF, as BERTopic labels
topics). The label is the top three terms joined by `` / ``.

>>> docs = [["期日前投票の票が書き換えられた", "期日前投票で不正があった"],
...         ["今日は猛暑で暑い", "猛暑が続く"]]
>>> [t[:1] for t in top_terms(docs, top=3, tokenizer=None)]
[['日前投票'], ['猛暑']]
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from kagami.detect.narrative_text import normalize

Tokenizer = Callable[[str], list[str]]
_CONTENT = ("名詞", "動詞", "形容詞")
_SKIP_POS2 = ("数詞", "代名詞", "非自立可能", "助動詞語幹")
_STOP = frozenset(
    {"する", "ある", "いる", "なる", "為る", "有る", "居る", "成る", "言う", "思う", "こと", "もの"}
)


@cache
def fugashi_tokenizer() -> Tokenizer | None:
    """Content words of a text through fugashi + unidic-lite, or None when they are not installed."""
    try:
        import fugashi  # optional at run time

        tagger = fugashi.Tagger()
    except (ImportError, RuntimeError):
        return None

    def words(text: str) -> list[str]:
        out = []
        for w in tagger(unicodedata.normalize("NFKC", text)):
            pos1, pos2, lemma = _pos_and_lemma(w)
            if pos1 not in _CONTENT or pos2 in _SKIP_POS2:
                continue
            term = w.surface if pos1 == "名詞" else (lemma or w.surface).split("-")[0]
            term = term.casefold() if term.isascii() else term
            if (len(term) < 2 and not ("\u4e00" <= term <= "\u9fff")) or term in _STOP:
                continue
            if term.isascii() and (term in ENGLISH_STOP_WORDS or not term.isalpha()):
                continue
            out.append(term)
        return out

    return words


def _pos_and_lemma(word: Any) -> tuple[str | None, str | None, str | None]:
    """A UniDic token's pos1, pos2 and lemma as ``word.feature`` gives them, read from its raw CSV (building
    ``word.feature`` costs twice the tagging); quoted fields (a comma in the surface) go through
    ``word.feature``."""
    raw: str = word.feature_raw
    if '"' in raw:
        f = word.feature
        return f.pos1, f.pos2, f.lemma
    r = raw.split(",")
    return r[0], r[1] if len(r) > 1 else None, r[7] if len(r) > 7 else None


def _ngrams(text: str) -> list[str]:
    key = normalize(text).replace(" ", "")
    return [key[i : i + n] for n in (2, 3, 4) for i in range(len(key) - n + 1)]


def _overlaps(term: str, chosen: list[str]) -> bool:
    return any(term in c or c in term or term[1:] == c[:-1] or c[1:] == term[:-1] for c in chosen)


def top_terms(docs: list[list[str]], top: int, tokenizer: Tokenizer | None) -> list[list[str]]:
    """The ``top`` distinguishing terms of each narrative, given each narrative's post texts."""
    split = tokenizer or _ngrams
    seen: dict[str, set[str]] = {}  # copies of one text are analysed once
    shares: list[Counter[str]] = []
    for texts in docs:
        c: Counter[str] = Counter()
        for t in texts:
            terms = seen.get(t)
            if terms is None:
                terms = seen[t] = set(split(t))
            c.update(terms)
        shares.append(Counter({term: n / max(1, len(texts)) for term, n in c.items()}))
    df: Counter[str] = Counter(term for s in shares for term in s)
    n = len(docs)
    out = []
    for s in shares:
        ranked = sorted(s, key=lambda t: (-s[t] * math.log(1 + n / df[t]), -len(t), t))
        chosen: list[str] = []
        for term in ranked:
            if len(chosen) == top:
                break
            if tokenizer is None and _overlaps(term, chosen):
                continue
            chosen.append(term)
        out.append(chosen)
    return out


def label(terms: list[str]) -> str:
    """The display label of a narrative from its top terms."""
    return " / ".join(terms[:3])
