"""``kagami eval`` on hand-made truth and verdicts, with every number worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kagami.cli import cli
from kagami.evaluate.run import evaluate_files

TRUTH = """platform,account_id,handle,label,campaign,role
x,1,a1,campaign,ring-1,seed
x,2,a2,campaign,ring-1,amplifier
x,3,a3,campaign,ring-1,amplifier
x,4,a4,campaign,ring-1,amplifier
bsky,did:plc:c1,c1.bsky.social,campaign,copypasta-1,poster
bsky,did:plc:c2,c2.bsky.social,campaign,copypasta-1,poster
x,10,o1,organic,,member
x,11,o2,organic,,member
x,12,o3,organic,,member
x,13,o4,organic,,member
x,20,f1,fandom,,fan
x,21,f2,fandom,,fan
x,30,n1,news_bot,,news
"""
# flagged: ring 1,2,3 (A, A, B), copypasta c1 (B), organic 10 (A), fandom 20 and 21 (no id),
# an unknown account 99 (ignored), and an explicit not-flagged row.
VERDICTS = """platform,account_id,flagged,campaign_id
x,1,true,A
x,2,TRUE,A
x,3,1,B
bsky,did:plc:c1,yes,B
x,10,true,A
x,20,true,
x,21,true,
x,99,true,Z
x,4,false,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "truth.csv").write_text(TRUTH)
    (tmp_path / "accounts.csv").write_text(VERDICTS)
    return tmp_path / "truth.csv", tmp_path / "accounts.csv"


def test_numbers_worked_by_hand(files: tuple[Path, Path]) -> None:
    ev, out = evaluate_files(*files)
    assert out.name == "accounts.eval.json"
    assert (ev.accounts, ev.flagged, ev.true_positives, ev.false_positives, ev.unknown_flagged) == (
        13,
        7,
        4,
        3,
        1,
    )
    assert ev.precision == pytest.approx(4 / 7)
    assert ev.recall == pytest.approx(4 / 6)
    assert ev.f1 == pytest.approx(2 * (4 / 7) * (4 / 6) / (4 / 7 + 4 / 6))
    assert ev.fpr == pytest.approx(3 / 7)  # 7 non-campaign accounts, 3 flagged
    assert ev.campaigns["ring-1"].recall == pytest.approx(3 / 4)
    assert ev.campaigns["ring-1"].recovered_by == {"A": 2, "B": 1}
    assert ev.campaigns["copypasta-1"].recall == pytest.approx(1 / 2)
    assert ev.campaigns["copypasta-1"].recovered_by == {"B": 1}
    assert ev.labels["organic"].fpr == pytest.approx(1 / 4)
    assert ev.labels["fandom"].fpr == pytest.approx(1.0)
    assert ev.labels["news_bot"].fpr == 0.0
    # A = {1 ring, 2 ring, 10 none}: majority ring-1, 2/3; B = {3 ring, c1 copypasta}: 1/2 (tie -> first seen)
    assert ev.predicted["A"].majority == "ring-1" and ev.predicted["A"].purity == pytest.approx(2 / 3)
    assert ev.predicted["B"].size == 2 and ev.predicted["B"].purity == pytest.approx(1 / 2)
    assert ev.purity == pytest.approx(3 / 5)
    saved = json.loads(out.read_text())
    assert saved["precision"] == pytest.approx(4 / 7) and saved["campaigns"]["ring-1"]["flagged"] == 3


def test_without_campaign_ids_purity_is_absent(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(TRUTH)
    (tmp_path / "v.csv").write_text("platform,account_id,flagged\nx,1,true\nx,2,true\n")
    ev, _ = evaluate_files(tmp_path / "t.csv", tmp_path / "v.csv", tmp_path / "o.json")
    assert ev.purity is None and ev.predicted == {}
    assert (ev.precision, ev.recall, ev.fpr) == (1.0, pytest.approx(2 / 6), 0.0)


def test_bad_flag_value_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(TRUTH)
    (tmp_path / "v.csv").write_text("platform,account_id,flagged\nx,1,maybe\n")
    with pytest.raises(ValueError, match="flagged must be true or false"):
        evaluate_files(tmp_path / "t.csv", tmp_path / "v.csv")


def test_cli_prints_table_and_writes_json(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    res = CliRunner().invoke(
        cli, ["eval", "--truth", str(files[0]), "--verdicts", str(files[1]), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "ring-1" in res.output and "57.14%" in res.output  # precision 4/7
    assert json.loads(out.read_text())["recall"] == pytest.approx(4 / 6)
