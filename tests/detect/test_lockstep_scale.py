"""Lockstep at scale: the sliced, integer-id SQL agrees with a plain-Python CopyCatch on random worlds."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import kagami.detect.lockstep as lockstep
from kagami.detect.lockstep import LockstepParams, detect_lockstep
from kagami.store import Store

T0 = datetime(2025, 7, 5, 3, 0, tzinfo=UTC)
Event = tuple[str, str, str, datetime, str]  # layer, account, target, t, item


def world(seed: int) -> list[Event]:
    """Planted groups moving together on shared targets, among accounts engaging at random."""
    rng = random.Random(seed)
    out: list[Event] = []
    layers = ["repost", "quote", "like"]
    targets = [f"t{k:02d}" for k in range(rng.randint(10, 25))]
    for g in range(rng.randint(1, 3)):
        members = [f"g{g}a{i}" for i in range(rng.randint(4, 8))]
        for target in rng.sample(targets, rng.randint(4, 8)):
            base = rng.uniform(0, 4 * 86400)
            for account in members:
                if rng.random() < 0.85:
                    at = T0 + timedelta(seconds=round(base + rng.uniform(0, 2400)))
                    out.append((rng.choice(layers), account, target, at, f"i{len(out)}"))
    for j in range(rng.randint(10, 40)):
        for target in rng.sample(targets, rng.randint(1, 8)):
            at = T0 + timedelta(seconds=round(rng.uniform(0, 4 * 86400)))
            out.append((rng.choice(layers), f"n{j}", target, at, f"i{len(out)}"))
    dup = rng.choice(out)  # an account engaging twice with one target: its first engagement counts
    out.append((dup[0], dup[1], dup[2], dup[3] + timedelta(seconds=5), f"i{len(out)}"))
    return out


def load(store: Store, events: list[Event]) -> None:
    for layer, account, target, at, item in events:
        if layer == "like":
            store.con.execute(
                "INSERT INTO actions (uid, platform, id, kind, actor_uid, target_uid, target_kind, "
                "created_at) VALUES (?, 'x', ?, 'like', ?, ?, 'post', ?)",
                [item, item, account, target, at],
            )
        else:
            column = "ref_uid" if layer == "repost" else "quote_of_uid"
            store.con.execute(
                f"INSERT INTO posts (uid, platform, id, author_uid, created_at, kind, {column}) "
                "VALUES (?, 'x', ?, ?, ?, ?, ?)",
                [item, item, account, at, layer, target],
            )


def reference(events: list[Event], p: LockstepParams) -> tuple[list[Any], list[Any]]:
    """CopyCatch as docs/detection.md states it, in plain Python: (groups rows, summary rows)."""
    first: dict[tuple[str, str], tuple[datetime, str, str]] = {}
    for layer, account, target, at, item in events:
        key = (account, target)
        first[key] = min(first.get(key, (at, layer, item)), (at, layer, item))
    ev = {k: (v[0], v[1], v[0].timestamp()) for k, v in first.items()}
    by_target: dict[str, list[tuple[str, float]]] = defaultdict(list)
    by_account: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (account, target), (_, _, ts) in ev.items():
        by_target[target].append((account, ts))
        by_account[account].append((target, ts))
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for rows in by_target.values():
        if 2 <= len(rows) <= p.max_engagers:
            for x, tx in rows:
                for y, ty in rows:
                    bx, by = math.floor(tx / p.band_s), math.floor(ty / p.band_s)
                    if x < y and (bx == by or (abs(bx - by) == 1 and abs(tx - ty) <= p.band_s)):
                        shared[x, y] += 1
    partners: dict[str, set[str]] = defaultdict(set)
    for (a, b), n in shared.items():
        if n >= p.n_targets:
            partners[a].add(b)
            partners[b].add(a)
    members = {g: {g} | ps for g, ps in partners.items() if len(ps) >= p.m_accounts - 1}
    bands: dict[str, dict[str, tuple[float, float]]] = {}
    for _ in range(p.max_iter):
        bands = {}
        for g, accounts in members.items():
            times: dict[str, list[float]] = defaultdict(list)
            for account in accounts:
                for target, ts in by_account[account]:
                    times[target].append(ts)
            for target, tss in times.items():
                in_band, start = max((sum(s <= u <= s + p.band_s for u in tss), -s) for s in tss)
                if in_band >= p.target_min:
                    bands.setdefault(g, {})[target] = (-start, -start + p.band_s)
        kept: dict[str, set[str]] = {}
        for g, tb in bands.items():
            if len(tb) < p.n_targets:
                continue
            need = max(p.n_targets, math.ceil(p.rho * len(tb)))
            inside = {
                a
                for a, rows in by_account.items()
                if sum(t in tb and tb[t][0] <= ts <= tb[t][1] for t, ts in rows) >= need
            }
            if len(inside) >= p.m_accounts:
                kept[g] = inside
        rosters: dict[frozenset[str], str] = {}
        for g in sorted(kept):
            rosters.setdefault(frozenset(kept[g]), g)
        settled = {g: kept[g] for g in rosters.values()}
        if settled == members:
            break
        members = settled
    covered = {
        s
        for s in members
        for b in members
        if s != b
        and (len(members[b]) > len(members[s]) or (len(members[b]) == len(members[s]) and b < s))
        and 2 * len(members[s] & members[b]) >= len(members[s])
    }
    order = sorted((g for g in members if g not in covered), key=lambda g: (-len(members[g]), g))
    groups, summary = [], []
    for gid, g in enumerate(order, 1):
        hits = [
            (a, t, ev[a, t])
            for a in sorted(members[g])
            for t, ts in by_account[a]
            if t in bands[g] and bands[g][t][0] <= ts <= bands[g][t][1]
        ]
        for a in sorted(members[g]):
            mine = [h[2][1] for h in hits if h[0] == a]
            top = min(set(mine), key=lambda layer: (-mine.count(layer), layer))
            groups.append((gid, a, len(mine), top))
        per_target: list[tuple[str, int, list[tuple[datetime, str]], float]] = []
        for t in sorted({h[1] for h in hits}):
            on = sorted((h[2][0], h[0]) for h in hits if h[1] == t)
            tss = [h[2][2] for h in hits if h[1] == t]
            per_target.append((t, len(on), on, max(tss) - min(tss)))
        evidence = [
            {"target": t, "hits": n, "engagements": [{"account": a, "t": at} for at, a in on]}
            for t, n, on, _ in sorted(per_target, key=lambda x: (-x[1], x[0]))
        ]
        stamps = [h[2][0] for h in hits]
        band = max(x[3] for x in per_target)
        summary.append((gid, len(members[g]), len(per_target), band, min(stamps), max(stamps), evidence))
    return groups, summary


@pytest.mark.parametrize(
    ("seed", "slice_rows"),
    [(0, 4_000_000), (1, 40), (2, 4_000_000), (3, 40), (4, 40), (5, 4_000_000), (6, 40)],
)
def test_matches_plain_python_copycatch(seed: int, slice_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same groups, members, counts and evidence (in order), in one slice or in dozens of tiny ones."""
    monkeypatch.setattr(lockstep, "SLICE_ROWS", slice_rows)
    events = world(seed)
    params = LockstepParams(m_accounts=3, n_targets=3, band_s=1800.0, max_engagers=30)
    with Store(":memory:") as store:
        load(store, events)
        found = detect_lockstep(store.con, params)
        groups = store.con.execute("SELECT * FROM lockstep_groups ORDER BY group_id, account_uid").fetchall()
        summary = store.con.execute("SELECT * FROM lockstep_summary ORDER BY group_id").fetchall()
        leftovers = store.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'lk_%'")
        assert leftovers.fetchone() == (0,)
    want_groups, want_summary = reference(events, params)
    assert found == len(want_summary) >= 1
    assert groups == want_groups
    assert summary == want_summary
