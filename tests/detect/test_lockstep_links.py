"""The rare-link lockstep pass: a network passing obscure URLs around hours apart, against readers of the
day's news and a few people who share one blog."""

from __future__ import annotations

import random

from kagami.detect.lockstep import PASSES, RARE_LINKS, LockstepParams, detect_lockstep
from kagami.detect.lockstep_extra import stage_extra
from kagami.store import Store
from tests.detect.builders import World

HOUR = 3600
NETWORK = [f"net{i}" for i in range(10)]


def world(seed: int = 5) -> World:
    """Ten aged accounts share four obscure URLs, one after another 2-20 hours apart (each shares three
    of the four); 120 readers share the day's news URL; six pairs of friends share one blog post."""
    rng = random.Random(seed)
    w = World()
    for k in range(4):
        t = (4 * k + 1) * 24 * HOUR
        for i, acc in enumerate(NETWORK):
            if (i + k) % 4 == 0:
                continue
            w.link(acc, f"https://obscure-blog.example/{k}", t)
            t += rng.uniform(2, 20) * HOUR
    for j in range(120):
        w.link(f"reader{j}", "https://news.example/today", rng.uniform(0, 48) * HOUR)
    for j in range(6):
        for friend in (f"a{j}", f"b{j}"):
            w.link(friend, f"https://friend-blog.example/{j}", (j + rng.random()) * 24 * HOUR)
    return w


def grouped(store: Store) -> list[set[str]]:
    rows = store.con.execute("SELECT group_id, account_uid, layer FROM lockstep_groups").fetchall()
    out: dict[int, set[str]] = {}
    for g, account, layer in rows:
        assert layer == "link"
        out.setdefault(int(g), set()).add(str(account))
    return list(out.values())


def test_network_passing_obscure_links_is_one_group(store: Store) -> None:
    world().load(store)
    assert detect_lockstep(store.con, RARE_LINKS) == 1
    assert grouped(store) == [{f"x:{a}" for a in NETWORK}]
    assert store.con.execute("SELECT targets FROM lockstep_summary").fetchall() == [(4,)]


def test_popular_links_are_not_targets(store: Store) -> None:
    """The news URL was shared by 120 accounts: above link_max_accounts, it is not staged at all."""
    world().load(store)
    stage_extra(store.con, RARE_LINKS)
    targets = {str(r[0]) for r in store.con.execute("SELECT DISTINCT target FROM lk_extra").fetchall()}
    assert "url:https://news.example/today" not in targets
    assert {f"url:https://obscure-blog.example/{k}" for k in range(4)} <= targets
    loose = LockstepParams(layers=("link",), n_targets=1, band_s=RARE_LINKS.band_s, link_max_accounts=1000)
    detect_lockstep(store.con, loose)
    assert any(any(a.startswith("x:reader") for a in g) for g in grouped(store))


def test_link_pass_is_among_the_default_passes() -> None:
    assert RARE_LINKS in PASSES and "link" not in LockstepParams().layers
