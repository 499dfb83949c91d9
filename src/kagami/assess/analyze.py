"""The main job: ingest, detect, judge, assemble campaigns, write the outputs (docs/analyze.md).

>>> import tempfile, pathlib
>>> from kagami.sim import named, simulate
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = simulate(named("dev", seed=2, scale=0.02), d / "in")
>>> r = analyze([d / "in" / "x.jsonl", d / "in" / "bsky.jsonl"], d / "out",
...             options=AnalyzeOptions(inputs=DetectorInputs(narratives=False)))
>>> sorted(p.name for p in r.outputs)
['accounts.csv', 'campaigns.json', 'network.gexf', 'network.graphml', 'report.html']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from kagami import __version__
from kagami.assess.campaigns import build_campaigns, iso
from kagami.assess.detectors import DetectorInputs, run_detectors
from kagami.assess.disarm import Disarm, find_bundle, load_disarm
from kagami.assess.judge import JudgeConfig, judge
from kagami.assess.outputs import network, write_accounts, write_json, write_network
from kagami.assess.report_html import write_report
from kagami.ingest import Ingestor, IngestReport
from kagami.store import Store
from kagami.store.sqlfiles import sections, stage

Progress = Callable[[str], None]
SQL = Path(__file__).parent / "sql" / "rows.sql"
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    """What the run reads besides its inputs, and the judgement's thresholds."""

    inputs: DetectorInputs = field(default_factory=DetectorInputs)
    judge: JudgeConfig = field(default_factory=JudgeConfig)
    disarm: str | Path | None = None
    """The user's DISARM STIX bundle (else ``KAGAMI_DISARM``; without one, technique names are empty)."""
    report: bool = True


@dataclass(slots=True)
class AnalyzeResult:
    ingest: IngestReport | None
    outputs: list[Path]
    campaigns: list[dict[str, Any]]
    flagged: int
    accounts: int
    timings: dict[str, float]
    disarm_source: str | None


def _disarm(option: str | Path | None) -> Disarm | None:
    path = find_bundle(option)
    return load_disarm(path) if path is not None else None


def _rows(store: Store, campaigns: Sequence[dict[str, Any]], cfg: JudgeConfig) -> list[tuple[Any, ...]]:
    ids = pa.table({"community_id": pa.array([c["group"] for c in campaigns], pa.int64()),
                    "campaign_id": pa.array([c["id"] for c in campaigns], pa.string())})  # fmt: skip
    stage(store.con, "_as_ids", ids)
    thresholds = {
        "automated_min": cfg.automated_min,
        "young_days": cfg.young_days,
        "origin_min": cfg.origin_min,
    }
    return store.con.execute(sections(SQL)["accounts"], thresholds).fetchall()


def document(
    store: Store, campaigns: list[dict[str, Any]], opts: AnalyzeOptions, disarm: Disarm | None
) -> dict[str, Any]:
    """The campaigns.json document."""
    s = store.con.execute(sections(SQL)["summary"]).fetchall()[0]
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "kagami_version": __version__,
        "disarm_source": disarm.source if disarm else None,
        "summary": {
            "accounts": int(s[0]),
            "flagged": int(s[1]),
            "campaigns": len(campaigns),
            "posts": int(s[2]),
            "first_seen": iso(s[3]),
            "last_seen": iso(s[4]),
        },
        "thresholds": opts.judge.params(),
        "campaigns": campaigns,
    }


def assess(store: Store, out: Path, opts: AnalyzeOptions, progress: Progress | None = None) -> AnalyzeResult:
    """Judge the detectors' tables in ``store`` and write every output under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    disarm = _disarm(opts.disarm)
    flagged = judge(store.con, opts.judge)
    campaigns = build_campaigns(store.con, disarm, opts.judge)
    timings["judge + campaigns"] = time.perf_counter() - t
    if progress:
        progress("writing outputs")
    t = time.perf_counter()
    rows = _rows(store, campaigns, opts.judge)
    doc = document(store, campaigns, opts, disarm)
    store.con.execute("DROP TABLE IF EXISTS _as_ids").fetchall()
    outputs = [write_accounts(rows, out / "accounts.csv"), write_json(doc, out / "campaigns.json")]
    outputs += write_network(*network(store.con, campaigns, opts.judge.alpha), out)
    if opts.report:
        outputs.append(write_report(doc, out / "report.html"))
    timings["outputs"] = time.perf_counter() - t
    return AnalyzeResult(None, outputs, campaigns, flagged, len(rows), timings, doc["disarm_source"])


def analyze(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    db: str | Path = ":memory:",
    options: AnalyzeOptions | None = None,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """Ingest ``paths`` into ``db``, run every detector, judge, and write the outputs under ``out``."""
    opts = options or AnalyzeOptions()
    with Store(db) as store:
        t = time.perf_counter()
        if progress:
            progress("ingest")
        report = Ingestor(store).ingest(paths)
        timings = {"ingest": time.perf_counter() - t}
        timings |= run_detectors(store, opts.inputs, progress)
        if progress:
            progress("judge")
        result = assess(store, Path(out), opts, progress)
    result.ingest = report
    result.timings = timings | result.timings
    return result
