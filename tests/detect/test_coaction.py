"""Co-action layers on hand-built stores: windows, self-actions, repetitions, evidence, every layer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kagami.detect.coaction import build_edges, events
from kagami.detect.coaction_config import CoactionConfig, LayerConfig
from kagami.store import Store
from tests.detect.builders import EDGES_WITH_EVIDENCE, T0, World

ONE = CoactionConfig()


def edges(store: Store, layer: str) -> dict[tuple[str, str], dict[str, Any]]:
    rel = store.con.execute(f"SELECT * FROM ({EDGES_WITH_EVIDENCE}) WHERE layer = ? ORDER BY a, b", [layer])
    cols = [d[0] for d in rel.description]
    out = {(r[1], r[2]): dict(zip(cols, r, strict=True)) for r in rel.fetchall()}
    assert all(e["ranks_ok"] for e in out.values())
    return out


def only(layer: str, **changes: Any) -> CoactionConfig:
    return ONE.only(layer).with_layer(layer, **changes)


def test_window_is_inclusive_and_one_second_over_is_out(store: Store) -> None:
    w = World()
    p1, p2 = w.post("o", 0, pid="p1"), w.post("o", 0, pid="p2")
    w.repost("a", "p1", 100), w.repost("b", "p1", 160)  # exactly the window
    w.repost("c", "p2", 100), w.repost("d", "p2", 161)  # one second over
    counts = build_edges(w.load(store), only("repost", min_repetitions=1))
    got = edges(store, "repost")
    assert set(got) == {("x:a", "x:b")}
    e = got["x:a", "x:b"]
    assert (e["n_targets"], e["n_events"], e["min_gap_s"]) == (1, 1, 60.0)
    assert e["evidence"][0]["target"] == p1 and p2 != p1
    assert counts["repost"].events == 4 and counts["repost"].window_s == 60.0


def test_self_actions_never_form_edges(store: Store) -> None:
    w = World()
    for i in range(3):
        w.post("o", 0, pid=f"p{i}")
        w.repost("a", f"p{i}", 10 + i)
        w.repost("a", f"p{i}", 12 + i)  # a with itself, within the window
    w.repost("b", "p0", 11)
    build_edges(w.load(store), only("repost", min_repetitions=1))
    got = edges(store, "repost")
    assert set(got) == {("x:a", "x:b")}
    assert got["x:a", "x:b"]["n_targets"] == 1
    assert got["x:a", "x:b"]["n_events"] == 2  # both of a's reposts of p0 are within 60 s of b's
    assert all(a != b for a, b in got)


def test_min_repetitions(store: Store) -> None:
    w = World()
    for i in range(2):
        w.post("o", 0, pid=f"p{i}")
        w.repost("a", f"p{i}", 10)
        w.repost("b", f"p{i}", 20)
    w.load(store)
    build_edges(store, only("repost", min_repetitions=3))
    assert edges(store, "repost") == {}
    build_edges(store, only("repost", min_repetitions=2))
    assert edges(store, "repost")["x:a", "x:b"]["n_targets"] == 2


def test_evidence_is_the_closest_coactions_bounded(store: Store) -> None:
    w = World()
    for i in range(6):
        w.post("o", 0, pid=f"p{i}")
        w.repost("b", f"p{i}", 1000 * i)
        w.repost("a", f"p{i}", 1000 * i + 10 * (6 - i))  # gaps 60, 50, ..., 10 s
    build_edges(w.load(store), CoactionConfig(evidence=4).only("repost"))
    e = edges(store, "repost")["x:a", "x:b"]
    assert e["n_targets"] == 6 and e["min_gap_s"] == 10.0 and e["median_gap_s"] == 35.0
    ev = e["evidence"]
    assert [x["gap_s"] for x in ev] == [10.0, 20.0, 30.0, 40.0]
    assert [x["target"] for x in ev] == ["x:p5", "x:p4", "x:p3", "x:p2"]
    first = ev[0]
    assert first["a_time"] == T0.replace(second=0) + (first["a_time"] - T0)  # aware UTC time
    assert (first["b_time"] - T0).total_seconds() == 5000.0
    assert store.scalar("SELECT count(*) FROM posts WHERE uid = ?", [first["a_item"]]) == 1


def test_evidence_is_kept_as_event_ids_and_named_by_the_view(store: Store) -> None:
    w = World()
    for i in range(3):
        w.post("o", 0, pid=f"p{i}")
        w.repost("a", f"p{i}", 1000 * i)
        w.repost("b", f"p{i}", 1000 * i + 5)
    w.repost("c", "p0", 3)  # c pairs with a and b on one target only: no edge, its event is not named
    build_edges(w.load(store), ONE.only("repost"))
    rows = store.scalar("SELECT count(*) FROM coaction_evidence_rows")
    named = store.con.execute("SELECT DISTINCT account FROM coaction_evidence_events ORDER BY 1").fetchall()
    assert rows == 3 and named == [("x:a",), ("x:b",)]
    view = "SELECT a, b, rank, target, gap_s FROM coaction_evidence ORDER BY rank"
    got = store.con.execute(view).fetchall()
    assert got == [("x:a", "x:b", r, f"x:p{r - 1}", 5.0) for r in (1, 2, 3)]
    assert "coaction_evidence" in store.findings()


def test_a_store_with_the_old_evidence_table_is_rebuilt(store: Store) -> None:
    w = World()
    for i in range(2):
        w.post("o", 0, pid=f"p{i}")
        w.repost("a", f"p{i}", 100 * i), w.repost("b", f"p{i}", 100 * i + 1)
    w.load(store)
    store.con.execute("CREATE TABLE coaction_evidence (layer VARCHAR, a VARCHAR, b VARCHAR)")
    for _ in range(2):  # the old table is replaced, then the view by a new one
        build_edges(store, ONE.only("repost"))
        kind = store.scalar("SELECT count(*) FROM duckdb_views() WHERE view_name = 'coaction_evidence'")
        assert kind == 1 and store.scalar("SELECT count(*) FROM coaction_evidence") == 2


@pytest.mark.parametrize(
    ("layer", "act"),
    [
        ("quote", lambda w, who, tgt, t: w.quote(who, tgt, t)),
        ("reply", lambda w, who, tgt, t: w.reply(who, tgt, t)),
        ("like", lambda w, who, tgt, t: w.like(who, f"x:{tgt}", t)),
    ],
)
def test_post_target_layers(store: Store, layer: str, act: Any) -> None:
    w = World()
    for i in range(3):
        w.post("o", 0, pid=f"p{i}")
        act(w, "a", f"p{i}", 100 + i)
        act(w, "b", f"p{i}", 130 + i)
        act(w, "c", f"p{i}", 5000 + i)  # far outside every window
    if layer == "like":
        w.like("c", "x:p0", None)  # a like with no time cannot be timed
    build_edges(w.load(store), only(layer, min_repetitions=3, window_s=60.0))
    got = edges(store, layer)
    assert set(got) == {("x:a", "x:b")}
    assert got["x:a", "x:b"]["n_targets"] == 3
    assert events(store, layer).columns[0] == "account"
    assert store.scalar("SELECT count(*) FROM _co_ev WHERE account = 'x:c'") == 3


def test_link_layer_uses_normalised_urls_and_skips_post_links(store: Store) -> None:
    w = World()
    for i in range(2):
        w.link("a", f"https://news.example/{i}?utm_source=x", 10 + 1000 * i, f"https://news.example/{i}")
        w.link("b", f"https://news.example/{i}", 20 + 1000 * i)
        w.link("a", f"https://x.com/someone/status/{i}", 5000 + i)
        w.link("c", f"https://x.com/someone/status/{i}", 5001 + i)
        w.link("c", f"https://news.example/{i}", 15 + 1000 * i, kind="repost")  # a repost's link
    build_edges(w.load(store), only("link"))
    got = edges(store, "link")
    assert set(got) == {("x:a", "x:b")}
    assert {x["target"] for x in got["x:a", "x:b"]["evidence"]} == {
        "https://news.example/0",
        "https://news.example/1",
    }


def test_hashtags_are_folded_and_only_distinctive_ones_count(store: Store) -> None:
    w = World()
    for i, form in enumerate(["ＳＥＮＫＹＯ２０２６", "Senkyo2026", "senkyo2026"]):
        w.tag("a", form, 100 * i)
        w.tag("b", "senkyo2026" if i else "ｓｅｎｋｙｏ２０２６", 100 * i + 5)
    for i in range(3):  # a common tag used by many accounts: not distinctive
        for j in range(6):
            w.tag(f"u{j}", "選挙", 10_000 + 100 * i + j)
    build_edges(
        w.load(store),
        CoactionConfig(hashtag_max_accounts=5).only("hashtag").with_layer("hashtag", min_repetitions=1),
    )
    got = edges(store, "hashtag")
    assert set(got) == {("x:a", "x:b")}
    assert {x["target"] for x in got["x:a", "x:b"]["evidence"]} == {"#senkyo2026"}
    assert got["x:a", "x:b"]["n_events"] == 9 and got["x:a", "x:b"]["n_targets"] == 1


def test_text_layer_matches_identical_normalised_text(store: Store) -> None:
    w = World()
    body = "投票に行こう、未来のために。今回の選挙は大事です"
    for i in range(2):
        w.post("a", 100 * i + 1000 * i, f"@bob {body}{i}  https://t.co/x{i}")
        w.post("b", 100 * i + 1000 * i + 30, f"{body}{i} @carol")
        w.post("c", 100 * i + 1000 * i + 30, "ok")  # too short to be copy-paste evidence
        w.post("c", 100 * i + 1000 * i + 31, "ok")
    build_edges(w.load(store), only("text"))
    assert set(edges(store, "text")) == {("x:a", "x:b")}


def test_text_layer_uses_copy_paste_clusters_once_built(store: Store) -> None:
    """Paraphrases are not identical texts; once the content detector clusters them, they are one target."""
    from kagami.detect.dupes import build_text_clusters

    w = World()
    variants = [
        (
            "期日前投票の集計に不正があったという情報が広がっています。本当に心配です",
            "期日前投票の集計に不正があったという情報が広がってる。本当に心配",
        ),
        (
            "開票所で票が入れ替えられたと関係者が証言しています。拡散してください",
            "開票所で票が入れ替えられたと関係者が証言している。拡散して",
        ),
    ]
    for i, (first, second) in enumerate(variants):
        w.post("a", 2000 * i, first)
        w.post("b", 2000 * i + 40, second)
    w.load(store)
    build_edges(store, only("text"))
    assert edges(store, "text") == {}  # paraphrases never share an identical text
    build_text_clusters(store)
    build_edges(store, only("text"))
    got = edges(store, "text")
    assert set(got) == {("x:a", "x:b")}
    assert got["x:a", "x:b"]["n_targets"] == 2
    assert all(e["target"].startswith("text:tc-") for e in got["x:a", "x:b"]["evidence"])


def test_rare_link_layer_pairs_obscure_urls_shared_hours_apart(store: Store) -> None:
    """Low-and-slow: the same obscure URLs hours apart link two accounts; popular URLs never pair anyone."""
    w = World()
    hour = 3600.0
    for i, url in enumerate(["https://obscure.example/a", "https://obscure.example/b"]):
        w.link("a", url, i * 40 * hour)
        w.link("b", url, i * 40 * hour + 7 * hour)  # 7 hours later: far outside the link layer's window
    popular = "https://news.example/big"
    for k in range(70):  # shared 70 times: above the rare layer's cap of 60
        w.link(f"p{k}", popular, k * 60.0)
        w.link(f"p{k}", "https://news.example/other", k * 60.0 + 5)
    w.load(store)
    build_edges(store, ONE.only("link", "link_rare"))
    assert ("x:a", "x:b") not in edges(store, "link")  # 7 hours is far outside its 10-minute window
    rare = edges(store, "link_rare")
    assert set(rare) == {("x:a", "x:b")}
    assert rare["x:a", "x:b"]["n_targets"] == 2 and rare["x:a", "x:b"]["min_gap_s"] == 7 * hour


def test_quantile_window_from_time_to_share(store: Store) -> None:
    w = World()
    for i in range(10):
        w.post("o", 0, pid=f"p{i}")
        w.repost(f"u{i}", f"p{i}", 10 * (i + 1))  # delays 10, 20, ..., 100 s
    counts = build_edges(w.load(store), only("repost", quantile_window=0.1))
    assert counts["repost"].window_s == pytest.approx(19.0)
    with pytest.raises(ValueError, match="quantile_window"):
        LayerConfig("repost", 60.0, quantile_window=1.5)


def test_rare_layer_cap_grows_with_the_accounts_in_the_layer(store: Store) -> None:
    """Rarity is relative: 70 shares of one URL are not rare among 72 link sharers (cap 60), but are
    among 72 sharers when the cap holds per 50 accounts (cap 60 x 72 / 50 = 87)."""
    w = World()
    for k in range(70):
        w.link(f"p{k}", "https://blog.example/x", k * 3600.0)
        w.link(f"p{k}", "https://blog.example/y", k * 3600.0 + 60)
    w.link("q1", "https://other.example/1", 0.0)
    w.link("q2", "https://other.example/2", 0.0)
    w.load(store)
    absolute = replace(ONE.only("link_rare"), cap_reference_accounts=None)
    counts = build_edges(store, absolute)
    assert counts["link_rare"].cap == 60 and edges(store, "link_rare") == {}
    relative = replace(ONE.only("link_rare"), cap_reference_accounts=50)
    counts = build_edges(store, relative)
    assert counts["link_rare"].cap == 87 and counts["link_rare"].accounts == 72
    assert len(edges(store, "link_rare")) == 70 * 69 // 2
