"""``kagami analyze`` and ``kagami demo`` driven as a user would, on a tiny simulated election."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from kagami.cli import cli

OUTPUTS = ("accounts.csv", "campaigns.json", "network.gexf", "network.graphml", "report.html")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def analyzed(
    sim_world: Callable[[str, int, float], Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Result, Path, Path]:
    world = sim_world("dev", 3, 0.02)
    tmp = tmp_path_factory.mktemp("analyze-cli")
    db, out = tmp / "k.duckdb", tmp / "out"
    result = invoke(
        "analyze", str(world / "x.jsonl"), str(world / "bsky.jsonl"), "--out", str(out), "--db", str(db),
        "--no-narratives", "-q",
    )  # fmt: skip
    return result, out, db


def test_analyze_writes_the_outputs_and_the_db(analyzed: tuple[Result, Path, Path]) -> None:
    result, out, db = analyzed
    assert result.exit_code == 0, result.output
    assert db.is_file()
    for name in OUTPUTS:
        assert (out / name).is_file()
        assert str(out / name) in result.output  # the user is told where each output is


def test_analyze_prints_the_campaign_table(analyzed: tuple[Result, Path, Path]) -> None:
    result, out, _db = analyzed
    doc = orjson.loads((out / "campaigns.json").read_bytes())
    assert "Campaigns / キャンペーン" in result.output
    assert f"({len(doc['campaigns'])})" in result.output
    for c in doc["campaigns"]:
        assert c["id"] in result.output
    with (out / "accounts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    flagged = sum(r["flagged"] == "true" for r in rows)
    assert f"要確認アカウント: {flagged:,} of {len(rows):,}" in result.output


def test_analyze_quiet_prints_no_progress(analyzed: tuple[Result, Path, Path]) -> None:
    assert "… ingest" not in analyzed[0].output


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    result = invoke(
        "analyze", str(missing), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "k.duckdb")
    )
    assert result.exit_code == 2
    assert "nowhere.jsonl" in result.output and "does not exist" in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "k.duckdb").exists()


def test_analyze_needs_an_out_folder(tmp_path: Path) -> None:
    data = tmp_path / "x.jsonl"
    data.write_text("", encoding="utf-8")
    result = invoke("analyze", str(data))
    assert result.exit_code == 2 and "--out" in result.output


@pytest.mark.slow
def test_demo_reports_precision_and_recall(tmp_path: Path) -> None:
    result = invoke("demo", "--scale", "0.02", "--out", str(tmp_path / "demo"), "-q")
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "recall" in result.output
    assert "正解との比較" in result.output
    assert (tmp_path / "demo" / "report" / "report.html").is_file()
    assert (tmp_path / "demo" / "kagami.duckdb").is_file()
    # the scenario's false claims come with fact-checks, so the demo shows claim matching too
    from kagami.store import Store

    with Store(tmp_path / "demo" / "kagami.duckdb", read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM claims") == 3
        assert store.scalar("SELECT count(DISTINCT claim_id) FROM claim_matches") >= 1
    doc = orjson.loads((tmp_path / "demo" / "report" / "campaigns.json").read_bytes())
    assert any(c["claims"] for c in doc["campaigns"])


def test_export_findings_after_analyze(tmp_path: Path) -> None:
    """`kagami export --findings` writes the derived tables the analysis left; asking before is an error."""
    from kagami.sim import named, simulate
    from kagami.store import Store

    simulate(named("dev", seed=4, scale=0.02), tmp_path / "in")
    db = tmp_path / "k.duckdb"
    runner = CliRunner()
    args = ["analyze", str(tmp_path / "in" / "x.jsonl"), "--out", str(tmp_path / "o"), "--db", str(db)]
    assert runner.invoke(cli, [*args, "--no-narratives", "-q"]).exit_code == 0
    res = runner.invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path / "pq"), "--findings"])
    assert res.exit_code == 0, res.output
    names = {p.stem for p in (tmp_path / "pq").glob("*.parquet")}
    assert {"posts", "coaction_edges", "communities", "assess_verdicts", "automation_scores"} <= names
    assert "narratives" not in names  # skipped this run, so not exported
    assert {"coaction_evidence", "coaction_evidence_rows", "coaction_evidence_events"} <= names
    with Store(db, read_only=True) as store:
        assert store.findings()[0] == "text_clusters"
        # the evidence view exports named rows, one per stored row of event ids
        exported = store.scalar(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'coaction_evidence.parquet'}'")
        assert exported == store.scalar("SELECT count(*) FROM coaction_evidence_rows") > 0
    fresh = tmp_path / "fresh.duckdb"
    Store(fresh).close()
    res = runner.invoke(
        cli, ["export", "--db", str(fresh), "--out", str(tmp_path / "x"), "--table", "communities"]
    )
    assert res.exit_code != 0 and "kagami analyze" in str(res.exception)
