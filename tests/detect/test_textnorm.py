"""Normalisation for copy-paste detection: Japanese forms folded, wording kept, decoration removed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kagami.detect.textnorm import MIN_CHARS, comparable, fold, hiragana, ngrams, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("がぎぐげご", "がぎぐげご"),  # dakuten kept: が is not か
        ("ぱぴぷぺぽ", "ぱぴぷぺぽ"),  # handakuten kept
        ("ｶﾞｿﾘﾝ", "ガソリン"),  # half-width katakana with voicing mark composes
        ("ﾊﾟﾝ", "パン"),
        ("ＡＢＣ１２３", "abc123"),  # full-width ASCII, case folded
        ("2025年 ABC", "2025年abc"),
        ("Sensex  Rebounds, Over 500", "sensex rebounds over 500"),  # Latin words stay apart
        ("w154 w4 #camp1", "w154 w4"),
        ("すご〜〜い", "すごーい"),  # wave dashes and runs to one long-vowel mark
        ("すごーーーい", "すごーい"),
        ("すごｰい", "すごーい"),  # half-width long-vowel mark
        ("すご～い", "すごーい"),  # full-width tilde
        ("🚨拡散希望‼️", "拡散希望"),  # emoji and variation selectors gone
        ("これは本当？！…", "これは本当"),
        ("@taro_1 見て", "見て"),
        ("見て https://t.co/AbC123 本当", "見て本当"),
        ("見てnhk-news.jp.net/news/20250701/1.html", "見て"),
        ("www3.nhk.or.jp/news/htm... 速報", "速報"),
        ("内容 #参院選2025 #不正選挙", "内容"),  # trailing hashtags removed
        ("#拡散希望 内容", "拡散希望内容"),  # a leading tag keeps its word
        ("一行目\n二行目", "一行目二行目"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_kana_folding_is_an_option() -> None:
    assert normalize("ガソリン代") == "ガソリン代"
    assert normalize("ガソリン代", fold_kana=True) == "がそりん代"
    assert normalize("ｶﾞｿﾘﾝ", fold_kana=True) == normalize("がそりん")
    assert normalize("ラーメン", fold_kana=True) == "らーめん"  # the long-vowel mark stays


def test_paraphrase_surface_changes_collapse() -> None:
    base = "期日前投票の票が集計センターで書き換えられているという内部告発があった。拡散希望"
    variants = [
        "‼️期日前投票の票が集計センターで書き換えられているという内部告発があった！拡散希望 #不正選挙",
        "期日前投票の票が集計センターで書き換えられているという内部告発があった\n拡散希望 https://t.co/x",
        "期日前投票の票が集計センターで書き換えられているという内部告発があった…拡散希望🚨",
    ]
    assert {normalize(v) for v in variants} == {normalize(base)}


def test_minimum_length() -> None:
    assert MIN_CHARS == 10
    assert not comparable(normalize("おはようございます！"))  # nine characters
    assert comparable(normalize("今日は本当に暑いですね"))  # ten
    assert not comparable(normalize("🔥🔥🔥 https://t.co/abc #test"))


def test_ngrams() -> None:
    assert ngrams("あいうえ", 2) == {"あい", "いう", "うえ"}
    assert ngrams("あ", 3) == {"あ"}
    assert ngrams("", 3) == set()


@given(st.text(max_size=60))
def test_fold_is_nfkc_then_casefold(text: str) -> None:
    """The one definition narratives, claims and copypasta share."""
    assert fold(text) == unicodedata.normalize("NFKC", text).casefold()


def test_hiragana_folds_katakana_only() -> None:
    assert hiragana("デマ ガソリン ヴ ABC 漢字ー") == "でま がそりん ゔ ABC 漢字ー"
    assert normalize("デマだ、デマ！", fold_kana=True) == hiragana(normalize("デマだ、デマ！"))
