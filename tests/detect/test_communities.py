"""Communities on hand-built ``coaction_edges`` tables (the co-action detector's output schema)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from kagami.detect.communities import CommunityParams, detect_communities, leiden
from kagami.store import Store

COACTION_EDGES = """
CREATE TABLE coaction_edges (
    layer VARCHAR, a VARCHAR, b VARCHAR, n_targets BIGINT, n_events BIGINT, min_gap_s DOUBLE,
    median_gap_s DOUBLE, expected DOUBLE, pvalue DOUBLE, qvalue DOUBLE, weight DOUBLE
);
CREATE TABLE coaction_evidence (
    layer VARCHAR, a VARCHAR, b VARCHAR, rank INTEGER, target VARCHAR, a_item VARCHAR, b_item VARCHAR,
    a_time TIMESTAMPTZ, b_time TIMESTAMPTZ, gap_s DOUBLE
)
"""
T0 = datetime(2025, 7, 5, 3, 0, tzinfo=UTC)
A = [f"x:a{i}" for i in range(5)]
B = [f"bsky:did:plc:b{i}" for i in range(4)]
Evidence = list[tuple[str, str, str]]


def edge(
    store: Store,
    layer: str,
    a: str,
    b: str,
    *,
    q: float = 1e-4,
    weight: float = 4.0,
    gap: float = 30.0,
    evidence: Evidence | None = None,
) -> None:
    a, b = sorted((a, b))
    ev = evidence or []
    store.con.execute(
        "INSERT INTO coaction_edges VALUES (?, ?, ?, ?, ?, ?, ?, 0.1, ?, ?, ?)",
        [layer, a, b, max(1, len(ev)), max(1, len(ev)), gap, gap, q, q, weight],
    )
    for rank, (t, ai, bi) in enumerate(ev, 1):
        store.con.execute(
            "INSERT INTO coaction_evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [layer, a, b, rank, t, ai, bi, T0, T0, gap],
        )


def cliques(store: Store, order: int = 1) -> None:
    store.con.execute(COACTION_EDGES)
    rows: list[tuple[Any, ...]] = []
    rows += [("repost", x, y, 1e-4, 5.0) for i, x in enumerate(A) for y in A[i + 1 :]]
    rows += [
        (layer, x, y, 1e-3, 3.0) for layer in ("hashtag", "link") for i, x in enumerate(B) for y in B[i + 1 :]
    ]
    rows += [("like", x, y, 0.4, 0.5) for x in A for y in B]  # insignificant: must not join them
    rows.append(("reply", A[0], B[0], 0.005, 0.3))  # one weak significant bridge
    for layer, x, y, q, w in rows[::order]:
        edge(store, layer, x, y, q=q, weight=w)


def members(store: Store) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for cid, uid in store.con.execute(
        "SELECT community_id, account_uid FROM community_members ORDER BY ALL"
    ).fetchall():
        out.setdefault(int(cid), []).append(str(uid))
    return out


def test_two_planted_cliques_are_two_communities(store: Store) -> None:
    cliques(store)
    assert detect_communities(store.con) == 2
    assert members(store) == {1: sorted(A), 2: sorted(B)}
    rows = store.con.execute(
        "SELECT community_id, size, density, layers FROM communities ORDER BY 1"
    ).fetchall()
    assert rows == [(1, 5, 1.0, ["repost"]), (2, 4, 1.0, ["hashtag", "link"])]
    deg = store.con.execute(
        "SELECT account_uid, degree, strength FROM community_members WHERE community_id = 2 ORDER BY 1"
    ).fetchall()
    assert deg == [(uid, 3, 18.0) for uid in sorted(B)]  # three neighbours, two layers of weight 3 each


def test_insignificant_edges_are_ignored(store: Store) -> None:
    store.con.execute(COACTION_EDGES)
    for i, x in enumerate(A):
        for y in A[i + 1 :]:
            edge(store, "repost", x, y, q=0.05)
    assert detect_communities(store.con) == 0
    assert members(store) == {}
    assert detect_communities(store.con, CommunityParams(alpha=0.1)) == 1
    assert members(store) == {1: sorted(A)}


def test_same_edges_and_seed_give_the_same_communities() -> None:
    results = []
    for order in (1, -1):
        with Store(":memory:") as store:
            cliques(store, order)
            detect_communities(store.con)
            results.append(
                (
                    store.con.execute("SELECT * FROM communities ORDER BY 1").fetchall(),
                    store.con.execute("SELECT * FROM community_members ORDER BY ALL").fetchall(),
                )
            )
    assert results[0] == results[1]


def test_leiden_is_deterministic_on_a_noisy_graph() -> None:
    rng = random.Random(5)
    nodes = [f"x:{i:03d}" for i in range(60)]
    edges = [
        (a, b, rng.uniform(0.5, 5.0))
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
        if rng.random() < (0.6 if int(a[2:]) // 10 == int(b[2:]) // 10 else 0.02)
    ]
    first = leiden(edges, CommunityParams())
    assert leiden(list(reversed(edges)), CommunityParams()) == first
    assert len(set(first.values())) >= 5


def test_the_detector_partitions_as_leiden_on_names(store: Store) -> None:
    """The detector numbers accounts and orders edges in SQL; the partition must be the one :func:`leiden`
    gives the same named edges (mixed platforms, case and non-ASCII names sort alike in both)."""
    rng = random.Random(11)
    nodes = [f"{p}:{n}{i:02d}" for i in range(16) for p, n in (("x", "A"), ("bsky", "b"), ("x", "é"))]
    rng.shuffle(nodes)
    store.con.execute(COACTION_EDGES)
    named: list[tuple[str, str, float]] = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if rng.random() < (0.5 if a[-1] == b[-1] else 0.03):
                x, y = sorted((a, b))
                w = round(rng.uniform(0.5, 5.0), 3)
                named.append((x, y, w))
                edge(store, "repost", x, y, weight=w)
    expected = leiden(named, CommunityParams(min_size=2))
    detect_communities(store.con, CommunityParams(min_size=2))
    got = store.con.execute("SELECT community_id, account_uid FROM community_members").fetchall()
    by_part: dict[int, set[str]] = {}
    for name, part in expected.items():
        by_part.setdefault(part, set()).add(name)
    by_community: dict[int, set[str]] = {}
    for community, name in got:
        by_community.setdefault(community, set()).add(name)
    assert len(by_community) >= 5
    assert sorted(map(sorted, by_community.values())) == sorted(
        sorted(members) for members in by_part.values() if len(members) >= 2
    )


def test_pairs_and_singletons_are_dropped(store: Store) -> None:
    store.con.execute(COACTION_EDGES)
    edge(store, "repost", "x:p", "x:q")
    assert detect_communities(store.con) == 0
    assert detect_communities(store.con, CommunityParams(min_size=2)) == 1


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        CommunityParams(alpha=0)
    with pytest.raises(ValueError):
        CommunityParams(min_size=1)


def post(
    store: Store, uid: str, author: str, kind: str = "post", ref: str | None = None, tags: Any = None
) -> None:
    store.con.execute(
        "INSERT INTO posts (uid, platform, id, author_uid, created_at, kind, ref_uid, hashtags) "
        "VALUES (?, 'x', ?, ?, ?, ?, ?, ?)",
        [uid, uid, author, T0, kind, ref, tags or []],
    )


def test_features_of_a_tiny_community(store: Store) -> None:
    """a, b, c repost x:h's two posts; b and c share a hashtag; the rest is their own business."""
    for uid in ("x:p1", "x:p2"):
        post(store, uid, "x:h")
    post(store, "x:q1", "x:z")
    for m in "abc":
        for k in "12":
            post(store, f"x:r{m}{k}", f"x:{m}", "repost", f"x:p{k}")
    post(store, "x:oa", "x:a")  # a's own post: outside the community's targets
    post(store, "x:rcq", "x:c", "repost", "x:q1")  # c reposts someone else: outside, and diversity
    post(store, "x:tb", "x:b", tags=["選挙"])
    post(store, "x:tc", "x:c", tags=["選挙"])
    store.con.execute(
        "INSERT INTO actions (uid, platform, id, kind, actor_uid, target_uid, target_kind, created_at) "
        "VALUES ('x:lb1', 'x', 'lb1', 'like', 'x:b', 'x:p1', 'post', ?)",
        [T0],
    )
    for m, day in (("a", 1), ("b", 11), ("c", 21)):
        store.con.execute(
            "INSERT INTO accounts (uid, platform, id, created_at, first_seen) VALUES (?, 'x', ?, ?, ?)",
            [f"x:{m}", m, datetime(2025, 1, day, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)],
        )
    store.con.execute(COACTION_EDGES)
    edge(
        store,
        "repost",
        "x:a",
        "x:b",
        gap=10,
        evidence=[("x:p1", "x:ra1", "x:rb1"), ("x:p2", "x:ra2", "x:rb2")],
    )
    edge(store, "repost", "x:b", "x:c", gap=20, evidence=[("x:p1", "x:rb1", "x:rc1")])
    edge(store, "hashtag", "x:b", "x:c", gap=30, evidence=[("#選挙", "x:tb", "x:tc")])
    edge(store, "link", "x:a", "x:c", q=0.2, gap=1)  # insignificant: no edge, no timing, no layer

    assert detect_communities(store.con) == 1
    row = store.con.execute("SELECT * FROM communities").fetchone()
    assert row is not None
    got = dict(zip([d[0] for d in store.con.description or []], row, strict=True))
    # items: a {ra1 ra2 oa}, b {rb1 rb2 lb1 tb}, c {rc1 rc2 rcq tc}; in evidence: ra1 ra2 rb1 rb2 rc1 tb tc
    assert got["size"] == 3
    assert got["density"] == pytest.approx(2 / 3)
    assert got["synchrony_s"] == pytest.approx(20.0)
    assert got["layers"] == ["hashtag", "repost"]
    assert got["coordinated_share"] == pytest.approx(7 / 11)
    assert got["outside_share"] == pytest.approx(2 / 11)  # oa, rcq
    assert got["hubs"] == ["x:h"]
    assert got["created_spread_days"] == pytest.approx(10.0)
    assert got["median_age_days"] == pytest.approx(171.0)
    assert got["target_diversity"] == pytest.approx(0.5)  # a 1/2, b 1/3, c 2/3
    assert got["target_entropy"] == pytest.approx(-(7 / 8) * math.log2(7 / 8) - (1 / 8) * math.log2(1 / 8))
    assert store.con.execute(
        "SELECT account_uid, degree, strength FROM community_members ORDER BY 1"
    ).fetchall() == [
        ("x:a", 1, 4.0),
        ("x:b", 2, 12.0),
        ("x:c", 1, 8.0),
    ]


def test_unknown_creation_dates_give_null_spread(store: Store) -> None:
    cliques(store)
    detect_communities(store.con)
    rows = store.con.execute("SELECT created_spread_days, median_age_days, hubs FROM communities").fetchall()
    assert rows == [(None, None, []), (None, None, [])]
