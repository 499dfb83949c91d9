"""The significance model: chance co-actions of busy accounts on popular targets are not evidence; the
same count of co-actions by quiet accounts on obscure targets is. Also BH q-values and the viral cap."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from kagami.detect.coaction import build_edges, poisson_sf
from kagami.detect.coaction_config import CoactionConfig
from kagami.store import Store
from tests.detect.builders import World

REPOST = CoactionConfig().only("repost")


def crowd_world(seed: int = 5) -> World:
    """30 popular posts, each reposted by 60 of 300 ordinary accounts within one minute; two busy accounts
    (h1, h2) repost 15 popular posts each and meet by chance on 3; two quiet accounts (q1, q2) repost 3
    obscure posts nobody else touches, seconds apart."""
    rng = random.Random(seed)
    w = World()
    for k in range(30):
        w.post("o", 10_000 * k - 3600, pid=f"P{k}")
        for c in rng.sample(range(300), 60):
            w.repost(f"c{c}", f"P{k}", 10_000 * k + rng.randrange(60))
    for k in [*range(3), *range(3, 15)]:
        w.repost("h1", f"P{k}", 10_000 * k + 20)
    for k in [*range(3), *range(15, 27)]:
        w.repost("h2", f"P{k}", 10_000 * k + 25)
    for k in range(3):
        w.post("o2", 500_000 + 10_000 * k, pid=f"O{k}")
        w.repost("q1", f"O{k}", 500_100 + 10_000 * k)
        w.repost("q2", f"O{k}", 500_104 + 10_000 * k)
    return w


@pytest.fixture
def crowd(store: Store) -> Store:
    build_edges(crowd_world().load(store), REPOST)
    return store


def row(store: Store, a: str, b: str) -> tuple[int, float, float, float, float]:
    got = store.con.execute(
        "SELECT n_targets, expected, pvalue, qvalue, weight FROM coaction_edges WHERE a = ? AND b = ?", [a, b]
    ).fetchall()
    assert len(got) == 1, (a, b)
    n, lam, p, q, w = got[0]
    return int(n), float(lam), float(p), float(q), float(w)


def test_busy_accounts_on_popular_targets_are_not_significant(crowd: Store) -> None:
    n_h, lam_h, p_h, q_h, _ = row(crowd, "x:h1", "x:h2")
    n_q, lam_q, p_q, q_q, w_q = row(crowd, "x:q1", "x:q2")
    assert n_h == n_q == 3
    assert lam_h > 1.0 > 100 * lam_q  # the null expects the busy pair to meet, not the quiet one
    assert p_h > 0.5 and p_q < 1e-6 and p_h > 1e5 * p_q
    assert q_h == 1.0 and q_q < 0.01
    assert w_q == pytest.approx(-math.log10(p_q))


def test_pvalues_match_the_poisson_tail(crowd: Store) -> None:
    rows = crowd.con.execute("SELECT n_targets, expected, pvalue FROM coaction_edges").fetchall()
    assert len(rows) > 50
    for n, lam, p in rows:
        assert p == pytest.approx(poisson_sf(int(n), float(lam)), rel=1e-9, abs=1e-15)
        assert 0.0 < p <= 1.0


def test_bh_qvalues_are_monotone_and_match_a_reference(crowd: Store) -> None:
    rows = crowd.con.execute("SELECT pvalue, qvalue FROM coaction_edges ORDER BY pvalue, a, b").fetchall()
    eligible = crowd.scalar(
        "SELECT count(*) FROM (SELECT author_uid FROM posts WHERE kind = 'repost' "
        "GROUP BY author_uid HAVING count(DISTINCT ref_uid) >= 2)"
    )
    m = eligible * (eligible - 1) / 2
    ps = [r[0] for r in rows]
    ref = [0.0] * len(ps)
    running = 1.0
    for i in range(len(ps) - 1, -1, -1):
        running = min(running, ps[i] * m / (i + 1))
        ref[i] = running
    qs = [r[1] for r in rows]
    assert qs == pytest.approx(ref, rel=1e-9)
    assert all(q1 <= q2 for q1, q2 in itertools.pairwise(qs))
    assert all(q >= p for p, q in rows)


def test_viral_target_in_one_window_is_not_paired(store: Store) -> None:
    w = World()
    w.post("o", 0, pid="V")
    for i in range(5000):
        w.repost(f"v{i}", "V", 10 + i * 0.01)  # 5,000 engagers within 50 s
    for k in range(2):
        w.post("o", 0, pid=f"O{k}")
        w.repost("a", f"O{k}", 1000 + 100 * k)
        w.repost("b", f"O{k}", 1005 + 100 * k)
    counts = build_edges(w.load(store), CoactionConfig(viral_cap=500).only("repost"))["repost"]
    assert counts.capped_events == 5000 and counts.capped_cells == 1
    assert counts.pair_targets == 2  # only a-b on O0 and O1; not the 12.5 million pairs of the crowd
    assert store.scalar("SELECT count(*) FROM coaction_edges") == 1


def test_viral_target_spread_over_time_grows_linearly(store: Store) -> None:
    w = World()
    w.post("o", 0, pid="V")
    for i in range(5000):
        w.repost(f"v{i}", "V", 12 * i)  # one every 12 s: 5 others within any 60 s window
    cfg = CoactionConfig().only("repost").with_layer("repost", min_repetitions=1)
    counts = build_edges(w.load(store), cfg)["repost"]
    assert counts.capped_events == 0
    assert counts.pair_targets == 5 * 5000 - 15  # |i - j| <= 5, exactly
    assert store.scalar("SELECT count(*) FROM coaction_edges") == counts.pair_targets
    # each pair meets once (p = 0.002 on its own), but among 12.5 million possible pairs that is chance
    assert store.scalar("SELECT min(qvalue) FROM coaction_edges") > 0.99


def test_expectation_far_above_the_count_gives_p_one(store: Store) -> None:
    """Two very busy accounts, each reposting 600 of 1,200 popular posts, meet on only 2: the null
    expects hundreds of meetings (lam > 12 sqrt(lam) + 40 + n, where the head of the Poisson sum has no
    term left), so p must be 1, not the smallest p there is (the bug an empty head sum once caused)."""
    w = World()
    for k in range(1200):
        w.post("o", 1_000 * k - 600, pid=f"P{k}")
        for c in range(20):
            w.repost(f"c{k % 7}_{c}", f"P{k}", 1_000 * k + c)
    for k in range(600):
        w.repost("h1", f"P{k}", 1_000 * k + 30)
    for k in range(598, 1198):
        w.repost("h2", f"P{k}", 1_000 * k + 31)
    build_edges(w.load(store), REPOST)
    n, lam, p, q, weight = row(store, "x:h1", "x:h2")
    assert n == 2 and lam > 12 * math.sqrt(lam) + 42
    assert p == 1.0 and q == 1.0 and weight == 0.0
    assert poisson_sf(n, lam) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [11, 12])
def test_expected_counts_match_the_null_model_read_literally(store: Store, seed: int) -> None:
    """lam = max(d_a * mm_b, d_b * mm_a) / events, with d an account's events and mm, summed over its
    events, the other accounts' events on the same target within the window. Sparse events, most alone
    on their target in any window (the window counts skip those: they add nothing), and accounts that
    repeat a target."""
    rng = random.Random(seed)
    w = World()
    events: list[tuple[str, str, float]] = []
    for k in range(8):
        w.post("o", -1000, pid=f"P{k}")
    for _ in range(300):
        u, x = f"u{rng.randrange(30)}", f"P{rng.randrange(8)}"
        t = float(5_000 + rng.randrange(300) if rng.random() < 0.3 else rng.randrange(40_000))
        w.repost(u, x, t)
        events.append((u, x, t))
    cfg = CoactionConfig().only("repost").with_layer("repost", min_repetitions=1)
    counts = build_edges(w.load(store), cfg)["repost"]
    d = {u: sum(1 for v, _, _ in events if v == u) for u, _, _ in events}
    mm = {
        u: sum(
            1
            for u1, x1, t1 in events
            if u1 == u
            for u2, x2, t2 in events
            if x2 == x1 and u2 != u and abs(t1 - t2) <= 60
        )
        for u in d
    }
    rows = store.con.execute("SELECT a, b, expected FROM coaction_edges").fetchall()
    assert counts.events == len(events) and len(rows) > 20
    assert sum(1 for u in mm if mm[u] == 0) > 0  # some accounts never meet anyone
    for a, b, lam in rows:
        a, b = a.removeprefix("x:"), b.removeprefix("x:")
        assert lam == pytest.approx(max(d[a] * mm[b], d[b] * mm[a]) / len(events), rel=1e-12)
