"""Lockstep detection on hand-built engagement events, and on the simulator's held-out world."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kagami.detect.lockstep import LockstepParams, detect_lockstep
from kagami.store import Store

T0 = datetime(2025, 7, 5, 3, 0, tzinfo=UTC)
GROUP = [f"x:g{i}" for i in range(6)]
TARGETS = [f"x:t{k}" for k in range(6)]


def repost(store: Store, account: str, target: str, at: datetime) -> None:
    uid = f"{account}-rp-{target}"
    store.con.execute(
        "INSERT INTO posts (uid, platform, id, author_uid, created_at, kind, ref_uid) "
        "VALUES (?, 'x', ?, ?, ?, 'repost', ?)",
        [uid, uid, account, at, target],
    )


def like(store: Store, account: str, target: str, at: datetime) -> None:
    uid = f"{account}-lk-{target}"
    store.con.execute(
        "INSERT INTO actions (uid, platform, id, kind, actor_uid, target_uid, target_kind, created_at) "
        "VALUES (?, 'bsky', ?, 'like', ?, ?, 'post', ?)",
        [uid, uid, account, target, at],
    )


def plant(store: Store, accounts: list[str], spacing_s: float = 7.0) -> None:
    """Each account reposts each target, target k six hours after target k-1, accounts seconds apart."""
    for k, target in enumerate(TARGETS):
        for i, account in enumerate(accounts):
            repost(store, account, target, T0 + timedelta(hours=6 * k, seconds=spacing_s * i))


def noise(store: Store, n_accounts: int = 30, seed: int = 7) -> None:
    """Ordinary accounts reposting the same targets, and others, at scattered times over days."""
    rng = random.Random(seed)
    for j in range(n_accounts):
        for target in rng.sample([*TARGETS, *(f"x:o{k}" for k in range(20))], 5):
            repost(store, f"x:n{j}", target, T0 + timedelta(minutes=rng.uniform(0, 7 * 24 * 60)))


def groups(store: Store) -> list[tuple[int, str, int, str]]:
    rows = store.con.execute("SELECT * FROM lockstep_groups ORDER BY ALL").fetchall()
    return [(int(g), str(a), int(n), str(layer)) for g, a, n, layer in rows]


def test_planted_group_is_found_among_noise(store: Store) -> None:
    plant(store, GROUP)
    noise(store)
    assert detect_lockstep(store.con) == 1
    assert groups(store) == [(1, a, 6, "repost") for a in GROUP]
    size, targets, band_s, first_t, last_t, evidence = (
        store.con.execute(
            "SELECT size, targets, band_s, first_t, last_t, evidence FROM lockstep_summary"
        ).fetchone()
        or ()
    )
    assert (size, targets) == (6, 6)
    assert band_s == pytest.approx(35.0)
    assert first_t == T0
    assert last_t == T0 + timedelta(hours=30, seconds=35)
    assert sorted(e["target"] for e in evidence) == TARGETS
    first = next(e for e in evidence if e["target"] == "x:t0")
    assert [x["account"] for x in first["engagements"]] == GROUP
    assert first["hits"] == 6


def test_same_accounts_outside_the_band_are_not_found(store: Store) -> None:
    plant(store, GROUP, spacing_s=2400.0)  # 40 minutes apart: each pair of neighbours is > Δt/2 away
    noise(store)
    assert detect_lockstep(store.con, LockstepParams(band_s=1800.0)) == 0
    assert groups(store) == []


def test_band_is_the_earliest_fullest_window_when_a_target_spreads_wider(store: Store) -> None:
    """t0: four members together, two others two hours later (the band holds the four); t1: one member an
    hour early, the other five together (the band starts at the five, not at the earliest engagement)."""
    for k, target in enumerate(TARGETS):
        for i, account in enumerate(GROUP):
            at = T0 + timedelta(hours=6 * k, seconds=7 * i)
            if target == "x:t0" and i >= 4:
                at += timedelta(hours=2)
            if target == "x:t1" and i == 0:
                at -= timedelta(hours=1)
            repost(store, account, target, at)
    noise(store)
    assert detect_lockstep(store.con) == 1
    assert [a for _, a, _, _ in groups(store)] == GROUP  # five in-band targets each: all stay
    (evidence,) = store.con.execute("SELECT evidence FROM lockstep_summary").fetchone() or ()
    by_target = {e["target"]: e for e in evidence}
    assert by_target["x:t0"]["hits"] == 4
    assert [x["account"] for x in by_target["x:t0"]["engagements"]] == GROUP[:4]
    assert by_target["x:t1"]["hits"] == 5
    assert [x["account"] for x in by_target["x:t1"]["engagements"]] == GROUP[1:]
    assert all(by_target[t]["hits"] == 6 for t in TARGETS[2:])


def test_a_group_below_m_is_not_found(store: Store) -> None:
    plant(store, GROUP[:4])
    noise(store)
    assert detect_lockstep(store.con, LockstepParams(m_accounts=5)) == 0
    assert detect_lockstep(store.con, LockstepParams(m_accounts=4)) == 1
    assert [a for _, a, _, _ in groups(store)] == GROUP[:4]


def test_an_account_matching_too_few_targets_stays_out(store: Store) -> None:
    plant(store, GROUP)
    for target in TARGETS[:2]:  # in the band, but on two targets only (n = 5)
        repost(store, "x:late", target, T0 + timedelta(hours=6 * TARGETS.index(target), seconds=20))
    detect_lockstep(store.con)
    assert [a for _, a, _, _ in groups(store)] == GROUP


def test_likes_count_and_the_layer_used_most_is_reported(store: Store) -> None:
    for k, target in enumerate(TARGETS):
        for i, account in enumerate(GROUP):
            at = T0 + timedelta(hours=6 * k, seconds=5 * i)
            (like if i % 2 else repost)(store, account, target, at)
    assert detect_lockstep(store.con) == 1
    layers = {a: layer for _, a, _, layer in groups(store)}
    assert layers == {a: ("like" if i % 2 else "repost") for i, a in enumerate(GROUP)}
    assert detect_lockstep(store.con, LockstepParams(layers=("repost",))) == 0  # three reposters only


def test_results_do_not_depend_on_insertion_order() -> None:
    events = [
        (a, t, T0 + timedelta(hours=6 * k, seconds=7 * i))
        for k, t in enumerate(TARGETS)
        for i, a in enumerate(GROUP)
    ]
    events += [
        (f"x:h{i}", t, T0 + timedelta(hours=6 * k + 3, seconds=11 * i))
        for k, t in enumerate(TARGETS)
        for i in range(5)
    ]
    results = []
    for seed in (1, 2):
        random.Random(seed).shuffle(events)
        with Store(":memory:") as store:
            for account, target, at in events:
                repost(store, account, target, at)
            noise(store, seed=3)
            detect_lockstep(store.con)
            results.append(
                (groups(store), store.con.execute("SELECT * FROM lockstep_summary ORDER BY 1").fetchall())
            )
    assert results[0] == results[1]
    members = [(g, a) for g, a, _, _ in results[0][0]]
    assert members == [(1, a) for a in GROUP] + [(2, f"x:h{i}") for i in range(5)]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        LockstepParams(m_accounts=1)
    with pytest.raises(ValueError):
        LockstepParams(layers=("follow",))


@pytest.mark.slow
def test_held_out_ring_amplifiers_move_in_lockstep(tmp_path: Path) -> None:
    """On a held-out world (reported, never tuned on), the ring's amplifiers are found in lockstep."""
    from kagami.ingest import ingest
    from kagami.sim import named, simulate

    simulate(named("held-out", seed=9001, scale=0.05), tmp_path)
    with Store(tmp_path / "k.duckdb") as store:
        ingest(store, [tmp_path / "x.jsonl", tmp_path / "bsky.jsonl"])
        store.con.execute(
            "CREATE TABLE truth AS SELECT * FROM read_csv(?, all_varchar = true)",
            [str(tmp_path / "truth.csv")],
        )
        detect_lockstep(store.con)
        rows = store.con.execute(
            """SELECT t.label, t.role, count(*) AS total, count(g.account_uid) AS found
               FROM truth t LEFT JOIN (SELECT DISTINCT account_uid FROM lockstep_groups) g
                 ON g.account_uid = t.platform || ':' || t.account_id
               GROUP BY ALL"""
        ).fetchall()
    found = {(label, role): (total, hit) for label, role, total, hit in rows}
    total, hit = found[("campaign", "amplifier")]
    assert total >= 5 and hit >= 0.8 * total
    organic_total, organic_hit = found[("organic", "member")]
    assert organic_hit <= 0.01 * organic_total
