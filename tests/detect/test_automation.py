"""Automation features and scores: hand-built accounts with known values, monotonicity, a real payload,
and the simulator's labels (dev seed)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kagami.detect.automation import AutomationParams, Weights, detect_automation, load_weights
from kagami.model import Account
from kagami.store import Batch, Store
from tests.conftest import ingest_world, truth_table
from tests.detect.builders import REF, T0, World, at

W = load_weights()


def account(uid: str, **kw: Any) -> Account:
    return Account("x", uid, REF, **kw)


def load(store: Store, world: World, accounts: list[Account]) -> Store:
    world.load(store)
    store.write_batch(Batch(accounts=accounts))
    store.refresh_accounts()
    detect_automation(store.con)
    return store


def row(store: Store, table: str, uid: str) -> dict[str, Any]:
    rel = store.con.execute(f"SELECT * FROM {table} WHERE account_uid = ?", [f"x:{uid}"])
    cols = [d[0] for d in rel.description]
    got = rel.fetchone()
    assert got is not None
    return dict(zip(cols, got, strict=True))


def contributions(store: Store, uid: str) -> dict[str, float]:
    return {c["feature"]: c["contribution"] for c in row(store, "automation_scores", uid)["contributions"]}


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_profile_features_and_their_contributions(store: Store) -> None:
    w = World()
    for i in range(3):
        w.post("m", 3600 * i)
    mass = account(
        "m",
        handle="Taro12345678",
        display_name="太郎",
        default_avatar=True,
        followers=0,
        following=290,
        created_at=T0 - timedelta(days=10),
    )
    load(store, w, [mass])
    f = row(store, "automation_features", "m")
    assert f["handle_name_digits"] and f["handle_trailing_digits"] == 8 and f["plain_jp_name"]
    assert f["age_days"] == 10.0 and f["n_posts"] == 3 and f["iet_cv"] is None  # too few posts for timing
    assert f["follow_ratio_log10"] == pytest.approx(math.log10(10 / 300))
    c = contributions(store, "m")
    ratio_x = -math.log10(10 / 300) / 1.5
    assert c["follow_ratio"] == pytest.approx(W.weights["follow_ratio"] * ratio_x)
    assert c["young"] == W.weights["young"] and c["default_avatar"] == W.weights["default_avatar"]
    assert c["handle_name_digits"] == W.weights["handle_name_digits"]
    assert c["regularity"] == 0.0 and c["creation_wave"] == 0.0  # unknown timing; a wave of one
    s = row(store, "automation_scores", "m")
    assert s["score"] == pytest.approx(sigmoid(W.bias + sum(c.values())))
    # largest first, ties by name; at most three
    assert s["top_reasons"] == ["handle_name_digits", "default_avatar", "young"]


def test_unknown_features_contribute_nothing(store: Store) -> None:
    w = World()
    w.post("ghost", 0)  # seen only as an author: no profile
    load(store, w, [])
    s = row(store, "automation_scores", "ghost")
    assert s["score"] == pytest.approx(sigmoid(W.bias)) and s["top_reasons"] == []
    assert all(c["contribution"] == 0.0 for c in s["contributions"])


def test_clockwork_poster(store: Store) -> None:
    w = World()
    for i in range(30):
        w.post("clock", 1800 * i)  # T0 is 12:00 UTC = 21:00 JST
    load(store, w, [account("clock", handle="clockwork")])
    f = row(store, "automation_features", "clock")
    assert f["iet_cv"] == 0.0 and f["burstiness"] == -1.0
    assert f["hour_entropy"] == pytest.approx(math.log2(15) / math.log2(24))  # 15 hours, 2 posts each
    assert f["clock_aligned_share"] == 0.5  # :00 and :30
    assert f["night_share"] == pytest.approx(8 / 30)  # 01:00-04:59 JST
    c = contributions(store, "clock")
    assert c["regularity"] == W.weights["regularity"] and c["round_the_clock"] == W.weights["round_the_clock"]


def test_a_more_regular_poster_scores_higher_all_else_equal(store: Store) -> None:
    w = World()
    for name, spread in (("r0", 0), ("r1", 300), ("r2", 900), ("r3", 1700)):
        t = 0.0
        for i in range(40):
            w.post(name, t)
            t += 1800 + (spread if i % 2 else -spread)
    load(store, w, [])
    only = Weights("test", W.bias, {"regularity": W.weights["regularity"]})
    detect_automation(store.con, weights=only)
    scores = [row(store, "automation_scores", n)["score"] for n in ("r0", "r1", "r2", "r3")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    assert all(v >= 0 for v in W.weights.values())  # so each feature's evidence only ever raises the score


def test_creation_wave_bare_quotes_profile_changes_and_self_declared_bots(store: Store) -> None:
    w = World()
    target = w.post("o", 0)
    for i in range(4):
        w.quote("q", target.removeprefix("x:"), 10 + i)  # "q": one own character: bare
    w.post(
        "q", 20, "ちゃんと説明してほしい、納得できない", kind="quote", quote_of_id=target.removeprefix("x:")
    )
    wave = [account(f"w{i}", created_at=T0 - timedelta(days=100, minutes=10 * i)) for i in range(5)]
    spread = [account(f"s{i}", created_at=T0 - timedelta(days=3 * i)) for i in range(20)]
    bot = account("b", bot=True)
    later = replace(REF, sha256="1" * 64)
    renamed = [account("n", display_name="A", observed_at=at(0)), Account("x", "n", later, display_name="B")]
    load(store, w, [*wave, *spread, bot, *renamed])
    f = row(store, "automation_features", "w0")
    assert (f["created_nearby"], f["created_expected"], f["creation_wave"]) == (4, 0.0, 5.0)
    assert row(store, "automation_features", "s10")["created_nearby"] == 0
    assert row(store, "automation_features", "q")["bare_quote_share"] == 0.8
    assert row(store, "automation_features", "n")["profile_changes"] == 1
    assert row(store, "automation_scores", "b")["top_reasons"] == ["self_declared_bot"]
    assert contributions(store, "w0")["creation_wave"] == pytest.approx(
        W.weights["creation_wave"] * min(1.0, math.log2(5) / 2)
    )


def test_real_twarc2_accounts(store: Store, shared_data: Path) -> None:
    from kagami.ingest import ingest

    ingest(store, [shared_data / "formats" / "twarc2" / "two_tweets.jsonl"])
    detect_automation(store.con)
    f = row(store, "automation_features", "1379899464345923590")  # @LachiVeronica
    assert f["handle"] == "LachiVeronica" and f["default_avatar"] is True  # default_profile_normal.png
    assert (f["followers"], f["following"]) == (0, 4)
    assert f["follow_ratio_log10"] == pytest.approx(math.log10(10 / 14))
    # created 2021-04-07T20:50:54Z, first seen posting 2021-05-18T19:24:56Z
    assert f["age_days"] == pytest.approx(40 + (22 * 3600 + 34 * 60 + 2) / 86400)
    assert "default_avatar" in row(store, "automation_scores", "1379899464345923590")["top_reasons"]


@pytest.mark.slow
def test_simulator_labels_dev_seed(sim_world: Callable[[str, int, float], Path]) -> None:
    tmp_path = sim_world("dev", 3, 0.05)
    store = ingest_world(tmp_path)
    detect_automation(store.con, AutomationParams())
    truth_table(store, tmp_path)
    med = dict(
        store.con.execute(
            "SELECT t.role, median(s.score) FROM automation_scores s JOIN truth t ON t.uid = s.account_uid "
            "WHERE s.account_uid LIKE 'x:%' GROUP BY t.role"
        ).fetchall()
    )
    assert med["news"] > 0.8 and med["amplifier"] > 0.5 and med["flooder"] > 0.5
    assert med["member"] < 0.1 and med["fan"] < 0.2 and med["witness"] < 0.1
    organic_flagged = store.scalar(
        "SELECT avg(CASE WHEN score >= 0.5 THEN 1.0 ELSE 0.0 END) FROM automation_scores s "
        "JOIN truth t ON t.uid = s.account_uid WHERE t.label = 'organic'"
    )
    assert organic_flagged < 0.01
