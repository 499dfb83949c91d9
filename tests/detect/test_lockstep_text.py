"""The copy-paste lockstep pass: accounts that paste the same claim during its bursts, against people who
write the same stock phrase every day and people who shared the claim once."""

from __future__ import annotations

import random

import pytest

from kagami.detect.dupes import build_text_clusters
from kagami.detect.lockstep import COPY_PASTE, LockstepParams, detect_lockstep
from kagami.store import Store
from tests.detect.builders import World

DAY = 86_400
CLAIMS = (
    "期日前投票の用紙が大量に廃棄されていたという内部告発が出ている。拡散希望",
    "開票所で票の入れ替えが行われたと複数の関係者が証言している。皆さん確認を",
    "選挙管理委員会が不正を隠すためにデータを消去したとの情報が入った。今すぐ共有して",
)
STOCK = (
    "今日もいい天気ですね、散歩に行ってきます。皆さんも良い一日を",
    "お昼ご飯は近所のラーメン屋さん。やっぱり味噌ラーメンが一番おいしい",
)
OPERATORS = [f"op{i}" for i in range(8)]


def world(seed: int = 3) -> World:
    """Eight operators paste three claims, each on its own day, within six hours (with small edits);
    forty people write two stock phrases at random times every few days; four people share a claim once
    during its burst."""
    rng = random.Random(seed)
    w = World()
    for k, claim in enumerate(CLAIMS):
        start = (3 + 5 * k) * DAY
        for i, op in enumerate(OPERATORS):
            text = claim if i % 2 else claim.replace("。", "！", 1)
            w.post(op, start + rng.uniform(0, 6 * 3600), text)
        w.post(f"once{k}", start + rng.uniform(0, 6 * 3600), claim)
    w.post("once3", 3 * DAY + 7200, CLAIMS[0])
    for j in range(40):
        for day in range(0, 20, 3):
            for phrase in STOCK:
                w.post(f"p{j}", (day + rng.random()) * DAY + j, phrase)
    return w


@pytest.fixture
def copy_store(store: Store) -> Store:
    world().load(store)
    build_text_clusters(store)
    return store


def members(store: Store) -> dict[int, set[str]]:
    rows = store.con.execute("SELECT group_id, account_uid, layer FROM lockstep_groups").fetchall()
    out: dict[int, set[str]] = {}
    for g, account, layer in rows:
        assert layer == "text"
        out.setdefault(int(g), set()).add(str(account))
    return out


def test_operators_pasting_during_bursts_form_one_group(copy_store: Store) -> None:
    assert detect_lockstep(copy_store.con, COPY_PASTE) == 1
    assert list(members(copy_store).values()) == [{f"x:{op}" for op in OPERATORS}]
    targets = copy_store.con.execute("SELECT targets FROM lockstep_summary").fetchall()
    assert targets == [(3,)]


def test_a_stock_phrase_written_every_day_is_no_target(copy_store: Store) -> None:
    # the same 40 people posting STOCK on the same days would be a "group" without the burst rule
    no_burst = LockstepParams(layers=("text",), n_targets=2, band_s=86_400.0, text_burst_ratio=0.0)
    detect_lockstep(copy_store.con, no_burst)
    grouped = set().union(*members(copy_store).values())
    assert any(a.startswith("x:p") for a in grouped)
    detect_lockstep(copy_store.con, COPY_PASTE)
    grouped = set().union(*members(copy_store).values())
    assert not any(a.startswith("x:p") or a.startswith("x:once") for a in grouped)


def test_without_text_clusters_the_text_pass_finds_nothing(store: Store) -> None:
    world().load(store)
    assert detect_lockstep(store.con, COPY_PASTE) == 0


def test_text_is_a_known_kind_but_not_a_default_layer() -> None:
    assert "text" not in LockstepParams().layers
    with pytest.raises(ValueError, match="layers must be among"):
        LockstepParams(layers=("texts",))


CROWD = (
    "高村首相の当確が出た！おめでとうございます、本当によかった",
    "開票速報を見ながら夜更かし中。日本再生党の会見はまだかな",
    "投票率は前回より上がったみたい。みんなちゃんと選挙に行ったんだね",
)


def test_a_few_people_in_an_election_night_crowd_are_no_group(store: Store) -> None:
    """Election night: 400 people post each of three phrases within hours; eight of them happen to post
    all three. Each phrase bursts, and the eight meet on three of them, but they are 2% of each crowd:
    with target_share they own no target, without it they would be a group."""
    rng = random.Random(11)
    w = World()
    night = 17 * DAY
    for k, phrase in enumerate(CROWD):
        for j in range(400):
            w.post(f"c{k}_{j}", night + rng.uniform(0, 5 * 3600), phrase)
        for i in range(8):
            w.post(f"both{i}", night + rng.uniform(0, 5 * 3600), phrase)
    w.post("early", 2 * DAY, "選挙の話題とは関係のない、ずっと前の普通の投稿です。よろしく")
    w.load(store)
    build_text_clusters(store)
    loose = LockstepParams(layers=("text",), n_targets=2, band_s=86_400.0)
    assert detect_lockstep(store.con, loose) == 1
    assert set().union(*members(store).values()) == {f"x:both{i}" for i in range(8)}
    assert detect_lockstep(store.con, COPY_PASTE) == 0


def test_one_claim_pasted_in_three_pushes_is_three_targets(store: Store) -> None:
    """The same text pasted by the same eight operators on three days (one cluster): each push is a target
    of its own, so the operators meet on three targets, not one."""
    rng = random.Random(4)
    w = World()
    for k in range(3):
        start = (2 + 6 * k) * DAY
        for op in OPERATORS:
            w.post(op, start + rng.uniform(0, 8 * 3600), CLAIMS[0])
    for j in range(40):
        for day in range(0, 20, 3):
            w.post(f"p{j}", (day + rng.random()) * DAY + j, STOCK[0])
    w.load(store)
    build_text_clusters(store)
    assert store.con.execute("SELECT count(*) FROM text_clusters").fetchall() == [(2,)]
    assert detect_lockstep(store.con, COPY_PASTE) == 1
    assert list(members(store).values()) == [{f"x:{op}" for op in OPERATORS}]
    assert store.con.execute("SELECT targets FROM lockstep_summary").fetchall() == [(3,)]
