"""Speed and memory of ``kagami analyze`` on a large simulated world (issue 6: scale 10 in <= 5 min, <= 8 GB).

    python bench/analyze_scale.py --scale 10            # simulates once into bench/out/sim_<cfg>_<seed>_<scale>
    /usr/bin/time -v python bench/analyze_scale.py ...  # for peak memory of the whole process

Prints the seconds per stage, the total, and the peak resident memory of this process (ru_maxrss).
The world is simulated before timing starts and cached; the analysis uses a fresh file store.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

from kagami.assess.analyze import AnalyzeOptions, analyze
from kagami.sim import named, simulate

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="dev", choices=["dev", "held-out"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=10.0)
    a = ap.parse_args()
    world = OUT / f"sim_{a.config}_{a.seed}_{a.scale:g}"
    if not (world / "truth.csv").exists():
        t = time.perf_counter()
        s = simulate(named(a.config, seed=a.seed, scale=a.scale), world)
        print(f"simulated {s.events:,} events in {time.perf_counter() - t:.0f} s", flush=True)
    run = OUT / f"analyze_{a.config}_{a.seed}_{a.scale:g}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    t = time.perf_counter()
    last = [t, _cpu()]

    def progress(stage: str) -> None:
        # the CPU this process used since the last line, as cores busy: 2.0 keeps both of 2 cores busy
        now, cpu = time.perf_counter(), _cpu()
        busy = (cpu - last[1]) / max(now - last[0], 1e-9)
        last[:] = [now, cpu]
        print(f"… {stage} at {now - t:.0f} s (cores busy since the last line: {busy:.2f})", flush=True)

    r = analyze(
        [world / "x.jsonl", world / "bsky.jsonl"],
        run / "out",
        db=run / "kagami.duckdb",
        options=AnalyzeOptions(),
        progress=progress,
    )
    progress("done")
    total = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(" | ".join(f"{k} {v:.1f}" for k, v in r.timings.items()))
    print(f"total {total:.1f} s; peak RSS {peak_mb:,.0f} MB; accounts {r.accounts:,}; flagged {r.flagged:,}; "
          f"campaigns {len(r.campaigns)}")  # fmt: skip


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


if __name__ == "__main__":
    main()
