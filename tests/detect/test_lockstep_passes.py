"""Several lockstep searches in one run (the default and the quote-flood pass), and their use as edges of
the community graph."""

from __future__ import annotations

from datetime import timedelta

from kagami.detect.coaction import build_edges
from kagami.detect.communities import detect_communities
from kagami.detect.lockstep import QUOTE_FLOOD, LockstepParams, detect_lockstep_passes
from kagami.store import Store
from tests.detect.test_lockstep import GROUP, T0, noise, plant

FLOOD = [f"x:q{i}" for i in range(6)]
POLITICIAN_POSTS = [f"x:p{k}" for k in range(3)]


def quote(store: Store, account: str, target: str, minutes: float) -> None:
    uid = f"{account}-qt-{target}"
    store.con.execute(
        "INSERT INTO posts (uid, platform, id, author_uid, created_at, kind, quote_of_uid) "
        "VALUES (?, 'x', ?, ?, ?, 'quote', ?)",
        [uid, uid, account, T0 + timedelta(minutes=minutes), target],
    )


def flood(store: Store) -> None:
    """Six accounts quote three posts, each flood spread over 40 minutes, a day apart."""
    for k, target in enumerate(POLITICIAN_POSTS):
        for i, account in enumerate(FLOOD):
            quote(store, account, target, 24 * 60 * k + 7 * i)


def members(store: Store) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for g, a in store.con.execute("SELECT group_id, account_uid FROM lockstep_groups").fetchall():
        out.setdefault(int(g), set()).add(str(a))
    return out


def test_a_three_post_flood_needs_the_quote_pass(store: Store) -> None:
    plant(store, GROUP)
    noise(store)
    flood(store)
    assert detect_lockstep_passes(store.con, (LockstepParams(),)) == 1  # n = 5: the flood is too short
    assert sorted(members(store).values(), key=min) == [set(GROUP)]
    assert detect_lockstep_passes(store.con) == 2
    found = members(store)
    assert sorted(found.values(), key=min) == [set(GROUP), set(FLOOD)]
    assert sorted(found) == [1, 2]  # numbered pass after pass
    summary = store.con.execute("SELECT group_id, size FROM lockstep_summary ORDER BY 1").fetchall()
    assert [(int(g), int(n)) for g, n in summary] == [(1, 6), (2, 6)]
    assert QUOTE_FLOOD.layers == ("quote",) and QUOTE_FLOOD.n_targets < LockstepParams().n_targets


def test_lockstep_members_are_joined_in_the_community_graph(store: Store) -> None:
    flood(store)
    build_edges(store)
    assert detect_communities(store.con) == 0  # co-quoting alone is not significant here
    detect_lockstep_passes(store.con)
    assert detect_communities(store.con) == 1
    rows = store.con.execute("SELECT account_uid FROM community_members").fetchall()
    assert {str(r[0]) for r in rows} == set(FLOOD)
    layers = store.con.execute("SELECT layers FROM communities").fetchall()[0][0]
    assert "lockstep" in layers
