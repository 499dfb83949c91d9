"""The demonstration job: simulate an election scenario, ingest it into the embedded store, summarise.

Until the analysis stage lands this is Kagami's main job end to end on the embedded default; running it
twice gives the same store (the scenario is deterministic and ingest is idempotent).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     result = run_demo(d, seed=1, scale=0.01)
...     result.ingest.quarantined
0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kagami.ingest import Ingestor, IngestReport
from kagami.sim import SimSummary, named, simulate
from kagami.store import Store


@dataclass(slots=True)
class DemoResult:
    scenario: SimSummary
    ingest: IngestReport
    db_path: Path
    stats: dict[str, object]


def run_demo(
    out_dir: str | Path,
    *,
    seed: int = 1,
    scale: float = 0.25,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoResult:
    """Write the dev scenario under ``out_dir/scenario`` and ingest it into ``out_dir/kagami.duckdb``."""
    out = Path(out_dir)
    scenario = simulate(named("dev", seed=seed, scale=scale), out / "scenario")
    db_path = out / "kagami.duckdb"
    with Store(db_path) as store:
        files = [out / "scenario" / "x.jsonl", out / "scenario" / "bsky.jsonl"]
        report = Ingestor(store).ingest(files, progress=progress)
        stats = store.stats()
    return DemoResult(scenario, report, db_path, stats)
