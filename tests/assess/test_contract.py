"""The output contract of ``kagami analyze`` (docs/analyze.md), on one small simulated election.

Every field docs/analyze.md lists is checked here, in the order and form it promises: a field is never
renamed or removed without a new ``schema_version``. Runs are shared per module (one analyze without
narratives, repeated assessments of its store, one analyze with narratives) to keep the suite fast.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.assess.analyze import AnalyzeOptions, AnalyzeResult, analyze, assess
from kagami.assess.detectors import DetectorInputs
from kagami.assess.judge import JudgeConfig
from kagami.store import Store
from tests.conftest import SHARED_DATA

OUTPUTS = ["accounts.csv", "campaigns.json", "network.gexf", "network.graphml", "report.html"]
COLUMNS = [
    "platform", "account_id", "handle", "flagged", "campaign_id", "score", "coordination", "automation",
    "origin", "reasons",
]  # fmt: skip
DOC_KEYS = {"schema_version", "generated_at", "kagami_version", "disarm_source", "summary", "thresholds",
            "campaigns"}  # fmt: skip
SUMMARY_KEYS = {"accounts", "flagged", "campaigns", "posts", "first_seen", "last_seen"}
CAMPAIGN_KEYS = {
    "id", "score", "confidence", "accounts", "size", "platforms", "first_seen", "last_seen", "layers",
    "narratives", "top_targets", "top_links", "hashtags", "claims", "disarm", "abcde", "breakout", "origin",
    "evidence", "timeline", "network",
}  # fmt: skip
PART_KEYS = {
    "accounts": {"uid", "platform", "account_id", "handle", "role", "score"},
    "narratives": {"id", "label", "terms", "posts"},
    "top_targets": {"post_uid", "author_uid", "author_handle", "text", "engagements"},
    "top_links": {"domain", "url", "posts"},
    "hashtags": {"tag", "posts"},
    "claims": {"claim_id", "claim", "rating", "posts"},
    "disarm": {"id", "name", "tactic", "rule"},
    "origin": {"indicator", "value", "confidence", "accounts"},
    "evidence": {"kind", "fact", "post_ids", "times", "raw_sha256"},
    "timeline": {"t", "posts", "engagements"},
}
ORIGIN_INDICATORS = {"timezone", "script", "state_media", "lookalike", "io_domain"}
TECHNIQUE = re.compile(r"T\d{4}(\.\d{3})?")
SHA256 = re.compile(r"[0-9a-f]{64}")
#: What would make report.html fetch something: stylesheets, scripts, remote images or fonts, imports.
LOADS = (
    r"<link\b",
    r"<script[^>]+src",
    r"\bsrc\s*=\s*[\"']?\s*(https?:)?//",
    r"url\(\s*[\"']?(https?:)?//",
    r"@import",
)
BUNDLE = SHARED_DATA / "disarm" / "DISARM.json"


@dataclass
class Runs:
    first: AnalyzeResult
    out: Path
    db: Path
    reassessed: tuple[Path, Path]
    again: Path
    narratives: Path


def options(narratives: bool = False) -> AnalyzeOptions:
    disarm = BUNDLE if BUNDLE.is_file() else None
    return AnalyzeOptions(inputs=DetectorInputs(narratives=narratives), disarm=disarm)


@pytest.fixture(scope="module")
def runs(sim_world: Callable[[str, int, float], Path], tmp_path_factory: pytest.TempPathFactory) -> Runs:
    world = sim_world("dev", 3, 0.05)
    tmp = tmp_path_factory.mktemp("contract")
    inputs = [world / "x.jsonl", world / "bsky.jsonl"]
    db = tmp / "kagami.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("KAGAMI_DISARM", raising=False)  # the bundle used is the one given, or none
        first = analyze(inputs, tmp / "out", db=db, options=options())
        with Store(db) as store:
            reassessed = (tmp / "assess1", tmp / "assess2")
            for out in reassessed:
                assess(store, out, options())
        again = tmp / "again"
        analyze(inputs, again, db=db, options=options())
        narr = tmp / "narratives"
        analyze(inputs, narr, options=options(narratives=True))
    return Runs(first, tmp / "out", db, reassessed, again, narr)


@pytest.fixture(scope="module")
def rows(runs: Runs) -> list[dict[str, str]]:
    with (runs.out / "accounts.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def doc(runs: Runs) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads((runs.out / "campaigns.json").read_bytes())
    return loaded


def query(runs: Runs, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with Store(runs.db, read_only=True) as store:
        return store.con.execute(sql, params or []).fetchall()


def utc(text: Any) -> datetime:
    assert isinstance(text, str) and text.endswith("Z"), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_every_output_is_written(runs: Runs) -> None:
    assert sorted(p.name for p in runs.first.outputs) == sorted(OUTPUTS)
    for name in OUTPUTS:
        assert (runs.out / name).stat().st_size > 0


def test_the_world_has_campaigns_to_check(doc: dict[str, Any]) -> None:
    assert len(doc["campaigns"]) >= 2  # otherwise the per-campaign checks below check nothing


def test_accounts_csv_columns_in_contract_order(runs: Runs) -> None:
    header = (runs.out / "accounts.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == COLUMNS


def test_accounts_csv_has_one_row_per_stored_account_in_order(runs: Runs, rows: list[dict[str, str]]) -> None:
    assert len(rows) == query(runs, "SELECT count(*) FROM accounts")[0][0]
    keys = [(r["platform"], r["account_id"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    stored = {(p, i) for p, i in query(runs, "SELECT platform, id FROM accounts")}
    assert set(keys) == stored


def test_accounts_csv_values(rows: list[dict[str, str]], doc: dict[str, Any]) -> None:
    ids = {c["id"] for c in doc["campaigns"]}
    assert {r["flagged"] for r in rows} == {"true", "false"}
    for r in rows:
        for col in ("score", "coordination", "automation", "origin"):
            assert 0.0 <= float(r[col]) <= 1.0, (col, r)
        if r["flagged"] == "true":
            assert r["campaign_id"] in ids and float(r["score"]) > 0
            assert r["campaign_id"] in r["reasons"]
        else:
            assert r["campaign_id"] == "" and float(r["score"]) == 0
            if float(r["automation"]) >= 0.9 or float(r["origin"]) >= 0.9:
                assert r["reasons"], (
                    f"an automated or foreign-looking account must say why it is not flagged: {r}"
                )


def test_campaigns_json_document(runs: Runs, doc: dict[str, Any], rows: list[dict[str, str]]) -> None:
    assert set(doc) >= DOC_KEYS
    assert doc["schema_version"] == 1
    utc(doc["generated_at"])
    assert isinstance(doc["kagami_version"], str) and doc["kagami_version"]
    assert doc["disarm_source"] == (str(BUNDLE) if BUNDLE.is_file() else None)
    s = doc["summary"]
    assert set(s) >= SUMMARY_KEYS
    assert s["accounts"] == len(rows)
    assert s["flagged"] == sum(r["flagged"] == "true" for r in rows) == runs.first.flagged
    assert s["campaigns"] == len(doc["campaigns"])
    assert s["posts"] == query(runs, "SELECT count(*) FROM posts")[0][0]
    assert utc(s["first_seen"]) <= utc(s["last_seen"])
    assert doc["thresholds"] == JudgeConfig().params()


def test_every_campaign_has_every_contract_field(doc: dict[str, Any]) -> None:
    ids = [c["id"] for c in doc["campaigns"]]
    assert ids == [f"C{n:02d}" for n in range(1, len(ids) + 1)]
    for c in doc["campaigns"]:
        assert set(c) >= CAMPAIGN_KEYS, CAMPAIGN_KEYS - set(c)
        for part, keys in PART_KEYS.items():
            for item in c[part]:
                assert keys <= set(item), (c["id"], part, keys - set(item))
        assert 0 <= c["score"] <= 1 and c["confidence"] in {"high", "medium", "low"}
        assert c["size"] == len(c["accounts"]) > 0
        assert c["platforms"] == sorted(set(c["platforms"])) and c["platforms"]
        assert utc(c["first_seen"]) <= utc(c["last_seen"])
        assert c["layers"] and all(isinstance(x, str) for x in c["layers"])
        assert set(c["abcde"]) == {"actor", "behaviour", "content", "degree", "effect"}
        assert all(isinstance(v, str) and v for v in c["abcde"].values())
        assert (
            1 <= c["breakout"]["category"] <= 6 and c["breakout"]["name"] and c["breakout"]["justification"]
        )
        for t in c["timeline"]:
            utc(t["t"])
        for o in c["origin"]:
            assert o["indicator"] in ORIGIN_INDICATORS and 0 <= o["confidence"] <= 1


def test_campaign_accounts_match_accounts_csv(doc: dict[str, Any], rows: list[dict[str, str]]) -> None:
    by_uid = {f"{r['platform']}:{r['account_id']}": r for r in rows}
    for c in doc["campaigns"]:
        uids = [a["uid"] for a in c["accounts"]]
        assert len(uids) == len(set(uids)), c["id"]
        for a in c["accounts"]:
            assert a["uid"] == f"{a['platform']}:{a['account_id']}" and a["role"] in {"member", "hub"}
            row = by_uid[a["uid"]]
            assert row["flagged"] == "true" and row["campaign_id"] == c["id"], (c["id"], row)
            assert row["handle"] == (a["handle"] or "")
    flagged = {u for u, r in by_uid.items() if r["flagged"] == "true"}
    assert flagged == {a["uid"] for c in doc["campaigns"] for a in c["accounts"]}


def test_disarm_techniques_are_well_formed(doc: dict[str, Any]) -> None:
    for c in doc["campaigns"]:
        ids = [d["id"] for d in c["disarm"]]
        assert c["disarm"] and len(ids) == len(set(ids))
        for d in c["disarm"]:
            assert TECHNIQUE.fullmatch(d["id"]), d
            assert d["rule"]
            if doc["disarm_source"] is not None:
                assert d["name"], f"{d['id']} has no name although a bundle was given"


def test_evidence_points_at_stored_raw_payloads(runs: Runs, doc: dict[str, Any]) -> None:
    hashes: set[str] = set()
    posts: set[str] = set()
    for c in doc["campaigns"]:
        assert c["evidence"], c["id"]
        assert any(e["post_ids"] for e in c["evidence"]), f"{c['id']} cites no post"
        for e in c["evidence"]:
            assert e["kind"] and e["fact"]
            assert len(e["post_ids"]) == len(e["times"]) == len(e["raw_sha256"])
            for sha in e["raw_sha256"]:
                assert isinstance(sha, str) and SHA256.fullmatch(sha), sha
            for t in e["times"]:
                utc(t)
            hashes |= set(e["raw_sha256"])
            posts |= set(e["post_ids"])
    stored = query(
        runs,
        "SELECT sha256 FROM raw_payloads WHERE list_contains(?, sha256) "
        "UNION SELECT raw_sha256 FROM posts WHERE list_contains(?, raw_sha256)",
        [sorted(hashes), sorted(hashes)],
    )
    assert {r[0] for r in stored} == hashes
    found = query(runs, "SELECT uid FROM posts WHERE list_contains(?, uid)", [sorted(posts)])
    assert {r[0] for r in found} == posts


def test_campaign_network_is_its_accounts(doc: dict[str, Any]) -> None:
    for c in doc["campaigns"]:
        nodes = {n["id"] for n in c["network"]["nodes"]}
        assert nodes == {a["uid"] for a in c["accounts"]}
        for e in c["network"]["edges"]:
            assert {e["a"], e["b"]} <= nodes and e["weight"] > 0 and e["layers"]
        assert len(c["network"]["edges"]) == min(c["network"]["edges_total"], 5000)
        weights = [e["weight"] for e in c["network"]["edges"]]
        assert weights == sorted(weights, reverse=True)  # the strongest are kept


def test_campaign_network_keeps_the_strongest_edges() -> None:
    """The SQL keeps each campaign's strongest edges (summed over layers) and counts them all."""
    import duckdb

    from kagami.assess import campaigns
    from kagami.store import sqlfiles

    con = duckdb.connect()
    con.execute("CREATE TABLE cp_members (community_id INT, uid VARCHAR)")
    con.executemany(
        "INSERT INTO cp_members VALUES (?, ?)", [(1, "x:0"), (1, "x:1"), (1, "x:2"), (2, "x:3"), (2, "x:4")]
    )
    con.execute(
        "CREATE TABLE coaction_edges (a VARCHAR, b VARCHAR, layer VARCHAR, weight DOUBLE, qvalue DOUBLE)"
    )
    edges = [
        ("x:0", "x:1", "repost", 6.0, 0.001), ("x:0", "x:1", "like", 3.0, 0.01),
        ("x:0", "x:2", "like", 5.0, 0.001), ("x:1", "x:2", "text", 1.0, 0.001),
        ("x:1", "x:2", "hashtag", 8.0, 0.5), ("x:3", "x:4", "quote", 2.0, 0.001),
        ("x:0", "x:3", "repost", 9.0, 0.001),
    ]  # fmt: skip
    con.executemany("INSERT INTO coaction_edges VALUES (?, ?, ?, ?, ?)", edges)
    sql = sqlfiles.sections(campaigns.SQL)["edges"]
    rows = con.execute(sql, {"alpha": 0.05, "max_edges": 2}).fetchall()
    assert rows == [
        (
            1,
            "x:0",
            "x:1",
            9.0,
            ["like", "repost"],
            3,
        ),  # summed over layers; the hashtag edge is not significant
        (1, "x:0", "x:2", 5.0, ["like"], 3),
        (2, "x:3", "x:4", 2.0, ["quote"], 1),  # x:0 - x:3 crosses campaigns
    ]
    accounts = [(f"x:{i}", "x", str(i), f"h{i}", "member", 0.5) for i in range(3)]
    net = campaigns._network([r[1:] for r in rows if r[0] == 1], accounts)
    assert [e["weight"] for e in net["edges"]] == [9.0, 5.0] and net["edges_total"] == 3


@pytest.mark.parametrize("name", ["network.gexf", "network.graphml"])
def test_network_files_hold_every_flagged_account(runs: Runs, rows: list[dict[str, str]], name: str) -> None:
    root = ET.parse(runs.out / name).getroot()
    nodes = {el.get("id") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "node"}
    edges = [
        (el.get("source"), el.get("target")) for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "edge"
    ]
    flagged = {f"{r['platform']}:{r['account_id']}" for r in rows if r["flagged"] == "true"}
    assert flagged <= nodes
    assert edges and all({a, b} <= nodes for a, b in edges)


def test_report_names_every_campaign_and_loads_nothing(runs: Runs, doc: dict[str, Any]) -> None:
    html = (runs.out / "report.html").read_text(encoding="utf-8")
    for c in doc["campaigns"]:
        assert c["id"] in html
    for pattern in LOADS:
        assert re.search(pattern, html, re.IGNORECASE) is None, pattern


def without_time(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(path.read_bytes())
    loaded.pop("generated_at")
    return loaded


def test_assess_is_deterministic(runs: Runs) -> None:
    one, two = runs.reassessed
    assert (one / "accounts.csv").read_bytes() == (two / "accounts.csv").read_bytes()
    assert without_time(one / "campaigns.json") == without_time(two / "campaigns.json")
    for name in ("network.gexf", "network.graphml"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert (one / "accounts.csv").read_bytes() == (runs.out / "accounts.csv").read_bytes()


def test_analyze_again_into_the_same_db_is_idempotent(runs: Runs) -> None:
    assert (runs.again / "accounts.csv").read_bytes() == (runs.out / "accounts.csv").read_bytes()
    assert without_time(runs.again / "campaigns.json") == without_time(runs.out / "campaigns.json")


def test_narratives_describe_campaigns_but_never_change_the_verdicts(runs: Runs) -> None:
    assert (runs.narratives / "accounts.csv").read_bytes() == (runs.out / "accounts.csv").read_bytes()
    with_n = without_time(runs.narratives / "campaigns.json")
    without_n = without_time(runs.out / "campaigns.json")
    assert [c["id"] for c in with_n["campaigns"]] == [c["id"] for c in without_n["campaigns"]]
    assert all(c["narratives"] == [] for c in without_n["campaigns"])
    found = [n for c in with_n["campaigns"] for n in c["narratives"]]
    assert found, "no campaign has a narrative"
    for n in found:
        assert isinstance(n["id"], int) and n["label"] and n["terms"] and n["posts"] > 0
