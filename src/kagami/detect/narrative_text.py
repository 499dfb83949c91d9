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
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from kagami.detect.textnorm import fold, hiragana

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@[\w.\-]+")
#: Unicode categories replaced by a space: symbols (emoji), controls and format characters, punctuation.
_DROP = ("S", "C", "P")
_SPACE = re.compile(r"\s+")
_WHITE = re.compile(r"\s\s+")  # as scikit-learn's char_wb analyser
Ints = npt.NDArray[np.int64]
_VARIATION: dict[int, str | None] = {c: None for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))}


class _Blanks(dict[int, str | None]):
    """A ``str.translate`` table filled on first sight: variation selectors go, dropped characters become
    spaces, the rest stay (one dictionary look-up per character instead of a Python call per character).
    It stops growing at 65,536 entries, so hostile input cannot make it hold all of Unicode."""

    def __missing__(self, c: int) -> str | None:
        ch = chr(c)
        out = " " if unicodedata.category(ch)[0] in _DROP else ch
        if len(self) < 1 << 16:
            self[c] = out
        return out


_BLANKS = _Blanks(_VARIATION)


def normalize(text: str | None) -> str:
    """The comparison key of a text (see the module docstring); '' for None."""
    if not text:
        return ""
    t = hiragana(_MENTION.sub(" ", _URL.sub(" ", fold(text)))).translate(_BLANKS)
    return _SPACE.sub(" ", t).strip()


def normalize_each(texts: Iterable[object]) -> list[str]:
    """:func:`normalize` of each text (as ``str``), computing each distinct text once: reposted and
    pasted copies abound."""
    seen: dict[object, str] = {}
    out = []
    for t in texts:
        key = seen.get(t)
        if key is None:
            key = seen[t] = normalize(str(t))
        out.append(key)
    return out


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


class CharTfidf:
    """The vectors of :func:`tfidf` (same vocabulary, weights and values), with the n-grams cut in numpy.

    Texts become one array of code points, each word ``w`` as ``SEP + " " + w + " "`` as ``char_wb`` pads
    it; an n-gram is a window of 2–4 code points without ``SEP``, coded as one integer (ranks in the fit
    texts' alphabet, base ``len(alphabet) + 2``, zeros after a short n-gram), so sorted codes are sorted
    strings and the vocabulary is cut exactly as scikit-learn cuts it. Alphabets too large for 64-bit codes
    (over 55,000 characters) fall back to scikit-learn itself.
    """

    def __init__(self, texts: list[str], *, min_df: int = 1, max_features: int | None = 1 << 18) -> None:
        cps, doc = _code_points(texts)
        self._alphabet = np.unique(cps[cps != 0])
        self._base = len(self._alphabet) + 2
        self._sk = None
        if self._base**4 >= 1 << 63:
            self._sk = tfidf(texts, min_df=min_df, max_features=max_features)
            self.n_features = len(self._sk.vocabulary_)
            return
        codes, rows = self._ngrams(cps, doc)
        terms, cols = np.unique(codes, return_inverse=True)
        x = _counts(rows, cols.ravel(), (len(texts), len(terms)))
        mask = np.bincount(x.indices, minlength=len(terms)) >= min_df  # as CountVectorizer._limit_features
        if max_features is not None and mask.sum() > max_features:
            tfs = np.asarray(x.sum(axis=0)).ravel()
            top = np.zeros(len(terms), dtype=bool)
            top[np.flatnonzero(mask)[(-tfs[mask]).argsort()[:max_features]]] = True
            mask = top
        keep = np.flatnonzero(mask)
        self._vocab = terms[keep]
        self.n_features = len(keep)
        self._idf = TfidfTransformer(sublinear_tf=True).fit(x[:, keep])

    def _ngrams(self, cps: npt.NDArray[np.uint32], doc: Ints) -> tuple[Ints, Ints]:
        """Codes of the 2–4-grams in ``cps`` (code points, 0 between words) and the text of each."""
        size = int(max(cps.max(initial=0), self._alphabet.max(initial=0))) + 1
        ranks = np.full(size, self._base - 1, dtype=np.int64)  # base - 1: not in the alphabet
        ranks[self._alphabet] = np.arange(1, len(self._alphabet) + 1)
        ranks[0] = 0
        r = np.concatenate([ranks[cps], np.zeros(3, dtype=np.int64)])
        sep = r[: len(cps)] == 0
        after = np.cumsum(sep) - sep  # SEPs before each position: the index of the next one in `seps`
        run = (np.flatnonzero(sep)[after] - np.arange(len(cps)))[: len(doc)]  # 0 at a SEP
        b = self._base
        code = r[: len(doc)] * b**3 + r[1 : len(doc) + 1] * b**2
        out, rows = [], []
        for n in (2, 3, 4):
            if n > 2:
                code = code + r[n - 1 : len(doc) + n - 1] * b ** (4 - n)
            ok = run >= n
            out.append(code[ok])
            rows.append(doc[ok])
        return np.concatenate(out), np.concatenate(rows)

    def transform(self, texts: list[str], chunk: int = 32_768) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows of ``texts`` (float32), identical to ``tfidf(fit).transform(texts)``."""
        if self._sk is not None:
            return sp.csr_matrix(self._sk.transform(texts))
        parts = []
        lookup = pc.SetLookupOptions(pa.array(self._vocab))
        for start in range(0, len(texts), chunk):
            block = texts[start : start + chunk]
            cps, doc = _code_points(block)
            codes, rows = self._ngrams(cps, doc)
            found = pc.index_in(pa.array(codes), options=lookup)  # a hash look-up: null when not a term
            hit = found.is_valid().to_numpy(zero_copy_only=False)
            cols = found.fill_null(0).to_numpy().astype(np.int64)
            parts.append(_counts(rows[hit], cols[hit], (len(block), len(self._vocab))))
        if not parts:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        return sp.csr_matrix(self._idf.transform(sp.vstack(parts, format="csr"), copy=False))


def _code_points(texts: list[str]) -> tuple[npt.NDArray[np.uint32], Ints]:
    """Code points of the padded words of ``texts`` (``char_wb``'s preprocessing) and the text of each.

    The array ends with one extra 0 so that every window has an end; ``doc`` covers all but that 0.
    """
    padded = []
    for t in texts:
        words = _WHITE.sub(" ", t.lower()).split()
        padded.append("\0 " + " \0 ".join(words) + " " if words else "")
        if "\0" in t:
            raise ValueError("texts for CharTfidf must not contain NUL characters")
    cps = np.frombuffer(("".join(padded) + "\0").encode("utf-32-le"), dtype=np.uint32)
    doc = np.repeat(np.arange(len(padded), dtype=np.int64), [len(p) for p in padded])
    return cps, doc


def _counts(rows: Ints, cols: Ints, shape: tuple[int, int]) -> sp.csr_matrix:
    """The count matrix of (row, col) occurrences, float32 with sorted indices like CountVectorizer's."""
    x = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    x.sum_duplicates()
    return x
