"""coordination-network-toolkit's definitions over Kagami's store, on hand-computed cases and against a
brute-force reading of the definition."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from kagami.detect.cnt import cnt_edges
from kagami.store import Store
from tests.detect.builders import World


def directed(store: Store, layer: str, window: float, min_weight: int = 1) -> dict[tuple[str, str], int]:
    rel = cnt_edges(store, layer, window, min_weight)
    return {(u1.removeprefix("x:"), u2.removeprefix("x:")): int(wt) for u1, u2, wt in rel.fetchall()}


def test_co_retweet_weights_are_directed_and_the_window_inclusive(store: Store) -> None:
    w = World()
    w.repost("u1", "X", 0), w.repost("u1", "X", 30), w.repost("u2", "X", 20)
    w.repost("u1", "Y", 100), w.repost("u2", "Y", 160)  # exactly 60 s apart
    w.repost("u3", "Y", 221)  # 61 s after u2's
    w.repost("u1", "Z", 300), w.repost("u1", "Z", 301)  # u1 with itself
    w.load(store)
    assert directed(store, "co_retweet", 60) == {("u1", "u2"): 3, ("u2", "u1"): 2}
    assert directed(store, "co_retweet", 60, 3) == {("u1", "u2"): 3}


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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_co_retweet_matches_a_brute_force_reading(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    w = World()
    msgs = []
    for i in range(400):
        user, target, t = (
            f"u{rng.randrange(25)}",
            f"T{rng.randrange(12)}",
            rng.choice([rng.randrange(900), 450.5]),
        )
        w.repost(user, target, t)
        msgs.append((f"i{i + 1}", user, target, t))
    w.load(store)
    want: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m1, u1, x1, t1 in msgs:
        for _, u2, x2, t2 in msgs:
            if x1 == x2 and u1 != u2 and abs(t1 - t2) <= 30:
                want[u1, u2].add(m1)
    expected = {k: len(v) for k, v in want.items() if len(v) >= 2}
    assert directed(store, "co_retweet", 30, 2) == expected
    assert len(expected) > 20
