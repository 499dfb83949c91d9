"""Amplification bursts: counts in the horizon, the author's baseline, shares by kind of account, a real
payload and the simulator's quote flood, earthquake and idol posts (dev seed)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kagami.detect.amplification import AmplificationParams, detect_amplification
from kagami.model import Account
from kagami.store import Batch, Store
from tests.conftest import ingest_world, truth_table
from tests.detect.builders import REF, T0, World

DAY = 86400


def rows(store: Store) -> dict[str, dict[str, Any]]:
    rel = store.con.execute("SELECT * FROM amplification")
    cols = [d[0] for d in rel.description]
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rel.fetchall()}


def burst_world(store: Store) -> str:
    """Author "a": six posts with one repost each, then one with 20 reposts, a like, 2 quotes."""
    w = World()
    for i in range(6):
        w.post("a", i * DAY, pid=f"p{i}")
        w.repost("fan", f"p{i}", i * DAY + 60)
    target = w.post("a", 10 * DAY, pid="t")
    for i in range(20):
        w.repost(f"r{i}", "t", 10 * DAY + 30 * i)
    w.quote("q0", "t", 10 * DAY + 700), w.quote("q1", "t", 10 * DAY + 7 * 3600)  # the second: after 6 h
    w.like("l0", "t", 10 * DAY + 100), w.repost("a", "t", 10 * DAY + 5)  # the author's own: not counted
    young = [Account("x", f"r{i}", REF, created_at=T0 + timedelta(days=5)) for i in range(10)]
    old = [Account("x", f"r{i}", REF, created_at=T0 - timedelta(days=1000)) for i in range(10, 20)]
    w.load(store)
    store.write_batch(Batch(accounts=young + old))
    store.refresh_accounts()
    return target


def test_counts_baseline_and_burst(store: Store) -> None:
    target = burst_world(store)
    assert detect_amplification(store.con) == 1  # the six ordinary posts have 1 < 5 engagements
    r = rows(store)[target]
    assert (r["reposts"], r["quotes"], r["likes"], r["engagers"]) == (20, 1, 1, 22)
    assert r["baseline_kind"] == "author" and r["baseline_posts"] == 7
    assert r["baseline"] == pytest.approx(1.0)  # median of ln(1 + n) over 1,1,1,1,1,1,22 is ln 2
    assert r["burst_z"] == pytest.approx((math.log(23) - math.log(2)) / 0.5)  # MAD 0: the floor
    assert r["first_t"] == T0 + timedelta(days=10) and r["peak_t"] == T0 + timedelta(days=10)
    assert r["young_share"] == pytest.approx(10 / 22) and r["age_known_share"] == pytest.approx(20 / 22)
    assert r["automated_share"] is None and r["coordinated_share"] is None
    assert r["inauthentic_share"] == pytest.approx(10 / 22)
    series = store.con.execute(
        "SELECT t, reposts, quotes, likes FROM amplification_series WHERE target_uid = ? ORDER BY t", [target]
    ).fetchall()
    assert [s[1:] for s in series] == [(20, 0, 1), (0, 1, 0)]  # 0-600 s, 600-1200 s


def test_automated_and_coordinated_shares(store: Store) -> None:
    target = burst_world(store)
    store.con.execute(
        "CREATE TABLE automation_scores AS SELECT * FROM (VALUES ('x:r10', 0.9), "
        "('x:r11', 0.8), ('x:q0', 0.49)) t(account_uid, score)"
    )
    store.con.execute("CREATE TABLE lockstep_groups AS SELECT 1 AS group_id, 'x:r0' AS account_uid")
    store.con.execute(
        "CREATE TABLE community_members AS SELECT * FROM (VALUES (1, 'x:r12'), (1, 'x:r1')) "
        "t(community_id, account_uid)"
    )
    detect_amplification(store.con)
    r = rows(store)[target]
    assert r["automated_share"] == pytest.approx(2 / 22)
    assert r["coordinated_share"] == pytest.approx(3 / 22)
    # young r0-r9, automated r10 r11, coordinated r0 r1 r12 (r0, r1 already young)
    assert r["inauthentic_share"] == pytest.approx(13 / 22)
    detect_amplification(store.con, AmplificationParams(automated_min=0.4))
    assert rows(store)[target]["automated_share"] == pytest.approx(3 / 22)


def test_few_posts_use_the_platform_baseline(store: Store) -> None:
    w = World()
    for i in range(8):
        w.post(f"o{i}", 0, pid=f"o{i}")  # eight posts nobody engages with
    w.post("new", 0, pid="n")
    for i in range(6):
        w.repost(f"r{i}", "n", 10 + i)
    detect_amplification(w.load(store).con)
    r = rows(store)["x:n"]
    assert r["baseline_kind"] == "platform" and r["baseline"] == 0.0
    assert r["burst_z"] == pytest.approx(math.log(7) / 0.5)


def test_real_twarc2_retweets(store: Store, shared_data: Path) -> None:
    from kagami.ingest import ingest

    path = shared_data / "formats" / "twarc2" / "kpop.jsonl"
    ingest(store, [path])
    detect_amplification(store.con, AmplificationParams(horizon_s=1e9, min_engagements=1))
    retweets: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        for t in json.loads(line).get("data", []):
            for ref in t.get("referenced_tweets", []):
                if ref["type"] == "retweeted":
                    retweets.setdefault(ref["id"], set()).add(t["id"])
    top = max(retweets, key=lambda k: len(retweets[k]))
    r = rows(store)[f"x:{top}"]
    assert r["reposts"] == len(retweets[top]) and r["quotes"] == 0
    assert r["baseline_kind"] in ("author", "platform") and r["burst_z"] > 0


@pytest.mark.slow
def test_simulator_flood_quake_and_idols(sim_world: Callable[[str, int, float], Path]) -> None:
    from kagami.detect.automation import detect_automation

    tmp_path = sim_world("dev", 3, 0.05)
    store = ingest_world(tmp_path)
    detect_automation(store.con)
    detect_amplification(store.con)
    truth_table(store, tmp_path)
    flood = store.con.execute(
        "SELECT median(young_share), median(inauthentic_share), count(*) FROM amplification "
        "WHERE target_uid LIKE 'x:%' AND target_uid IN (SELECT p.quote_of_uid FROM posts p "
        "JOIN truth t ON t.uid = p.author_uid WHERE t.role = 'flooder')"
    ).fetchone()
    assert flood is not None and flood[2] >= 1 and flood[0] > 0.4 and flood[1] > 0.4
    quake = store.con.execute(
        "SELECT burst_z, inauthentic_share, reposts FROM amplification a "
        "JOIN truth t ON t.uid = a.author_uid WHERE t.role = 'quake' ORDER BY reposts DESC LIMIT 1"
    ).fetchone()
    assert quake is not None and quake[0] > 3 and quake[1] < 0.1
    idol = store.con.execute(
        "SELECT median(young_share), quantile_cont(young_share, 0.9), count(*) FROM amplification a "
        "JOIN truth t ON t.uid = a.author_uid WHERE t.role = 'idol'"
    ).fetchone()
    assert idol is not None and idol[2] > 5 and idol[0] < 0.05 and idol[1] < flood[0] / 2
