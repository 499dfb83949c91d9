"""The integer-id, sliced co-action pipeline against a pure-Python reference on random small stores.

The reference pairs every two events on one target within the window (different accounts, neither in a
capped cell), keeps per (a, b, target) the closest pair by (gap, a's item, b's item), and per pair the
counts, gaps and evidence ordered by (gap, target): the definitions in ``kagami.detect.coaction``.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from typing import Any

import pytest

from kagami.detect import coaction
from kagami.detect.coaction import build_edges
from kagami.detect.coaction_config import CoactionConfig
from kagami.store import Store
from tests.detect.builders import EDGES_WITH_EVIDENCE, World

# Names whose string order differs from their creation order (ids must sort as the names do).
ACCOUNTS = ["u9", "u10", "U1", "ü", "a", "Z", "u2"]
Event = tuple[str, str, int, str]  # account, target, t_us, item


def world(rng: random.Random) -> tuple[World, list[Event]]:
    w, evs = World(), []
    targets = [w.post("o", 0, pid=f"p{k}") for k in range(rng.randint(2, 5))]
    for _ in range(rng.randint(10, 40)):
        acct, target, t = rng.choice(ACCOUNTS), rng.choice(targets), rng.randint(100, rng.choice([220, 400]))
        item = w.repost(acct, target.removeprefix("x:"), t)  # whole seconds: equal gaps are common
        evs.append((f"x:{acct}", target, t * 1_000_000, item))
    return w, evs


def reference(evs: list[Event], w_us: int, cap: int, min_rep: int, keep: int) -> dict[Any, Any]:
    width = max(w_us, 1_000_000)
    cells = Counter((e[1], e[2] // width) for e in evs)
    live = [e for e in evs if cells[e[1], e[2] // width] <= cap]
    per: dict[tuple[str, str, str], list[tuple[int, str, str, int, int]]] = defaultdict(list)
    for i, x in enumerate(live):
        for y in live[i + 1 :]:
            if x[1] == y[1] and x[0] != y[0] and abs(x[2] - y[2]) <= w_us:
                u, v = (x, y) if x[0] < y[0] else (y, x)
                per[u[0], v[0], u[1]].append((abs(u[2] - v[2]), u[3], v[3], u[2], v[2]))
    pairs: dict[tuple[str, str], list[tuple[str, int, tuple[int, str, str, int, int]]]] = defaultdict(list)
    for (a, b, target), found in per.items():
        pairs[a, b].append((target, len(found), min(found)))
    out = {}
    for (a, b), ts in pairs.items():
        if len(ts) < min_rep:
            continue
        gaps = [c[0] for _, _, c in ts]
        ranked = sorted(ts, key=lambda t: (t[2][0], t[0]))[:keep]
        out[a, b] = {
            "n_targets": len(ts),
            "n_events": sum(n for _, n, _ in ts),
            "min_gap_s": min(gaps) / 1e6,
            "median_gap_s": statistics.median(gaps) / 1e6,
            "evidence": [(t, c[1], c[2], c[0] / 1e6) for t, _, c in ranked],
        }
    return out


def built(store: Store) -> dict[Any, Any]:
    rows = store.con.execute(
        "SELECT a, b, n_targets, n_events, min_gap_s, median_gap_s, evidence, ranks_ok "
        f"FROM ({EDGES_WITH_EVIDENCE})"
    ).fetchall()
    assert all(r[-1] for r in rows)
    return {
        (a, b): {
            "n_targets": n,
            "n_events": ne,
            "min_gap_s": mn,
            "median_gap_s": md,
            "evidence": [(e["target"], e["a_item"], e["b_item"], e["gap_s"]) for e in ev],
        }
        for a, b, n, ne, mn, md, ev, _ in rows
    }


@pytest.mark.parametrize("seed", range(12))
def test_matches_reference_whole_and_sliced(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    w, evs = world(rng)
    window, min_rep, keep, cap = rng.choice([30, 60, 120]), rng.choice([1, 2]), rng.choice([1, 3]), 6
    cfg = CoactionConfig(viral_cap=cap, evidence=keep).only("repost")
    cfg = cfg.with_layer("repost", window_s=float(window), min_repetitions=min_rep)
    expected = reference(evs, window * 1_000_000, cap, min_rep, keep)
    store = w.load(Store(":memory:"))
    whole = build_edges(store, cfg)["repost"]
    got, rows = built(store), store.con.execute("SELECT * FROM coaction_edges").fetchall()
    assert got == expected
    assert whole.edges == len(expected)
    monkeypatch.setattr(coaction, "SLICE_ROWS", 2)  # many slices: the same rows, p- and q-values
    sliced = build_edges(store, cfg)["repost"]
    assert built(store) == expected
    assert sorted(store.con.execute("SELECT * FROM coaction_edges").fetchall()) == sorted(rows)
    assert (sliced.pair_targets, sliced.edges, sliced.significant) == (
        whole.pair_targets,
        whole.edges,
        whole.significant,
    )


def test_reference_sees_ties_and_truncation() -> None:
    """The random stores do exercise equal gaps, capped cells and truncated evidence."""
    ties = capped = truncated = 0
    for seed in range(12):
        rng = random.Random(seed)
        _, evs = world(rng)
        cells = Counter((e[1], e[2] // 60_000_000) for e in evs)
        capped += any(n > 6 for n in cells.values())
        ref = reference(evs, 60_000_000, 6, 1, 1)
        truncated += any(e["n_targets"] > 1 for e in ref.values())
        gaps = Counter((e[1], abs(e[2] - f[2])) for e in evs for f in evs if e[1] == f[1] and e != f)
        ties += any(n > 2 for n in gaps.values())
    assert ties and capped and truncated
