"""Co-action layers on the simulated election (dev scenario, scale 0.05): ring amplifiers must surface
as significant repost pairs, ordinary members must not; idol fans co-repost too, and are reported as they
are (the layers know nothing of labels)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kagami.detect.coaction import build_edges
from kagami.store import Store
from tests.conftest import ingest_world, truth_table


@pytest.fixture(scope="module")
def sim_store(sim_world: Callable[[str, int, float], Path]) -> Iterator[Store]:
    out = sim_world("dev", 1, 0.05)
    store = ingest_world(out)
    truth_table(store, out)
    build_edges(store)
    yield store
    store.close()


def by_group(store: Store, layer: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(group of a, group of b) -> (edges, edges with q <= 0.05)."""
    rows = store.con.execute(
        "SELECT least(ta.who, tb.who), greatest(ta.who, tb.who), count(*), "
        "count(*) FILTER (WHERE qvalue <= 0.05) "
        "FROM coaction_edges e JOIN truth ta ON ta.uid = e.a JOIN truth tb ON tb.uid = e.b "
        "WHERE layer = ? GROUP BY ALL",
        [layer],
    ).fetchall()
    return {(a, b): (int(n), int(s)) for a, b, n, s in rows}


def test_ring_amplifiers_are_significant_repost_pairs(sim_store: Store) -> None:
    groups = by_group(sim_store, "repost")
    n, sig = groups["ring-1", "ring-1"]
    amplifiers = sim_store.scalar("SELECT count(*) FROM truth WHERE who = 'ring-1' AND role = 'amplifier'")
    assert n >= amplifiers * (amplifiers - 1) / 2 * 0.8  # nearly every pair of amplifiers is linked
    assert sig == n


def test_ordinary_members_are_never_significant(sim_store: Store) -> None:
    for layer in ("repost", "quote", "reply", "like"):
        for (a, b), (_, sig) in by_group(sim_store, layer).items():
            if "organic" in (a, b):
                assert sig == 0, (layer, a, b)


def test_fans_coact_and_the_model_reports_it(sim_store: Store) -> None:
    # Fans repost every idol post within seconds: far beyond chance, and the model says so. Telling a
    # fandom from a ring is the job of later stages (account features, targets, DISARM evidence).
    n, sig = by_group(sim_store, "repost")["fandom", "fandom"]
    assert n > 0 and sig == n
