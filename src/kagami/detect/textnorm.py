"""Text normalisation for copy-paste detection, Japanese first.

Steps, in order: NFKC (full-width ASCII and half-width katakana to their standard forms, ``ｶﾞ`` to
``ガ``, composed so that dakuten stay: ``が`` is never ``か``); case folding; links (``http(s)://…``,
``www.…``, and ``domain.tld/…`` as Bluesky shows them), @mentions and the run of hashtags that ends a
post removed; a ``#`` inside a sentence is dropped but its word kept; long-vowel and wave-dash
variants (``ー ｰ 〜 ～ ~ ― ‐ −``) folded to ``ー`` and runs of them to one; then everything
that is not a letter, digit or ``ー`` (punctuation, emoji, variation selectors, symbols) removed,
and spaces too, except one between two Latin letters or digits, where it separates words. Optionally
katakana is folded to hiragana. The first and last of these, :func:`fold` and :func:`hiragana`, are
shared with :mod:`kagami.detect.narrative_text` (narratives and claim matching), whose key otherwise
differs on purpose: it keeps spaces and hashtag words, which its TF-IDF needs.

What survives is the wording alone, which is what copy-paste keeps. Texts whose normalised form is
shorter than :data:`MIN_CHARS` are not compared at all (see :func:`comparable`): ten Japanese characters
is about one short clause (``今日は暑いですね`` is eight), and identical greetings, reactions and
slogans of that length are what ordinary people write every day, so they say nothing about copying.

>>> normalize("期日前投票の票が書き換えられている！")
'期日前投票の票が書き換えられている'
>>> normalize("ｶﾞｿﾘﾝ代 ＵＰ‼️")
'ガソリン代up'
>>> normalize("@taro 拡散希望 https://t.co/abc 見て #参院選2025 #不正選挙")
'拡散希望見て'
>>> normalize("見てnhk-news.jp.net/news/20... 本当")
'見て本当'
>>> normalize("#拡散希望 みんな〜〜見てね～")
'拡散希望みんなー見てねー'
>>> normalize("Vote  for ＡＢＣ! 今日 は")
'vote for abc今日は'
>>> normalize("ガソリン", fold_kana=True)
'がそりん'
>>> comparable("今日は暑いですね"), comparable("期日前投票の票が書き換えられている")
(False, True)
"""

from __future__ import annotations

import re
import unicodedata

#: Normalised texts shorter than this (characters) are never compared.
MIN_CHARS = 10

_LINK = re.compile(r"(?:https?://|www\d*\.)\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*")
_MENTION = re.compile(r"@[\w.]+")
_TRAILING_TAGS = re.compile(r"(?:\s*#[^\s#]+)+\s*$")
_LONG_MARKS = "ー~〜―‐−–—"
_LONG = re.compile(f"[{_LONG_MARKS}]+")
_DROP = re.compile(r"[\W_]+")
_SPACE = re.compile(r"(?<![a-z0-9]) | (?![a-z0-9])")
_LATIN = re.compile(r"[a-z0-9]")
_RUN = re.compile(r"ー{2,}")
_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}
#: Blocks whose compatibility characters are common in posts: Latin-1, punctuation (``…`` ``‼``),
#: letterlike (``℃``), enclosed numbers, CJK symbols and compatibility forms, full- and half-width forms.
_COMPAT_BLOCKS = ((0xA0, 0x100), (0x2000, 0x2070), (0x2100, 0x2190), (0x2460, 0x2500), (0x3000, 0x3040),
                  (0x3200, 0x3400), (0xFE30, 0xFE70), (0xFF00, 0xFFF0))  # fmt: skip


def _compat_table() -> dict[str, str]:
    """Each character of :data:`_COMPAT_BLOCKS` whose NFKD differs from it and is made of starters already
    in NFKC (``！`` to ``!``, ``ｶ`` to ``カ``, not ``ﾞ``, a combining mark), mapped to that NFKD."""
    table = {}
    for low, high in _COMPAT_BLOCKS:
        for char in map(chr, range(low, high)):
            nfkd = unicodedata.normalize("NFKD", char)
            starters = all(unicodedata.combining(c) == 0 for c in nfkd)
            if nfkd != char and starters and unicodedata.is_normalized("NFKC", nfkd):
                table[char] = nfkd
    return table


_COMPAT = _compat_table()
#: Any character of :data:`_COMPAT` (a substitution is faster than ``str.translate`` with a dict).
_COMPAT_CHAR = re.compile(f"[{re.escape(''.join(_COMPAT))}]")


def _decompose(match: re.Match[str]) -> str:
    return _COMPAT[match[0]]


def fold(text: str) -> str:
    """NFKC, then case folding: the first step of every text key (``ＡＢＣ`` = ``abc``, ``ｶﾞ`` = ``ガ``).

    A text not in NFKC first has its common compatibility characters replaced by their decompositions
    (:data:`_COMPAT`): NFKC decomposes every character fully anyway, so the result is the same, and a
    text whose only such characters were ``！`` or ``…`` is then in NFKC and skips the normalisation
    proper, many times slower than its quick check.

    >>> fold("ＡＢＣ ｶﾞｿﾘﾝ Straße")
    'abc ガソリン strasse'
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = _COMPAT_CHAR.sub(_decompose, text)
    return unicodedata.normalize("NFKC", text).casefold()


def hiragana(text: str) -> str:
    """Katakana folded to hiragana (``デマ`` = ``でま``); other characters unchanged."""
    return text.translate(_KATA_TO_HIRA)


def _folds_long_marks(s: str) -> bool:
    """Whether folding :data:`_LONG_MARKS` changes ``s``: it holds a mark other than ``ー`` or a run of
    ``ー`` (spelt out: faster than a loop or a regex, and a single ``ー`` is common in Japanese)."""
    return "ーー" in s or "~" in s or "〜" in s or "―" in s or "‐" in s or "−" in s or "–" in s or "—" in s


def normalize(text: str, *, fold_kana: bool = False) -> str:
    """The wording of ``text``: NFKC, case folded, links/mentions/trailing tags/emoji/punctuation gone.

    Each substitution runs only when it can change the text (a link needs ``/`` or ``www``, a mention
    ``@``, a tag ``#``; with no Latin letter or digit every space goes): a substring test is far cheaper
    than a regular expression scan, and most posts hold no link, mention or tag. Same output as running
    every step (tests/detect/test_dupes_textnorm.py).
    """
    s = fold(text)
    if "/" in s or "www" in s:
        s = _LINK.sub(" ", s)
    if "@" in s:
        s = _MENTION.sub(" ", s)
    if "#" in s:
        s = _TRAILING_TAGS.sub("", s)
    if _folds_long_marks(s):
        s = _LONG.sub("ー", s)
    s = _DROP.sub(" ", s).strip()
    if " " in s:
        s = _SPACE.sub("", s) if _LATIN.search(s) else s.replace(" ", "")
    if "ーー" in s:
        s = _RUN.sub("ー", s)
    return hiragana(s) if fold_kana else s


def comparable(normalised: str, min_chars: int = MIN_CHARS) -> bool:
    """Whether a normalised text is long enough to say anything when copied."""
    return len(normalised) >= min_chars


def ngrams(normalised: str, n: int = 3) -> set[str]:
    """The set of character n-grams; a text shorter than ``n`` is its own single gram.

    >>> sorted(ngrams("がんばる", 3))
    ['がんば', 'んばる']
    """
    if len(normalised) <= n:
        return {normalised} if normalised else set()
    return {normalised[i : i + n] for i in range(len(normalised) - n + 1)}
