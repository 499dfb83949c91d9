"""Account-level quality of ``kagami analyze`` on simulated worlds, against their ground truth.

    python bench/quality.py --config held-out --seeds 9001 9002 --scale 1
    python bench/quality.py --config dev --seeds 1 2 3 --scale 1
    python bench/quality.py --config dev-wide --seeds 11 12 13 --keep /tmp/q   # keep stores to inspect

Simulates each world, runs the whole main job (ingest, every detector, judgement, outputs) into a
temporary folder, scores accounts.csv with ``kagami eval``'s metrics and prints Markdown: overall
precision / recall / F1 / false-positive rate / purity, then per campaign and per hard-negative label, and
the seconds per stage. Held-out seeds (9001-9010) are for reporting only: never tune on this output.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kagami.assess.analyze import AnalyzeOptions, analyze
from kagami.assess.detectors import DetectorInputs
from kagami.evaluate.metrics import evaluate
from kagami.evaluate.tables import load_truth, load_verdicts
from kagami.sim import named, simulate
from kagami.sim.config import apply_overrides

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def one(
    config: str, seed: int, scale: float, narratives: bool, overrides: list[str], keep: Path | None = None
) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) if keep is None else keep / f"{config}-{seed}"
        d.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        simulate(apply_overrides(named(config, seed=seed, scale=scale), overrides), d / "in")
        sim_s = time.perf_counter() - t
        watch = SHARED / "watchlists" / "io_domains.csv"
        disarm = SHARED / "disarm" / "DISARM.json"
        opts = AnalyzeOptions(
            inputs=DetectorInputs(watchlists=[watch] if watch.exists() else [], narratives=narratives),
            disarm=disarm if disarm.exists() else None,
        )
        db: str | Path = ":memory:"
        if keep is not None:
            db = d / "kagami.duckdb"
            db.unlink(missing_ok=True)
        r = analyze([d / "in" / "x.jsonl", d / "in" / "bsky.jsonl"], d / "out", db=db, options=opts)
        ev = evaluate(load_truth(d / "in" / "truth.csv"), load_verdicts(d / "out" / "accounts.csv"))
    lines = [
        f"## {config} seed {seed}, scale {scale}" + (f" ({', '.join(overrides)})" if overrides else ""),
        "",
        f"accounts {ev.accounts:,}; flagged {ev.flagged}; precision {ev.precision:.3f}; recall {ev.recall:.3f}; "
        f"F1 {ev.f1:.3f}; false-positive rate {ev.fpr:.4%}; purity "
        + (f"{ev.purity:.3f}" if ev.purity is not None else "n/a")
        + f"; campaigns found {len(r.campaigns)}",
        "",
        "| campaign | accounts | flagged | recall | recovered by (predicted campaign: accounts) |",
        "|---|---|---|---|---|",
    ]
    for name, c in sorted(ev.campaigns.items()):
        by = ", ".join(f"{k}: {v}" for k, v in sorted(c.recovered_by.items()))
        lines.append(f"| {name} | {c.size} | {c.flagged} | {c.recall:.2f} | {by} |")
    lines += ["", "| label | accounts | flagged | false-positive rate |", "|---|---|---|---|"]
    for name, lab in sorted(ev.labels.items()):
        lines.append(f"| {name} | {lab.size} | {lab.flagged} | {lab.fpr:.2%} |")
    lines += ["", "| predicted campaign | size | majority | purity |", "|---|---|---|---|"]
    for name, p in sorted(ev.predicted.items()):
        lines.append(f"| {name} | {p.size} | {p.majority} | {p.purity:.2f} |")
    stages = ", ".join(f"{k} {v:.1f}" for k, v in r.timings.items())
    lines += ["", f"Seconds: simulate {sim_s:.1f}, {stages}, total analyze {sum(r.timings.values()):.1f}", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="held-out", choices=["dev", "dev-wide", "held-out"])
    ap.add_argument("--seeds", type=int, nargs="+", default=[9001])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--no-narratives", action="store_true")
    ap.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="K.P=V",
        help="override a simulator parameter, as `kagami sim --set` (dev variants only)",
    )
    ap.add_argument("--keep", type=Path, help="keep each world, store and outputs under this folder")
    a = ap.parse_args()
    for seed in a.seeds:
        print(one(a.config, seed, a.scale, not a.no_narratives, a.overrides, a.keep), flush=True)


if __name__ == "__main__":
    main()
