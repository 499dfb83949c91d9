"""Narratives on hand-built stores: topics, labels, determinism, volume buckets, what is left out."""

from __future__ import annotations

import pytest

from kagami.detect.narrative_labels import fugashi_tokenizer, top_terms
from kagami.detect.narratives import NarrativeConfig, detect_narratives
from kagami.store import Store
from tests.detect.builders import World

SMALL = NarrativeConfig(min_posts=5, min_accounts=3)
#: Each topic is one thing said many ways: a core phrase inside varying openers and endings.
TOPICS = {
    "rice": "備蓄米の値段がまた上がった",
    "heat": "猛暑で熱中症アラートが出ている",
    "anime": "今期のアニメは神作画ばかり",
}
OPENERS = ("", "正直", "ニュースで見たけど", "今日も")
ENDS = ("", "。本当に困る", "！どうなるの", " #日常")


def three_topics(w: World) -> dict[str, str]:
    """12 posts per topic from 6 accounts each, one topic per hour; returns post uid -> topic."""
    topic_of = {}
    for t, (topic, core) in enumerate(TOPICS.items()):
        for i in range(12):
            text = OPENERS[i % 4] + core + ENDS[i // 4 + (i % 2)]
            uid = w.post(f"{topic}{i % 6}", t * 3600 + i * 60, text)
            topic_of[uid] = topic
    return topic_of


def members(store: Store) -> list[tuple[int, str, float]]:
    return store.con.execute("SELECT * FROM narrative_members ORDER BY ALL").fetchall()


def test_three_topics_give_three_labelled_narratives(store: Store) -> None:
    w = World()
    topic_of = three_topics(w)
    w.post("z", 0, "それな")  # too short to place
    w.repost("r", "i1", 10)  # reposts are not clustered
    assert detect_narratives(w.load(store).con, SMALL) == 3
    got: dict[int, set[str]] = {}
    for nid, uid, score in members(store):
        got.setdefault(nid, set()).add(topic_of[uid])
        assert 0.0 < score <= 1.0 + 1e-6
    assert sorted(len(v) for v in got.values()) == [1, 1, 1]  # each narrative is one topic
    assert store.scalar("SELECT count(*) FROM narrative_members") == 36
    rows = store.con.execute(
        "SELECT narrative_id, size, accounts, label, top_terms FROM narratives"
    ).fetchall()
    for nid, size, accounts, label, terms in rows:
        topic = next(iter(got[nid]))
        assert (size, accounts) == (12, 6)
        assert label == " / ".join(terms[:3]) and len(terms) >= 3
        want = {"rice": ("備蓄", "米"), "heat": ("猛暑", "熱中"), "anime": ("アニメ", "今期")}[topic]
        assert any(t.startswith(want) for t in terms[:3]), (topic, terms)


def test_same_input_same_narratives(store: Store) -> None:
    w = World()
    three_topics(w)
    w.load(store)
    detect_narratives(store.con, SMALL)
    first = members(store), store.con.execute("SELECT * FROM narratives ORDER BY 1").fetchall()
    detect_narratives(store.con, SMALL)
    assert (members(store), store.con.execute("SELECT * FROM narratives ORDER BY 1").fetchall()) == first


def test_volume_buckets_hours_and_jst_days(store: Store) -> None:
    w = World()  # T0 = 2026-07-01 12:00 UTC = 21:00 JST
    text = "{}猛暑で熱中症アラートが出ている"
    times = [0, 60, 3599, 3600, 3 * 3600 - 1, 3 * 3600, 3 * 3600 + 5]  # 21:00 JST .. 00:00:05 JST next day
    for i, t in enumerate(times):
        w.post(f"a{i % 4}", t, text.format(OPENERS[i % 4]))
    w.load(store)
    detect_narratives(store.con, NarrativeConfig(min_posts=5, min_accounts=3))
    hours = store.con.execute(
        "SELECT hour(bucket_start), posts, accounts FROM narrative_volume ORDER BY bucket_start"
    ).fetchall()
    assert hours == [(12, 3, 3), (13, 1, 1), (14, 1, 1), (15, 2, 2)]
    peak, first, last = store.con.execute("SELECT peak_t, first_t, last_t FROM narratives").fetchone()
    assert (peak.hour, first.hour, last.hour, last.second) == (12, 12, 15, 5)
    detect_narratives(store.con, NarrativeConfig(min_posts=5, min_accounts=3, bucket_s=86400))
    days = store.con.execute(
        "SELECT strftime(bucket_start, '%Y-%m-%d %H'), posts FROM narrative_volume"
    ).fetchall()
    assert sorted(days) == [("2026-06-30 15", 5), ("2026-07-01 15", 2)]  # JST midnights, in UTC


def test_nothing_to_cluster_and_bad_config(store: Store) -> None:
    w = World()
    w.post("a", 0, "草")
    assert detect_narratives(w.load(store).con) == 0
    assert store.scalar("SELECT count(*) FROM narrative_volume") == 0
    with pytest.raises(ValueError, match="unknown narrative backend"):
        NarrativeConfig(backend="bert")
    for bad in (0, -2):
        with pytest.raises(ValueError, match="iterations"):
            NarrativeConfig(iterations=bad)


def test_leiden_until_stable_finds_the_same_three_topics(store: Store) -> None:
    w = World()
    topic_of = three_topics(w)
    w.load(store)
    found = []
    for iterations in (2, -1):
        assert (
            detect_narratives(store.con, NarrativeConfig(min_posts=5, min_accounts=3, iterations=iterations))
            == 3
        )
        rows = store.con.execute("SELECT narrative_id, post_uid FROM narrative_members").fetchall()
        found.append(
            sorted({frozenset(topic_of[p] for n2, p in rows if n2 == n) for n, _ in rows}, key=sorted)
        )
    assert found[0] == found[1] and all(len(s) == 1 for s in found[0])


def test_labels_without_the_analyser_fall_back_to_ngrams() -> None:
    docs = [
        ["期日前投票の票が書き換えられた", "期日前投票で不正があった"],
        ["今日は猛暑で暑い", "猛暑が続く"],
    ]
    got = top_terms(docs, top=2, tokenizer=None)
    assert got[1][0] == "猛暑" and "期日前" in got[0][0] + got[0][1]
    if fugashi_tokenizer() is not None:
        assert top_terms(docs, top=1, tokenizer=fugashi_tokenizer())[1] == ["猛暑"]


def test_token_features_read_from_the_raw_csv_equal_fugashis_own() -> None:
    fugashi = pytest.importorskip("fugashi")
    from kagami.detect.narrative_labels import _pos_and_lemma

    tagger = fugashi.Tagger()
    words = list(tagger('期日前投票の票が書き換えられた, "quoted" 「テスト」 ,、１２３，４５６円 hello'))
    assert any('"' in w.feature_raw for w in words)  # a quoted field takes the fallback
    assert any(len(w.feature_raw.split(",")) <= 7 for w in words)  # an unknown word has no lemma
    for w in words:
        f = w.feature
        assert _pos_and_lemma(w) == (f.pos1, f.pos2, f.lemma)
