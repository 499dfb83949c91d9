"""coordination-network-toolkit's co_similar_tweet over Kagami's store: the SQL tokeniser against the
toolkit's own, and the edges against the definition read literally (every pair of messages compared).

The toolkit's co_similar_tweet on 1M synthetic tweets is compared edge for edge by
``bench/peers/cnt_compare.py``; these cases put the prefix filter, the window's edges, the threshold's
boundary and the two tokenising paths (SQL for plain ASCII, the toolkit's code for the rest) where they
can go wrong."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from kagami.detect.cnt import cnt_edges
from kagami.detect.cnt_similar import TEMP, toolkit_tokens
from kagami.detect.sqlfiles import sections
from kagami.ingest import ingest
from kagami.store import Store
from kagami.store.sqlfiles import has_table, run_script
from tests.detect.builders import World

#: (message, account, text, t) of a message that is not a repost.
Message = tuple[str, str, str, float]

#: Every printable ASCII character but the apostrophe, white space the SQL path splits on, runs that
#: exercise the joins inside a word ("a.b", "1,000", "x:y", "_"), and the Japanese it takes: hiragana,
#: katakana (with ー ヽ ヾ and the middle dot, which is no part of a katakana word), kanji, 々 (a letter to
#: UAX #29, so "s々" is one word), the ideographic space, Japanese punctuation and brackets.
JAPANESE = (
    [chr(c) for c in range(0x3041, 0x3097)]
    + [chr(c) for c in range(0x30A1, 0x30FF)]
    + list("選挙外国干渉投票日本政府情報一鿿々ゝゞ\u3000、。〃「」『』【】〈〉《》！（）？")
)
PLAIN = [chr(c) for c in range(0x20, 0x7F) if c != 0x27] + list("\t\n\r\x0b\x0c") + list("a.1,b:2;_") * 4

#: Characters the SQL path must hand to the toolkit's code: the apostrophe, half-width katakana,
#: full-width letters and digits, a combining dakuten, accents and a combining mark, NBSP, zero-width
#: space, other controls, an RTL override, an emoji.
ODD = ["'", "ﾀ", "Ａ", "１", "か\u3099", "É", "e\u0301", "\xa0", "\u200b", "\x1c", "\x00", "\u202e", "🗳"]


def directed(store: Store, window: float, min_weight: int = 1, **kw: float) -> dict[tuple[str, str], int]:
    rel = cnt_edges(store, "co_similar_tweet", window, min_weight, **kw)
    return {(u1.removeprefix("x:"), u2.removeprefix("x:")): int(w) for u1, u2, w in rel.fetchall()}


def reference(
    messages: list[Message], window: float, min_weight: int, threshold: float, min_tokens: float = 1
) -> dict[tuple[str, str], int]:
    """The toolkit's query read literally: every pair of messages within the window, its similarity
    function (``MinDocSizeSimilarity``: a set below ``min_tokens`` tokens scores 0) on its token sets."""
    sets = {m: set(toolkit_tokens(text)) for m, _, text, _ in messages}
    matched: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m1, u1, _, t1 in messages:
        s1 = sets[m1]
        for m2, u2, _, t2 in messages:
            s2 = sets[m2]
            if u1 == u2 or abs(t1 - t2) > window or len(s1) < min_tokens or len(s2) < min_tokens:
                continue
            if s1 | s2 and len(s1 & s2) / len(s1 | s2) >= threshold:
                matched[u1, u2].add(m1)
    return {k: len(v) for k, v in matched.items() if len(v) >= min_weight}


def sql_tokens(store: Store, texts: list[str]) -> list[tuple[list[str] | None, str | None]]:
    """The ``docs`` step's (tokens, other) for each text, in order: tokens sorted and distinct, or None
    where the text is left to the toolkit's code."""
    w = World()
    ids = [w.post("u", i, text) for i, text in enumerate(texts)]
    w.load(store)
    run_script(store.con, sections("cnt_similar.sql")["docs"], {})
    rows = dict(
        store.con.execute(
            "SELECT p.uid, (d.toks, d.other) FROM _sim_docs d JOIN posts p ON p.rowid = d.item"
        ).fetchall()
    )
    store.con.execute("DROP TABLE _sim_docs")
    return [(None if toks is None else sorted(set(toks)), other) for toks, other in (rows[i] for i in ids)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_tokens_equal_the_toolkits_on_random_plain_texts(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    pools = [PLAIN, JAPANESE, PLAIN + JAPANESE, JAPANESE + list("_a1._ @")]
    texts = []
    for _ in range(3000):
        pool = rng.choice(pools)
        texts.append("".join(rng.choice(pool) for _ in range(rng.randrange(0, 30))))
    texts += [
        "@Bob Hello, hello World! e.g. 1,000 x:y 2;3 a.1 1.a _.b https://x.example/a?b=1#f",
        "参院選は「外国の干渉」に注意！ラーメン_abc s々 @相手\u3000カタカナ・ひらがな。#選挙",
    ]
    got = sql_tokens(store, texts)
    for text, (toks, other) in zip(texts, got, strict=True):
        assert other is None, text
        assert toks == toolkit_tokens(text), repr(text)
    assert "1,000" in (got[-2][0] or [])
    assert {"ラーメン_abc", "s々", "カタカナ", "参", "！"} <= set(got[-1][0] or [])


def test_texts_outside_plain_ascii_go_to_the_toolkits_code(store: Store) -> None:
    texts = [f"abc {c} def" for c in ODD] + ["ABC DEF", ""]
    got = sql_tokens(store, texts)
    for text, (toks, other) in zip(texts[: len(ODD)], got, strict=False):
        assert toks is None and other == text
    assert got[-2] == (["abc", "def"], None)
    assert got[-1] == ([], None)


def test_the_toolkits_tokens_of_japanese_and_quoted_text() -> None:
    # Unicode word boundaries: each kanji and hiragana apart, a katakana run whole (half-width too),
    # full-width letters and digits one word, apostrophes dropped where they open or close a word.
    assert toolkit_tokens("選挙に行こう！カタカナ") == ["う", "こ", "に", "カタカナ", "挙", "行", "選", "！"]
    assert toolkit_tokens("ｶﾀｶﾅ Ａｂｃ１２") == ["ａｂｃ１２", "ｶﾀｶﾅ"]
    assert toolkit_tokens("Don't 'quote' it") == ["don't", "it", "quote"]
    assert toolkit_tokens("@someone") == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_edges_match_every_pair_compared(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    vocab = ["alpha", "beta", "gamma", "delta", "e.g", "1,000", "#tag", "!", "日本", "選挙", "don't", "カタ"]
    w = World()
    messages: list[Message] = []
    templates = [[rng.choice(vocab) for _ in range(rng.randrange(2, 7))] for _ in range(6)]
    for _ in range(160):
        user, t = f"u{rng.randrange(14)}", float(rng.randrange(0, 400, 4))
        words = list(rng.choice(templates))
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = rng.choice(vocab)  # a variant
        if rng.random() < 0.3:
            words.append(rng.choice(["@someone", "@x", "Alpha", "BETA"]))
        if rng.random() < 0.1:
            words = []
        text = " ".join(words)
        if rng.random() < 0.5:
            messages.append((w.post(user, t, text), user, text, t))
        else:
            w.post(user, t, text, kind="repost", ref_id=f"r{rng.randrange(5)}")  # reposts never count
    w.load(store)
    cases = [(60, 1, 0.8, 1), (30, 2, 0.5, 1), (0, 1, 0.8, 1), (60, 1, 1.0, 1), (120, 1, 0.6, 3)]
    cases.append((45, 3, 0.3, 2))
    for window, min_weight, threshold, min_tokens in cases:
        expected = reference(messages, window, min_weight, threshold, min_tokens)
        got = directed(store, window, min_weight, similarity_threshold=threshold, min_tokens=min_tokens)
        assert got == expected, (window, min_weight, threshold, min_tokens)
    assert reference(messages, 60, 1, 0.8), "the draw should give edges"


def test_the_threshold_and_the_window_are_inclusive(store: Store) -> None:
    w = World()
    w.post("a", 0, "one two three four")
    w.post("b", 60, "one two three four five")  # 4/5 = 0.8 exactly, 60 s apart
    w.post("c", 61, "one two three four")  # identical to a's, 61 s after: outside
    w.post("d", 100, "one two three five six")  # 3/6 with b's
    w.load(store)
    got = directed(store, 60)
    assert got == {("a", "b"): 1, ("b", "a"): 1, ("b", "c"): 1, ("c", "b"): 1}
    assert directed(store, 59) == {("b", "c"): 1, ("c", "b"): 1}
    assert directed(store, 60, similarity_threshold=0.81) == {}
    assert directed(store, 60, similarity_threshold=0.5)[("b", "d")] == 1


def test_weights_count_distinct_messages_per_direction(store: Store) -> None:
    w = World()
    w.post("a", 0, "vote early vote often")
    w.post("a", 10, "VOTE  early vote often")  # the same set: similar to b's too
    w.post("a", 11, "vote early, vote often")  # 3/4 with the others: not similar at 0.8
    w.post("b", 5, "Vote early vote often")
    w.post("b", 6, "vote early vote often @friend")  # both of b's match both of a's
    w.post("a", 20, "vote early vote often")  # a with itself only: no self-loop
    w.load(store)
    got = directed(store, 60)
    assert got == {("a", "b"): 3, ("b", "a"): 2}
    assert directed(store, 60, 3) == {("a", "b"): 3}


def test_short_and_empty_messages(store: Store) -> None:
    w = World()
    w.post("a", 0, "")
    w.post("b", 1, "@only_a_mention")  # no token: never similar, whatever the threshold
    w.post("c", 2, "hi")
    w.post("d", 3, "hi")
    w.load(store)
    assert directed(store, 60) == {("c", "d"): 1, ("d", "c"): 1}
    assert directed(store, 60, min_tokens=2) == {}
    assert directed(store, 60, min_tokens=0) == {("c", "d"): 1, ("d", "c"): 1}


def test_a_bad_threshold_is_refused_and_nothing_is_left_behind(store: Store) -> None:
    w = World()
    w.post("a", 0, "x y")
    w.post("b", 1, "x y")
    w.load(store)
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(ValueError, match="threshold"):
            cnt_edges(store, "co_similar_tweet", 60, similarity_threshold=bad)
    assert directed(store, 60) == {("a", "b"): 1, ("b", "a"): 1}
    assert not any(has_table(store.con, t) for t in TEMP)


def test_real_payloads_tokens_and_edges(store: Store, shared_data: Path) -> None:
    """The captures under ../shared/data/formats (X, Mastodon's HTML, Bluesky; several scripts and emoji):
    the SQL path's tokens are the toolkit's wherever it takes a text, and the edges are those of every
    pair compared."""
    ingest(store, [shared_data / "formats"])
    run_script(store.con, sections("cnt_similar.sql")["docs"], {})
    rows = store.con.execute(
        "SELECT p.uid, p.author_uid, p.text, epoch(p.created_at), d.toks FROM _sim_docs d "
        "JOIN posts p ON p.rowid = d.item"
    ).fetchall()
    store.con.execute("DROP TABLE _sim_docs")
    plain = [(text, toks) for _, _, text, _, toks in rows if toks is not None]
    assert len(plain) > 300 and len(rows) - len(plain) > 600  # both paths taken
    for text, toks in plain:
        assert sorted(set(toks)) == toolkit_tokens(text or ""), text
    messages = [(uid, author.removeprefix("x:"), text or "", float(t)) for uid, author, text, t, _ in rows]
    for window, threshold in ((600, 0.8), (86400, 0.5)):
        expected = reference(messages, window, 1, threshold)
        assert len(expected) > 20
        assert directed(store, window, similarity_threshold=threshold) == expected


def test_hostile_texts_are_compared_faithfully(store: Store) -> None:
    big = " ".join(f"w{i}" for i in range(150_000))  # about 1 MB, plain ASCII: the SQL path
    w = World()
    messages: list[Message] = []
    for user, t, text in [
        ("a", 0, big),
        ("b", 10, big + " extra"),
        ("c", 20, "<script>alert(1)</script> \u202egnp.exe\u202c"),
        ("d", 25, "<SCRIPT>alert(1)</SCRIPT> \u202egnp.exe\u202c"),
        ("e", 30, "nul\x00byte \u200bzero width"),
        ("f", 31, "nul\x00byte \u200bzero width"),
        ("g", 32, "=cmd|' /C calc'!A0"),
        ("h", 33, "=CMD|' /C calc'!A0"),
    ]:
        messages.append((w.post(user, t, text), user, text, t))
    w.load(store)
    expected = reference(messages, 60, 1, 0.8)
    assert directed(store, 60) == expected
    assert {("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")} <= set(expected)
