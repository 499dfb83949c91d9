"""coordination-network-toolkit's definitions over Kagami's store, on hand-computed cases and against a
brute-force reading of the definition.

``cnt_edges`` counts a directed weight without DISTINCT: a message's matches by another account form a
run of that account's messages, and only the row whose other side starts the run counts; messages with
several targets (co_link) go through DISTINCT apart. The cases below put that counting where it can go
wrong (several messages of one account on one target, run starts on the window's edge, self-actions,
posts with several URLs) and check it against :func:`reference`, the definition read literally."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from kagami.detect.cnt import cnt_edges
from kagami.detect.sqlfiles import sections
from kagami.model import Link
from kagami.store import Store
from kagami.store.sqlfiles import run_script
from tests.detect.builders import World

#: (message, account, target, t): one row per message and target.
Event = tuple[str, str, str, float]


def directed(store: Store, layer: str, window: float, min_weight: int = 1) -> dict[tuple[str, str], int]:
    rel = cnt_edges(store, layer, window, min_weight)
    return {(u1.removeprefix("x:"), u2.removeprefix("x:")): int(wt) for u1, u2, wt in rel.fetchall()}


def reference(events: list[Event], window: float, min_weight: int = 1) -> dict[tuple[str, str], int]:
    """The toolkit's weight read literally: u1's messages matched by any message of u2 (another account)
    on one of their targets within the window, counted once each."""
    matched: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m1, u1, x1, t1 in events:
        for _, u2, x2, t2 in events:
            if x1 == x2 and u1 != u2 and abs(t1 - t2) <= window:
                matched[u1, u2].add(m1)
    return {k: len(v) for k, v in matched.items() if len(v) >= min_weight}


def reposts(w: World, rows: list[tuple[str, str, float]]) -> list[Event]:
    """Add (account, target, t) reposts to ``w``; return them as events."""
    return [(w.repost(u, x, t), u, x, t) for u, x, t in rows]


def test_an_account_repeating_a_target_is_counted_once_per_message(store: Store) -> None:
    w = World()
    events = reposts(
        w,
        [
            ("a", "X", 100),  # matched by three of b's messages: counts once for a -> b
            ("b", "X", 70),
            ("b", "X", 100),
            ("b", "X", 160),
            ("b", "X", 161),  # 61 s after a's: outside, but within the window of b's own others
            ("c", "X", 100.5),
            ("c", "X", 100.5),  # the same time twice: one run, one start
            ("a", "Y", 0),
            ("a", "Y", 5),  # two messages of a, both matched by b's one: counts twice for a -> b
            ("b", "Y", 3),
            ("a", "Z", 0),
            ("a", "Z", 1),  # a with itself only: never an edge
        ],
    )
    w.load(store)
    got = directed(store, "co_retweet", 60)
    assert got == reference(events, 60)
    assert got[("a", "b")] == 3 and got[("b", "a")] == 4 and got[("c", "b")] == 2


def test_a_run_starts_exactly_on_the_window_edge(store: Store) -> None:
    w = World()
    events = reposts(
        w,
        [
            ("a", "X", 1000),
            ("b", "X", 939),  # 61 s before: outside
            ("b", "X", 940),  # exactly 60 s before: inside, starts b's run around a's message
            ("b", "X", 1060),  # exactly 60 s after: inside
            ("a", "Y", 1000),
            ("b", "Y", 940),  # b's previous message on Y is exactly at t - w: the next one does not start
            ("b", "Y", 941),
            ("a", "Z", 1000),
            ("b", "Z", 939),  # previous message just outside: the next one starts the run
            ("b", "Z", 1001),
        ],
    )
    w.load(store)
    for window in (60, 59, 61, 0, 1):
        assert directed(store, "co_retweet", window) == reference(events, window), window
    assert directed(store, "co_retweet", 60) == {("a", "b"): 3, ("b", "a"): 5}


def test_self_actions_make_no_edge(store: Store) -> None:
    w = World()
    own = w.post("a", 0, "mine")
    events = reposts(w, [("a", own.removeprefix("x:"), 10), ("a", own.removeprefix("x:"), 20)])
    events += reposts(w, [("b", own.removeprefix("x:"), 30), ("b", own.removeprefix("x:"), 200)])
    w.load(store)
    assert directed(store, "co_retweet", 60) == reference(events, 60) == {("a", "b"): 2, ("b", "a"): 1}


def test_a_post_with_several_urls_counts_once(store: Store) -> None:
    w = World()
    events: list[Event] = []

    def links(user: str, urls: list[str], t: float) -> None:
        uid = w.post(user, t, " ".join(urls), links=[Link(u) for u in urls])
        events.extend((uid, user, u, t) for u in dict.fromkeys(urls))

    links("a", ["https://a.example/1", "https://a.example/2"], 0)  # matched by b on both URLs: once
    links("b", ["https://a.example/1"], 10)
    links("b", ["https://a.example/2", "https://a.example/2"], 20)  # the same URL twice in one post
    links("b", ["https://a.example/2"], 30)
    links("c", ["https://a.example/3", "https://a.example/4"], 0)
    links("c", ["https://a.example/3"], 5)
    links("a", ["https://a.example/3"], 50)
    w.load(store)
    for min_weight in (1, 2, 3):
        assert directed(store, "co_link", 60, min_weight) == reference(events, 60, min_weight)
    assert directed(store, "co_link", 60)[("a", "b")] == 1


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_co_link_with_repeats_and_several_urls_matches_a_brute_force_reading(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    w = World()
    events: list[Event] = []
    for _ in range(300):
        user, t = f"u{rng.randrange(12)}", float(rng.randrange(0, 600, 5))
        urls = [f"https://e.example/{rng.randrange(8)}" for _ in range(rng.choice([1, 1, 2, 3]))]
        uid = w.post(user, t, " ".join(urls), links=[Link(u) for u in urls])
        events.extend((uid, user, u, t) for u in dict.fromkeys(urls))
    w.load(store)
    for window, min_weight in ((30, 1), (30, 3), (0, 1), (90, 2)):
        assert directed(store, "co_link", window, min_weight) == reference(events, window, min_weight)


def test_co_retweet_weights_are_directed_and_the_window_inclusive(store: Store) -> None:
    w = World()
    w.repost("u1", "X", 0), w.repost("u1", "X", 30), w.repost("u2", "X", 20)
    w.repost("u1", "Y", 100), w.repost("u2", "Y", 160)  # exactly 60 s apart
    w.repost("u3", "Y", 221)  # 61 s after u2's
    w.repost("u1", "Z", 300), w.repost("u1", "Z", 301)  # u1 with itself
    w.load(store)
    assert directed(store, "co_retweet", 60) == {("u1", "u2"): 3, ("u2", "u1"): 2}
    assert directed(store, "co_retweet", 60, 3) == {("u1", "u2"): 3}


#: What the toolkit's ``regex`` ``\s`` stops a mention at (Unicode White_Space); str.split also splits on
#: \x1c-\x1f, which a mention runs through.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def toolkit_text(text: str) -> str:
    """The toolkit's message_preprocessor written out: lower-case, drop "@" up to the next white space,
    then ``" ".join(text.split())``."""
    out, lowered, i = [], text.lower(), 0
    while i < len(lowered):
        if lowered[i] == "@":
            while i < len(lowered) and lowered[i] not in _WHITE_SPACE:
                i += 1
        else:
            out.append(lowered[i])
            i += 1
    return " ".join("".join(out).split())


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_co_tweet_matches_the_toolkit_normalisation_on_random_hostile_texts(store: Store, seed: int) -> None:
    """Texts drawn from letters, "@" and every kind of white space (ends included), so that the rewrites
    that run only on texts that need them (mentions, runs of white space, the trim) are all exercised."""
    rng = random.Random(seed)
    alphabet = [
        "a",
        "B",
        "\u00c9",
        "\u00e9",
        "@",
        " ",
        " ",
        "\t",
        "\n",
        "\u3000",
        "\xa0",
        "\x1c",
        "\u2028",
        "\u200b",
        "x",
    ]
    w = World()
    events: list[Event] = []
    for _ in range(400):
        user, t = f"u{rng.randrange(15)}", float(rng.randrange(0, 300, 3))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 7)))
        events.append((w.post(user, t, text), user, toolkit_text(text), t))
    w.load(store)
    for window, min_weight in ((30, 1), (60, 2), (0, 1)):
        expected = reference(events, window, min_weight)
        assert expected, "the draw should give edges"
        assert directed(store, "co_tweet", window, min_weight) == expected


def test_co_tweet_uses_the_toolkit_normalisation(store: Store) -> None:
    w = World()
    w.post("a", 0, "@bob Hello  World")
    w.post("b", 10, "hello world @carol")
    w.post("c", 5, "Hello World!")
    w.post("d", 0, "hello world", kind="repost", ref_id="zz")  # reposts never count
    w.post("e", 100, "@x")  # normalises to '', as does the empty text: the toolkit matches them
    w.post("f", 101, "")
    w.load(store)
    assert directed(store, "co_tweet", 60) == {("a", "b"): 1, ("b", "a"): 1, ("e", "f"): 1, ("f", "e"): 1}


def test_co_link_uses_urls_as_written(store: Store) -> None:
    w = World()
    w.link("a", "https://Example.com/A", 0, "https://example.com/A")
    w.link("b", "https://Example.com/A", 30, "https://example.com/A")
    w.link("c", "https://example.com/A", 30)
    w.link("d", "https://Example.com/A", 10, kind="repost")
    w.load(store)
    assert directed(store, "co_link", 60) == {("a", "b"): 1, ("b", "a"): 1}


def random_actions(seed: int) -> list[tuple[str, str, float]]:
    """400 (account, target, t): 25 accounts, 12 targets, 15 minutes, many at one shared instant."""
    rng = random.Random(seed)
    return [
        (f"u{rng.randrange(25)}", f"T{rng.randrange(12)}", rng.choice([rng.randrange(900), 450.5]))
        for _ in range(400)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_co_retweet_matches_a_brute_force_reading(store: Store, seed: int) -> None:
    w = World()
    rows = random_actions(seed)
    events = reposts(w, rows)
    w.load(store)
    expected = reference(events, 30, 2)
    assert directed(store, "co_retweet", 30, 2) == expected
    assert len(expected) > 20
    for window, min_weight in ((60, 1), (0, 1), (120, 4)):
        assert directed(store, "co_retweet", window, min_weight) == reference(events, window, min_weight)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_co_like_is_co_retweet_over_likes(store: Store, seed: int) -> None:
    """The 10M-action case's network: the toolkit's co_retweet definition over likes. Unlikes, likes of
    accounts and likes with no time are left out; the same events as reposts give the same edges."""
    w = World()
    rows = random_actions(seed)
    events = [(w.like(u, x, t), u, x, t) for u, x, t in rows]
    w.like("u1", "T1", 450.5, kind="unlike")
    w.like("u2", "T1", 450.5, target_kind="account")
    w.like("u3", "T1", None)
    w.load(store)
    expected = reference(events, 30, 2)
    assert len(expected) > 20
    assert directed(store, "co_like", 30, 2) == expected
    for window, min_weight in ((60, 1), (0, 1), (120, 4)):
        assert directed(store, "co_like", window, min_weight) == reference(events, window, min_weight)
    as_reposts = World()
    reposts(as_reposts, rows)
    other = Store(":memory:")
    as_reposts.load(other)
    assert directed(other, "co_retweet", 30, 2) == expected


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_events_that_can_match_nothing_are_left_out_without_changing_a_count(store: Store, seed: int) -> None:
    """Sparse events, most with no other event on their target within the window: the candidates step
    leaves them out, including the earlier messages of accounts that repeat a target (the run-start test
    reads them) and single rows of posts with several URLs. Every weight still equals the literal reading."""
    rng = random.Random(seed)
    w = World()
    retweets: list[Event] = []
    links: list[Event] = []
    for _ in range(300):
        user = f"u{rng.randrange(10)}"
        t = float(20_000 + rng.randrange(0, 200) if rng.random() < 0.3 else rng.randrange(0, 50_000))
        retweets.extend(reposts(w, [(user, f"T{rng.randrange(4)}", t)]))
        urls = [f"https://s.example/{rng.randrange(4)}" for _ in range(rng.choice([1, 2]))]
        uid = w.post(user, t, " ".join(urls), links=[Link(u) for u in urls])
        links.extend((uid, user, u, t) for u in dict.fromkeys(urls))
    w.load(store)
    sql = sections("cnt.sql")
    run_script(store.con, sql["candidates"].replace("{EVENTS}", sql["co_retweet"]), {"w_us": 30_000_000})
    kept = store.con.execute("SELECT count(*) FROM _cnt_ev").fetchall()[0][0]
    assert 0 < kept < len(retweets) // 2  # most are left out
    for window, min_weight in ((30, 1), (30, 2), (0, 1), (300, 2)):
        assert directed(store, "co_retweet", window, min_weight) == reference(retweets, window, min_weight)
        assert directed(store, "co_link", window, min_weight) == reference(links, window, min_weight)


def test_an_isolated_earlier_message_does_not_hide_a_run_start(store: Store) -> None:
    """a's message at 950 is far from every other message on T (left out); a's message at 1000 still starts
    its run around b's at 1010, and b's at 1010 around a's at 1000."""
    w = World()
    events = reposts(
        w, [("a", "T", 0), ("a", "T", 950), ("a", "T", 1000), ("b", "T", 1010), ("b", "T", 2000)]
    )
    w.load(store)
    assert directed(store, "co_retweet", 30) == reference(events, 30) == {("a", "b"): 1, ("b", "a"): 1}
