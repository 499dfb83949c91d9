"""Fact-check import (ClaimReview JSON-LD, CSV), ratings, and matching posts to claims; on the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kagami.detect.claim_rating import verdict_is_false
from kagami.detect.claimreview import ClaimFileError, read_claims
from kagami.detect.claims import ClaimMatchConfig, match_claims, store_claims
from kagami.model import Link
from kagami.store import Store
from tests.conftest import ingest_world
from tests.detect.builders import World


@pytest.fixture
def examples(fixtures: Path) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = json.loads((fixtures / "claims" / "example.jsonld").read_text("utf-8"))
    return docs


def test_jsonld_list_single_graph_and_lines(
    fixtures: Path, examples: list[dict[str, object]], tmp_path: Path
) -> None:
    listed = read_claims(fixtures / "claims" / "example.jsonld")
    assert len(listed) == 4
    ballots = listed[0]
    assert ballots.rating == "誤り" and ballots.verdict_false is True and ballots.lang == "ja"
    assert (
        ballots.publisher == "架空ファクトチェック機構"
        and str(ballots.published) == "2025-07-10 00:00:00+00:00"
    )
    assert ballots.appearances == (
        "https://asahi-shinbun.com/news/20250709/10000002.html",
        "https://nhk-news.jp.net/news/20250708/10000001.html",
    )
    assert listed[1].lang == "ja" and listed[1].appearances == (
        "https://yomiuri-online.info/news/20250705/10000003.html",
    )
    assert listed[2].verdict_false is None and listed[3].verdict_false is True and listed[3].lang == "en"
    (tmp_path / "one.json").write_text(json.dumps(examples[3]), "utf-8")
    (tmp_path / "graph.jsonld").write_text(
        json.dumps({"@context": "https://schema.org", "@graph": examples}), "utf-8"
    )
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(e) for e in examples[:2]), "utf-8")
    assert read_claims(tmp_path / "one.json") == [listed[3]]
    assert read_claims(tmp_path / "graph.jsonld") == listed
    assert read_claims(tmp_path / "lines.jsonl") == listed[:2]
    assert len({c.claim_id for c in listed}) == 4


def test_csv_layout(fixtures: Path) -> None:
    rows = read_claims(fixtures / "claims" / "example.csv")
    got = [(r.rating, r.verdict_false, r.lang) for r in rows]
    assert got == [("誤り", True, "ja"), ("False", True, "en"),
                                                                  ("根拠不明", None, "ja")]  # fmt: skip
    assert rows[2].appearances == ("https://a.example/1", "https://b.example/2")
    assert json.loads(rows[0].raw)["publisher"] == "架空ファクトチェック機構"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"@type": "ClaimReview", ', "not JSON"),
        ("bad.jsonl", '{"@type": "ClaimReview", "claimReviewed": "x"}\n{oops', "line 2: not JSON"),
        ("empty.json", '{"@type": "ClaimReview", "claimReviewed": "  "}', "no claim text"),
        ("none.json", '[{"@type": "NewsArticle"}]', "no ClaimReview object"),
        ("typo.json", '{"@type": "ClaimReveiw", "claimReviewed": "x"}', "@type is 'ClaimReveiw'"),
        (
            "date.json",
            '{"@type": "ClaimReview", "claimReviewed": "x", "datePublished": "10/07/2025"}',
            "not ISO",
        ),
        (
            "cols.csv",
            "claim,rating\nx,False\n",
            r"CSV lacks columns \['url', 'publisher', 'date', 'language'\]",
        ),
        ("claims.xml", "<x/>", "unknown fact-check format"),
    ],
)
def test_malformed_files_say_what_and_where(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(ClaimFileError, match=message) as err:
        read_claims(path)
    assert name in str(err.value)


def test_ratings() -> None:
    assert verdict_is_false({"alternateName": "Mostly False"}) == ("Mostly False", True)
    assert verdict_is_false("Mostly True") == ("Mostly True", False)
    assert verdict_is_false("不正確")[1] is True and verdict_is_false("正確")[1] is False
    assert verdict_is_false("事実無根")[1] is True and verdict_is_false("Misleading")[1] is None
    assert verdict_is_false({"ratingValue": 5, "bestRating": 5})[1] is False
    assert verdict_is_false({"ratingValue": 3, "bestRating": 5})[1] is None
    assert verdict_is_false(None) == (None, None)


def matches(store: Store) -> dict[tuple[str, str, str], dict[str, object]]:
    rel = store.con.execute("SELECT claim_id, post_uid, method, score, evidence FROM claim_matches")
    return {(c, p, m): {"score": s, **e} for c, p, m, s, e in rel.fetchall()}


def test_matching_paraphrases_links_english_and_debunks(fixtures: Path, store: Store) -> None:
    claims = {c.text[:6]: c.claim_id for c in read_claims(fixtures / "claims" / "example.jsonld")}
    w = World()
    para = w.post(
        "a", 0, "【拡散希望】期日前投票の票が集計センターで改ざんされているとの内部リークが出た‼️ＮＨＫ"
    )
    halfw = w.post("b", 60, "期日前投票の票が集計ｾﾝﾀｰで書き換えられてるという内部告発があった")
    debunk = w.post(
        "c", 120, "期日前投票の票が集計センターで書き換えられているという話はデマです。拡散しないで"
    )
    other = w.post("d", 180, "期日前投票に行ってきた。集計センターの近くの公園で昼ごはん")
    link = w.post(
        "e",
        240,
        "これ見て",
        links=[Link("https://t.co/x", normalized="https://nhk-news.jp.net/news/20250708/10000001.html")],
    )
    english = w.post(
        "f",
        300,
        "BREAKING: officials in Japan secretly deleted millions of early votes from counting machines!",
    )
    unrelated = w.post("g", 360, "Lovely weather in Osaka today, going to watch baseball")
    w.load(store)
    assert store_claims(store.con, read_claims(fixtures / "claims" / "example.jsonld")) == 4
    store_claims(store.con, read_claims(fixtures / "claims" / "example.jsonld"))  # upsert: no copies
    assert store.scalar("SELECT count(*) FROM claims") == 4
    match_claims(store.con)
    got = matches(store)
    ballots, en = claims["期日前投票の"], claims["Japane"]
    for post in (para, halfw, debunk):
        assert got[ballots, post, "text"]["score"] >= ClaimMatchConfig().text_min
    assert got[ballots, halfw, "text"]["score"] > got[ballots, para, "text"]["score"]
    assert got[ballots, debunk, "text"]["stance_hint"] == "debunk_cue"
    assert got[ballots, debunk, "text"]["cues"] == ["デマ", "拡散しないで"]
    assert got[ballots, para, "text"]["stance_hint"] == "none"
    assert got[ballots, link, "link"]["score"] == 1.0
    assert got[ballots, link, "link"]["url"] == "https://nhk-news.jp.net/news/20250708/10000001.html"
    assert got[en, english, "text"]["score"] >= ClaimMatchConfig().text_min
    assert not [k for k in got if k[1] in (other, unrelated)]
    assert not [k for k in got if k[1] == english and k[0] != en]


def test_without_claims_nothing_matches_and_pasted_copies_each_match(fixtures: Path, store: Store) -> None:
    w = World()
    text = "期日前投票の票が集計センターで書き換えられているという内部告発があった"
    copies = [w.post(a, 60 * i, text) for i, a in enumerate("abc")]
    w.load(store)
    assert match_claims(store.con) == 0  # no claims stored: an empty table, not an error
    assert store.scalar("SELECT count(*) FROM claim_matches") == 0
    store_claims(store.con, read_claims(fixtures / "claims" / "example.jsonld"))
    assert match_claims(store.con) == 3
    got = store.con.execute("SELECT DISTINCT post_uid, score FROM claim_matches").fetchall()
    assert sorted(u for u, _ in got) == sorted(copies) and len({sc for _, sc in got}) == 1


@pytest.fixture(scope="module")
def sim_store(sim_world: Callable[[str, int, float], Path]) -> Store:
    out = sim_world("dev", 1, 0.05)
    store = ingest_world(out)
    store.con.execute(
        "CREATE TABLE truth AS SELECT * FROM read_csv(?, all_varchar = true)", [str(out / "truth.csv")]
    )
    return store


def test_simulated_copypasta_forms_a_narrative_that_matches_the_claim(
    sim_store: Store, fixtures: Path
) -> None:
    from kagami.detect.narratives import detect_narratives

    con = sim_store.con
    assert detect_narratives(con) > 10
    store_claims(
        con,
        read_claims(fixtures / "claims" / "example.jsonld")
        + read_claims(fixtures / "claims" / "example.csv"),
    )
    match_claims(con)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE who AS SELECT p.uid, coalesce(t.campaign, t.label) AS who, p.text "
        "FROM posts p JOIN truth t ON p.author_uid = t.platform || ':' || t.account_id"
    )
    # the narrative holding most of copypasta-1's posts of its claim (every phrasing names 期日前)
    nid, held, size, purity = con.execute(
        "SELECT m.narrative_id, count(*) FILTER (WHERE w.who = 'copypasta-1'), any_value(n.size), "
        "avg(CASE WHEN w.text LIKE '%期日前%' THEN 1 ELSE 0 END) FROM narrative_members m "
        "JOIN who w ON w.uid = m.post_uid JOIN narratives n USING (narrative_id) "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    assert held >= 5 and purity >= 0.9, (nid, held, size, purity)
    matched = con.execute(
        "SELECT count(*) FROM claim_matches c JOIN narrative_members m USING (post_uid) "
        "JOIN claims USING (claim_id) WHERE m.narrative_id = ? AND claims.text LIKE '期日前%'",
        [nid],
    ).fetchone()
    assert matched is not None and matched[0] >= 0.5 * size
    organic = con.execute(
        "SELECT count(*) FROM claim_matches c JOIN who w ON w.uid = c.post_uid WHERE w.who = 'organic'"
    ).fetchone()
    assert organic == (0,)
