"""``textnorm.normalize`` skips the substitutions that cannot match and ``fold`` replaces common
compatibility characters before NFKC (copy-paste clustering runs them on every distinct text): their
output must stay that of running every step plainly, which ``_every_step`` keeps verbatim."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kagami.detect import textnorm
from kagami.detect.textnorm import normalize


def _every_step(text: str, *, fold_kana: bool = False) -> str:
    """The unconditional pipeline, as it was before the skips."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = textnorm._MENTION.sub(" ", textnorm._LINK.sub(" ", s))
    s = textnorm._TRAILING_TAGS.sub("", s)
    s = textnorm._LONG.sub("ー", s)
    s = textnorm._SPACE.sub("", textnorm._DROP.sub(" ", s).strip())
    s = textnorm._RUN.sub("ー", s)
    return textnorm.hiragana(s) if fold_kana else s


#: Pieces that exercise every step: links, mentions, tags, long-vowel marks, Latin words, spaces of
#: several kinds, full- and half-width forms, punctuation, emoji.
PIECES = [
    "https://t.co/AbC1", "http://", "www.", "www3.", "nhk-news.jp/n/1", "a.b/", "/", ".", "@", "@taro_1",
    "#", "#参院選2025", " #tag", "ー", "ｰ", "~", "〜", "～", "―", "‐", "−", "–", "—", "ーー",
    "abc", "ＡＢＣ", "Straße", "12", "_", " ", "  ", "\n", "\t", "\u3000", "\u00a0",
    "ｶﾞｿﾘﾝ", "ガソリン", "期日前投票", "は", "！", "!", "?", "。", "、", "…",
    "🚨", "‼️", "\ufe0f", "\u3099", "w", "x y",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=14).map("".join)


@settings(max_examples=1000, deadline=None)
@given(texts, st.booleans())
@example(text="見て https://t.co/x 本当 #a #b", fold_kana=False)
@example(text="vote  for ＡＢＣ! 今日 は", fold_kana=False)
@example(text="すごー ーい", fold_kana=True)
def test_same_as_every_step(text: str, fold_kana: bool) -> None:
    assert normalize(text, fold_kana=fold_kana) == _every_step(text, fold_kana=fold_kana)


@pytest.mark.parametrize("text", ["", " ", "ー", "a b", "あ い", "a い", "https://x.jp/ あ", "@a #b", "_"])
def test_edge_cases(text: str) -> None:
    assert normalize(text) == _every_step(text)


def test_long_mark_check_knows_every_mark() -> None:
    """The spelt-out check and the pattern agree on every mark; a lone ``ー`` is left as it is."""
    assert set(textnorm._LONG.pattern) - set("[]+") == set(textnorm._LONG_MARKS)
    for mark in textnorm._LONG_MARKS:
        assert textnorm._folds_long_marks(f"あ{mark}{mark}い")
        assert textnorm._folds_long_marks(f"あ{mark}い") == (mark != "ー")
    assert not textnorm._folds_long_marks("あい-_=ｰ")  # a half-width mark is folded to ー before the check


COMPAT = "".join(textnorm._COMPAT)
NEIGHBOURS = "ｶﾞﾟ´あかが\u3099\u0301e"
folded = st.text(alphabet=st.sampled_from(COMPAT + NEIGHBOURS), max_size=12) | st.text(max_size=12)


@settings(max_examples=1000, deadline=None)
@given(folded)
@example(text="(´・ω・`)！ｶﾞｿﾘﾝ…")
def test_fold_is_nfkc_then_casefold(text: str) -> None:
    assert textnorm.fold(text) == unicodedata.normalize("NFKC", text).casefold()


def test_every_compat_character_folds_as_nfkc() -> None:
    """Alone and around neighbours it could combine with."""
    for c in [*COMPAT, *(chr(x) for b in textnorm._COMPAT_BLOCKS for x in range(*b))]:
        for text in (c, f"a{c}\u0301", f"か{c}\u3099", f"\u3099{c}ｶ"):
            assert textnorm.fold(text) == unicodedata.normalize("NFKC", text).casefold(), repr(text)
