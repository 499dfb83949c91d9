"""``kagami sim`` writes the three files, honours --config and --set, and rejects unknown parameters."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from kagami.cli import cli


def test_sim_with_overrides(tmp_path: Path) -> None:
    args = ["sim", "--seed", "3", "--scale", "0.01", "--out", str(tmp_path)]
    res = CliRunner().invoke(cli, [*args, "--set", "ring.size=3000", "--set", "lowslow.enabled=false"])
    assert res.exit_code == 0, res.output
    assert "events" in res.output
    with (tmp_path / "truth.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    campaigns = {r["campaign"] for r in rows if r["campaign"]}
    assert "lowslow-1" not in campaigns and "ring-1" in campaigns
    assert sum(r["role"] == "amplifier" for r in rows) == 30  # 3000 at scale 1, so 30 at scale 0.01


def test_sim_held_out_and_bad_parameter(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli, ["sim", "--seed", "9001", "--scale", "0.01", "--out", str(tmp_path), "--config", "held-out"]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x.jsonl").stat().st_size > 0
    bad = CliRunner().invoke(cli, ["sim", "--out", str(tmp_path), "--set", "ring.nonsense=1"])
    assert bad.exit_code != 0 and "nonsense" in bad.output
