"""Kagami's benchmarks (``make bench``). Each case runs in its own process, timed, with its peak memory.

    python bench/run.py                 # every case at full size
    python bench/run.py --posts 100000  # a smaller ingest, e.g. to try a change
    python bench/run.py --posts 200000 --baseline /tmp/base/src --rounds 3  # against another tree

Cases
- ingest: ``kagami ingest`` of N X posts written as twarc2 JSONL pages (100 tweets a page with includes),
  into a fresh DuckDB file. Target (issue 2): >= 50,000 posts/s on 2 cores, peak memory < 4 GB. The same
  input through the pure-Python reader (``--python-path``) shows what the SQL path buys.

- co-action layers (``--cnt N``): ``bench/peers/cnt_compare.py`` on N synthetic tweets — Kagami's
  co_retweet, co_link, co_tweet and co_similar_tweet edges against coordination-network-toolkit's (must
  be equal), both timed side by side with peak memory (target, issue 4: Kagami >= 20x faster), then
  Kagami's copy-paste clusters and text layer, and its own layers.
- co-action on actions (``--likes N``): ``bench/peers/likes_compare.py`` on N generated likes (the issue's
  10M-action input) — the toolkit's co_retweet fed the likes as reposts against Kagami's co_like (same
  definition; edges must be equal), side by side, then Kagami's own like layer.

- analyze (``--analyze S``): ``bench/analyze_scale.py`` — ``kagami analyze`` on the dev world at scale S
  (issue 6: scale 10 in <= 5 minutes, <= 8 GB), seconds per stage and peak memory.
- quality (``--quality SEED...``): ``bench/quality.py`` — account-level quality of ``kagami analyze`` on
  the held-out configuration at scale 1 (issue 6: F1 >= 0.90, FPR <= 0.2 %, no hard negative above 1 %,
  every campaign with purity >= 0.9).

Results are printed as a Markdown table and written to bench/out/results.json; docs/benchmarks.md keeps
the figures with the command and the date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
KAGAMI = Path(sys.executable).with_name("kagami")


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, the peak RSS in MB that it reports as ``peak_mb=N``)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    peak = [float(ln.split("=", 1)[1]) for ln in proc.stdout.splitlines() if ln.startswith("peak_mb=")]
    return wall, peak[-1] if peak else float("nan")


def ingest_case(
    posts: int, python_path: bool, baseline: str | None = None, rounds: int = 1
) -> list[dict[str, object]]:
    """Time ``kagami ingest`` of N posts, each variant in its own process into a fresh store. With
    ``baseline`` (another tree's ``src``, e.g. a git worktree of HEAD), the same ingest on that code too;
    variants alternate for ``rounds`` rounds, so a loaded machine weighs on each alike."""
    data = OUT / f"x_{posts}.jsonl"
    if not data.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_twarc2.py"), "--posts", str(posts), "--out", str(data)],
            check=True,
        )
    rows = []
    variants: list[tuple[str, list[str], dict[str, str] | None]] = [("SQL path (default)", [], None)]
    if baseline:
        variants.append((f"SQL path, baseline {baseline}", [], {"PYTHONPATH": str(Path(baseline).resolve())}))
    if python_path:
        variants.append(("Python reader only", ["--python-only"], None))
    for _ in range(rounds):
        for label, extra, env in variants:
            db = OUT / "bench.duckdb"
            for p in (db, db.with_suffix(".duckdb.wal")):
                p.unlink(missing_ok=True)
            cmd = [sys.executable, str(HERE / "ingest_one.py"), str(data), str(db), *extra]
            wall, peak = run(cmd, env)
            rows.append(
                {
                    "case": f"ingest {posts:,} X posts (twarc2)",
                    "variant": label,
                    "seconds": round(wall, 1),
                    "posts_per_s": round(posts / wall),
                    "peak_mb": round(peak),
                    "input_mb": round(data.stat().st_size / 1e6),
                }
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--python-path", action="store_true", help="also time the pure-Python reader")
    ap.add_argument(
        "--baseline",
        metavar="SRC",
        help="also time the ingest on another tree's src (e.g. a git worktree of HEAD), alternating",
    )
    ap.add_argument("--rounds", type=int, default=1, help="ingest rounds, variants alternating (default 1)")
    ap.add_argument(
        "--cnt",
        type=int,
        metavar="N",
        help="instead: co-action layers against coordination-network-toolkit on N synthetic tweets",
    )
    ap.add_argument(
        "--likes",
        type=int,
        metavar="N",
        help="instead: co-action on N likes against coordination-network-toolkit (the 10M-action input)",
    )
    ap.add_argument("--analyze", type=float, metavar="S", help="instead: kagami analyze at scale S")
    ap.add_argument("--quality", type=int, nargs="+", metavar="SEED", help="instead: held-out quality")
    a = ap.parse_args()
    if a.analyze:
        cmd = [
            "/usr/bin/time",
            "-v",
            sys.executable,
            str(HERE / "analyze_scale.py"),
            "--scale",
            str(a.analyze),
        ]
        raise SystemExit(subprocess.run(cmd).returncode)
    if a.quality:
        cmd = [
            sys.executable,
            str(HERE / "quality.py"),
            "--config",
            "held-out",
            "--seeds",
            *map(str, a.quality),
        ]
        raise SystemExit(subprocess.run(cmd).returncode)
    if a.cnt:
        cmd = [sys.executable, str(HERE / "peers" / "cnt_compare.py"), "--n", str(a.cnt), "--build"]
        raise SystemExit(subprocess.run(cmd).returncode)
    if a.likes:
        cmd = [sys.executable, str(HERE / "peers" / "likes_compare.py"), "--n", str(a.likes), "--build"]
        raise SystemExit(subprocess.run(cmd).returncode)
    OUT.mkdir(exist_ok=True)
    rows = ingest_case(a.posts, a.python_path, a.baseline, a.rounds)
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}
    (OUT / "results.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    print("| case | variant | seconds | posts/s | peak MB | input MB |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        cells = (r["case"], r["variant"], r["seconds"], f"{r['posts_per_s']:,}", r["peak_mb"], r["input_mb"])
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
