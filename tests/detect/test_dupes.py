"""Copy-paste clusters on hand-built Japanese texts: what is caught, what is not, and the table shapes."""

from __future__ import annotations

import pytest

from kagami.detect.dupes import TextClusterConfig, build_text_clusters
from kagami.store import Store
from tests.detect.builders import World

BASE = "期日前投票の票が集計センターで書き換えられているという内部告発があった。マスコミは絶対に報道しない"
#: Each operator alone keeps Jaccard (3-grams) >= 0.5 with BASE, so each is caught.
CAUGHT = {
    "synonym": "期日前投票の票が集計センターで改ざんされているという内部告発があった。"
    "マスコミは絶対に報道しない",
    "particle": "期日前投票の票は集計センターで書き換えられてるとの内部告発があった。"
    "マスコミは絶対に報道しない",
    "width": "期日前投票の票が集計ｾﾝﾀｰで書き換えられているという内部告発があった！マスコミは絶対に報道しない",
    "emoji": "🚨期日前投票の票が集計センターで書き換えられているという内部告発があった。"
    "マスコミは絶対に報道しない😱",
    "order": "マスコミは絶対に報道しない。"
    "期日前投票の票が集計センターで書き換えられているという内部告発があった",
}
#: Not caught: a rewording of the claim (0.22) and every operator at once (0.32).
MISSED = {
    "rewrite": "集計センターの職員が期日前投票の票を書き換えていると内部から告発が出た",
    "all": "【拡散希望】マスコミは絶対に報道しない！"
    "期日前投票の票は集計ｾﾝﾀｰで改ざんされてるとの内部リークがあった🚨",
}


def clusters_of(store: Store) -> dict[str, str]:
    """post uid -> cluster id."""
    return dict(store.con.execute("SELECT post_uid, cluster_id FROM post_text_cluster").fetchall())


def test_empty_store(store: Store) -> None:
    counts = build_text_clusters(store)
    assert (counts.posts, counts.clusters, counts.clustered_posts) == (0, 0, 0)
    assert store.scalar("SELECT count(*) FROM text_clusters") == 0


@pytest.mark.parametrize("operator", sorted(CAUGHT))
def test_each_paraphrase_operator_is_caught(store: Store, operator: str) -> None:
    w = World()
    a = w.post("x:a", 0, BASE)
    b = w.post("x:b", 60, CAUGHT[operator])
    w.load(store)
    build_text_clusters(store)
    got = clusters_of(store)
    assert a in got and got[a] == got[b]
    sim = store.scalar("SELECT similarity FROM text_cluster_members WHERE post_uid = ?", [b])
    assert 0.5 <= sim <= 1.0


@pytest.mark.parametrize("operator", sorted(MISSED))
def test_rewording_is_not_caught(store: Store, operator: str) -> None:
    w = World()
    w.post("x:a", 0, BASE)
    w.post("x:b", 60, MISSED[operator])
    w.load(store)
    assert build_text_clusters(store).clusters == 0


def test_cluster_row_exact_and_near(store: Store) -> None:
    w = World()
    first = w.post("x:a", 0, BASE + " https://t.co/1 #不正選挙")
    w.post("x:b", 30, BASE + " https://t.co/2")  # exact after normalisation
    w.post("x:c", 3600, CAUGHT["synonym"], kind="quote")
    w.post("x:a", 7200, "今日は近所の公園を散歩してから図書館に行った")  # unrelated
    w.load(store)
    counts = build_text_clusters(store)
    assert (counts.posts, counts.documents, counts.clusters, counts.clustered_posts) == (4, 3, 1, 3)
    row = store.con.execute(
        "SELECT size, accounts, platforms, first_post_uid, first_author_uid, spread_s, exemplar_text "
        "FROM text_clusters"
    ).fetchone()
    assert row == (3, 3, ["x"], first, "x:x:a", 3600.0, BASE + " https://t.co/1 #不正選挙")
    sims = dict(store.con.execute("SELECT author_uid, similarity FROM text_cluster_members").fetchall())
    assert sims["x:x:a"] == sims["x:x:b"] == 1.0 and 0.5 <= sims["x:x:c"] < 1.0


def test_reposts_and_short_texts_are_left_out(store: Store) -> None:
    w = World()
    target = w.post("x:a", 0, BASE)
    w.post("x:b", 10, BASE, kind="repost", ref_id=target)  # a repost carries someone else's words
    w.post("x:c", 20, "おはようございます！")  # nine characters after normalisation
    w.post("x:d", 30, "おはようございます!!")
    w.load(store)
    counts = build_text_clusters(store)
    assert (counts.posts, counts.short_posts, counts.clusters) == (3, 2, 0)


def test_chaining_joins_variants_through_intermediates(store: Store) -> None:
    w = World()
    ids = [w.post(f"x:{k}", i * 60, text) for i, (k, text) in enumerate(sorted(CAUGHT.items()))]
    ids.append(w.post("x:base", 600, BASE))
    w.load(store)
    build_text_clusters(store)
    got = clusters_of(store)
    assert len({got[i] for i in ids}) == 1


def test_deterministic_and_order_free(store: Store) -> None:
    texts = [BASE, *CAUGHT.values(), *MISSED.values(), "今日は近所の公園を散歩してから図書館に行った"]
    w = World()
    for i, t in enumerate(texts):
        w.post(f"x:u{i}", i, t, pid=f"p{i}")
    w.load(store)
    build_text_clusters(store)
    first = store.con.execute("SELECT * FROM text_cluster_members ORDER BY ALL").fetchall()
    other = Store(":memory:")
    w2 = World()
    for i, t in reversed(list(enumerate(texts))):
        w2.post(f"x:u{i}", i, t, pid=f"p{i}")
    w2.load(other)
    build_text_clusters(other)
    assert other.con.execute("SELECT * FROM text_cluster_members ORDER BY ALL").fetchall() == first
    assert len(first) >= 7


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        TextClusterConfig(threshold=0.0)
    with pytest.raises(ValueError, match="ngram"):
        TextClusterConfig(ngram=12)


def test_space_delimited_text_is_compared_by_words(store: Store) -> None:
    w = World()
    a = w.post("x:a", 0, "the minister said the count in the capital was changed overnight by officials")
    b = w.post(
        "x:b", 60, "@someone THE MINISTER SAID THE COUNT IN THE CAPITAL WAS ALTERED OVERNIGHT BY OFFICIALS"
    )
    c = w.post("x:c", 120, "the weather in the capital was lovely overnight and the minister said so")
    w.load(store)
    build_text_clusters(store)
    got = clusters_of(store)
    assert got[a] == got[b] and c not in got
