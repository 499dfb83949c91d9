"""The demonstration job: simulate an election scenario, run the main job (``kagami analyze``) on it on
the embedded default, and score the result against the scenario's ground truth.

Running it twice gives the same store and the same verdicts (the scenario is deterministic, ingest is
idempotent and every detector rewrites its tables).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     result = run_demo(d, seed=1, scale=0.01, narratives=False)
...     result.analysis.ingest.quarantined, result.report_dir.name
(0, 'report')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kagami.assess.analyze import AnalyzeOptions, AnalyzeResult, analyze
from kagami.assess.detectors import DetectorInputs
from kagami.evaluate.metrics import Evaluation, evaluate
from kagami.evaluate.tables import load_truth, load_verdicts
from kagami.sim import SimSummary, named, simulate
from kagami.sim.factchecks import write_factchecks


@dataclass(slots=True)
class DemoResult:
    scenario: SimSummary
    analysis: AnalyzeResult
    evaluation: Evaluation
    db_path: Path
    report_dir: Path


def run_demo(
    out_dir: str | Path,
    *,
    seed: int = 1,
    scale: float = 0.25,
    disarm: str | Path | None = None,
    watchlists: Sequence[Path] = (),
    narratives: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Write the dev scenario under ``out_dir/scenario`` (with fact-checks of its false claims,
    ``factchecks.jsonld``), analyse it into ``out_dir/report`` with the store ``out_dir/kagami.duckdb``, and
    evaluate ``accounts.csv`` against ``scenario/truth.csv``."""
    out = Path(out_dir)
    if progress:
        progress("simulating")
    scenario = simulate(named("dev", seed=seed, scale=scale), out / "scenario")
    files = [out / "scenario" / "x.jsonl", out / "scenario" / "bsky.jsonl"]
    # the scenario's false claims, as a fact-checker rates them
    checks = write_factchecks(out / "scenario" / "factchecks.jsonld")
    inputs = DetectorInputs(watchlists=watchlists, claims=[checks], narratives=narratives)
    opts = AnalyzeOptions(inputs=inputs, disarm=disarm)
    db_path = out / "kagami.duckdb"
    result = analyze(files, out / "report", db=db_path, options=opts, progress=progress)
    ev = evaluate(load_truth(out / "scenario" / "truth.csv"), load_verdicts(out / "report" / "accounts.csv"))
    return DemoResult(scenario, result, ev, db_path, out / "report")
