"""Jetstream ingest, SQL path against the Python reader: each in its own process, into a fresh DuckDB file.

    .venv/bin/python bench/ingest_jetstream.py FILE.jsonl [--only bulk|python] [--rounds N]

Runs ``bench/ingest_one.py`` under ``/usr/bin/time -v`` and prints, per run, the wall seconds, the events
(lines) per second and the peak resident memory. Rounds alternate the two paths so that load from other work
on the machine falls on both alike.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_once(data: Path, bulk: bool) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one ingest of ``data`` into a fresh store."""
    with tempfile.TemporaryDirectory(prefix="kagami-bench-") as tmp:
        cmd = [
            "/usr/bin/time",
            "-v",
            sys.executable,
            str(HERE / "ingest_one.py"),
            str(data),
            f"{tmp}/s.duckdb",
        ]
        if not bulk:
            cmd.append("--python-only")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", out.stderr
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    if wall is None or rss is None:
        raise RuntimeError(out.stderr[-2000:])
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return seconds, int(rss.group(1)) // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--only", choices=("bulk", "python"))
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    with args.data.open("rb") as f:
        events = sum(1 for line in f if line.strip())
    size_mb = args.data.stat().st_size / 2**20
    paths = [args.only == "bulk"] if args.only else [True, False]
    print(f"{args.data}: {events} events, {size_mb:.0f} MB")
    print("| path | round | wall s | events/s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in range(1, args.rounds + 1):
        for bulk in paths if r % 2 else paths[::-1]:
            wall, rss = run_once(args.data, bulk)
            name = "SQL (bulk)" if bulk else "Python"
            print(f"| {name} | {r} | {wall:.1f} | {events / wall:,.0f} | {rss} |", flush=True)


if __name__ == "__main__":
    main()
