"""The fast paths of narrative clustering give exactly what the plain ones give.

``CharTfidf`` against scikit-learn's ``char_wb`` TF-IDF (:func:`tfidf`), ``knn_edges`` against a full
``argpartition`` over every row, and ``normalize`` against a character-by-character reference.
"""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import numpy.typing as npt
import pytest

from kagami.detect.narrative_text import _BLANKS, _MENTION, _URL, CharTfidf, normalize, tfidf
from kagami.detect.narrative_vectors import knn_edges
from kagami.detect.textnorm import fold, hiragana

TEXTS = [
    "期日前投票の票が書き換えられた",
    "期日前投票の票が書き換えられている 拡散希望",
    "今日は猛暑で暑い",
    "猛暑が続く 熱中症に注意",
    "vote for abc today",
    "a b c",  # one-letter words: padded to 3 characters, no 4-grams
    "x  y\tz",  # runs of white space, as char_wb folds them
    "ÀB Ǆ İstanbul straße",  # lower() changes these
    "備蓄米の値段がまた上がった",
    "備蓄米の値段がまた上がった 本当に困る",
    "",
]


def _csr_equal(a: object, b: object) -> bool:
    import scipy.sparse as sp

    x, y = sp.csr_matrix(a), sp.csr_matrix(b)
    x.sort_indices()
    y.sort_indices()
    return bool(
        x.shape == y.shape
        and x.dtype == y.dtype
        and np.array_equal(x.indptr, y.indptr)
        and np.array_equal(x.indices, y.indices)
        and np.array_equal(x.data, y.data)
    )


@pytest.mark.parametrize(("min_df", "max_features"), [(1, None), (2, 1 << 18), (1, 40)])
def test_char_tfidf_is_scikit_learns_tfidf(min_df: int, max_features: int | None) -> None:
    rng = random.Random(7)
    fit = TEXTS * 2 + [
        "".join(rng.choice("あいうえおかきくけこ票猛暑 ab") for _ in range(30)) for _ in range(60)
    ]
    unseen = [
        "知らない漢字ばかり 鬱蒼",
        "票が書き換え",
        "zzz 期日前",
    ]  # characters and n-grams not in the fit
    ref = tfidf(fit, min_df=min_df, max_features=max_features)
    fast = CharTfidf(fit, min_df=min_df, max_features=max_features)
    assert fast.n_features == len(ref.vocabulary_)
    if max_features == 40:
        assert fast.n_features == 40  # the cut by corpus frequency, ties and all, is scikit-learn's
    assert _csr_equal(fast.transform(fit + unseen, chunk=7), ref.transform(fit + unseen))


def test_char_tfidf_transforms_nothing() -> None:
    assert CharTfidf(TEXTS).transform([]).shape == (0, CharTfidf(TEXTS).n_features)


def _reference_edges(
    v: npt.NDArray[np.float32], k: int, min_sim: float, block: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """The plain algorithm: a full ``argpartition`` of every row of each block's products."""
    srcs, dsts, ws = [], [], []
    for start in range(0, len(v), block):
        sims = v[start : start + block] @ v.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        w = sims[rows[:, None], top]
        keep = w >= min_sim
        srcs.append(np.broadcast_to(rows[:, None] + start, top.shape)[keep])
        dsts.append(top[keep])
        ws.append(w[keep])
    src, dst, w = np.concatenate(srcs), np.concatenate(dsts), np.concatenate(ws)
    lo, hi = np.minimum(src, dst).astype(np.int64), np.maximum(src, dst).astype(np.int64)
    _, first = np.unique(lo * len(v) + hi, return_index=True)
    return lo[first], hi[first], w[first]


@pytest.mark.parametrize("noise", [0.3, 0.8])
def test_knn_edges_are_a_full_partial_sorts(noise: float) -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(12, 16))
    v = centres[rng.integers(0, 12, 600)] + rng.normal(scale=noise, size=(600, 16))
    v[100:130] = v[100]  # exact duplicates: ties at the k-th place, settled as argpartition settles them
    v = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    src, dst, w = knn_edges(v, k=5, min_sim=0.5, block=64)
    ref = _reference_edges(v, 5, 0.5, block=64)
    assert len(src) > 600 and bool((src < dst).all())
    assert np.array_equal(src, ref[0]) and np.array_equal(dst, ref[1]) and np.array_equal(w, ref[2])


def _reference_normalize(text: str) -> str:
    t = hiragana(_MENTION.sub(" ", _URL.sub(" ", fold(text))))
    t = "".join(c for c in t if not (0xFE00 <= ord(c) < 0xFE10 or 0xE0100 <= ord(c) < 0xE01F0))
    t = "".join(" " if unicodedata.category(c)[0] in "SCP" else c for c in t)
    return " ".join(t.split())


def test_normalize_matches_a_character_by_character_reference() -> None:
    rng = random.Random(11)
    texts = ["".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(30)) for _ in range(300)]
    texts += ["拡散希望⚠️ https://t.co/x @taro #不正選挙", "a\u3000b\u200bc\U0001f600d\x1c\u2028e"]
    assert [normalize(t) for t in texts] == [_reference_normalize(t) for t in texts]
    assert len(_BLANKS) <= 1 << 16
