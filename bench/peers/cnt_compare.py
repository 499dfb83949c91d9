"""Kagami against coordination-network-toolkit 1.5.2 on the same data: edge sets and speed, side by side.

    python bench/peers/cnt_compare.py --n 200000            # equality and timings on 200k tweets
    python bench/peers/cnt_compare.py --n 1000000 --build   # the 1M speed case, plus Kagami's own layers

Steps: ``gen_synth.py`` (../shared/peers) writes tweets in the toolkit's CSV order with planted groups;
the toolkit's CLI preprocesses them into SQLite, its '' URL rows are deleted (its issue #46), then it
computes co_retweet, co_link and co_tweet (window 60 s, min weight 2). Kagami ingests the same CSV
(``--format tabular --mapping docs/mappings/coordination_network_toolkit.json``) and runs
:func:`kagami.detect.cnt.cnt_edges` for each network. Every step runs in its own process under
``/usr/bin/time -v`` (wall time, peak RSS). The toolkit's tables hold self-matches; its export drops them,
and so does the comparison. The edge sets (user_1, user_2, weight) must be equal.

Needs the toolkit in its own venv: ``python3 -m venv bench/out/peers-venv &&
bench/out/peers-venv/bin/pip install coordination-network-toolkit``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
PEERS = ROOT.parent / "shared" / "peers"
PEER_BIN = OUT / "peers-venv" / "bin"
KAGAMI_BIN = Path(sys.executable).parent
NETWORKS = ("co_retweet", "co_link", "co_tweet")
EDGES_SQL = "SELECT user_1, user_2, weight FROM {net}_network WHERE user_1 != user_2"
LOOPS_SQL = "SELECT count(*) FROM {net}_network WHERE user_1 = user_2"
MAPPING = ROOT / "docs" / "mappings" / "coordination_network_toolkit.json"


def timed(cmd: list[str], log: Path) -> tuple[float, float, str]:
    """Run under /usr/bin/time -v; return (wall s, peak RSS MB, stdout)."""
    tfile = log.with_suffix(".time")
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", str(tfile), *cmd], capture_output=True, text=True)
    log.write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    t = tfile.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", t)
    assert wall is not None
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    assert rss is not None
    return seconds, int(rss.group(1)) / 1024, proc.stdout


def step_seconds(stdout: str) -> float:
    return float(re.findall(r"^seconds=([\d.]+)$", stdout, re.M)[-1])


def cnt_side(data: Path, work: Path, window: int, min_weight: int) -> dict[str, dict[str, object]]:
    db = work / "cnt.sqlite"
    for p in work.glob("cnt.sqlite*"):
        p.unlink()
    res: dict[str, dict[str, object]] = {}
    cn = str(PEER_BIN / "compute_networks")
    wall, rss, _ = timed(
        [cn, str(db), "preprocess", "--format", "csv", str(data)], work / "cnt_preprocess.log"
    )
    res["preprocess"] = {"seconds": wall, "peak_mb": rss}
    con = sqlite3.connect(db)
    con.execute("DELETE FROM message_url WHERE url = ''")
    con.commit()
    con.close()
    for net in NETWORKS:
        cmd = [
            cn,
            str(db),
            "compute",
            net,
            "--time_window",
            str(window),
            "--min_edge_weight",
            str(min_weight),
        ]
        wall, rss, _ = timed(cmd, work / f"cnt_{net}.log")
        con = sqlite3.connect(db)
        edges = {(str(a), str(b), int(w)) for a, b, w in con.execute(EDGES_SQL.format(net=net))}
        loops = con.execute(LOOPS_SQL.format(net=net)).fetchone()
        con.close()
        res[net] = {"seconds": wall, "peak_mb": rss, "edges": edges, "loops": loops[0] if loops else 0}
    return res


def kagami_side(data: Path, work: Path, window: int, min_weight: int) -> dict[str, dict[str, object]]:
    db = work / "kagami.duckdb"
    for p in work.glob("kagami.duckdb*"):
        p.unlink()
    res: dict[str, dict[str, object]] = {}
    cmd = [str(KAGAMI_BIN / "kagami"), "ingest", "--format", "tabular", "--mapping", str(MAPPING), "-q"]
    wall, rss, _ = timed([*cmd, "--db", str(db), str(data)], work / "kagami_ingest.log")
    res["ingest"] = {"seconds": wall, "peak_mb": rss}
    runner = str(Path(__file__).with_name("kagami_layer.py"))
    for net in NETWORKS:
        out = work / f"kagami_{net}.parquet"
        cmd = [sys.executable, runner, str(db), "cnt", net, str(window), str(min_weight), str(out)]
        wall, rss, stdout = timed(cmd, work / f"kagami_{net}.log")
        rows = duckdb.sql(f"SELECT user_1, user_2, weight FROM '{out}'").fetchall()  # noqa: S608
        edges = {(a.removeprefix("x:"), b.removeprefix("x:"), int(w)) for a, b, w in rows}
        res[net] = {"seconds": step_seconds(stdout), "process_s": wall, "peak_mb": rss, "edges": edges}
    return res


def build_side(work: Path) -> tuple[float, float, str]:
    runner = str(Path(__file__).with_name("kagami_layer.py"))
    cmd = [sys.executable, runner, str(work / "kagami.duckdb"), "build", "repost,link,hashtag,text"]
    return timed(cmd, work / "kagami_build.log")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=int, default=2)
    ap.add_argument("--build", action="store_true", help="also time Kagami's own layers (build_edges)")
    a = ap.parse_args()
    work = OUT / f"cnt_{a.n}"
    data = work / "tweets.csv"
    if not data.exists():
        subprocess.run(
            [sys.executable, str(PEERS / "gen_synth.py"), "--n", str(a.n), "--out", str(work)], check=True
        )
    kag = kagami_side(data, work, a.window, a.min_weight)
    cnt = cnt_side(data, work, a.window, a.min_weight)
    print(f"\n{a.n:,} tweets, window {a.window} s, min weight {a.min_weight}, {os.cpu_count()} CPUs\n")
    print(
        "| step | toolkit s | toolkit peak MB | Kagami s | Kagami peak MB | speed-up | edges equal | "
        "only Kagami | only toolkit | toolkit self-loops |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    pre, ing = cnt["preprocess"], kag["ingest"]
    print(
        f"| load CSV | {pre['seconds']:.1f} | {pre['peak_mb']:.0f} | {ing['seconds']:.1f} | "
        f"{ing['peak_mb']:.0f} | {float(pre['seconds']) / float(ing['seconds']):.1f}× | | | | |"
    )
    summary = {}
    for net in NETWORKS:
        c, k = cnt[net], kag[net]
        ce, ke = c["edges"], k["edges"]
        assert isinstance(ce, set) and isinstance(ke, set)
        cs, ks = float(c["seconds"]), float(k["seconds"])
        print(
            f"| {net} | {cs:.2f} | {c['peak_mb']:.0f} | {ks:.2f} (process {float(k['process_s']):.1f}) | "
            f"{k['peak_mb']:.0f} | {cs / ks:.0f}× | {len(ce & ke):,} | {len(ke - ce)} | {len(ce - ke)} | "
            f"{c['loops']:,} |"
        )
        summary[net] = {
            "cnt_s": cs,
            "kagami_s": ks,
            "equal": len(ce & ke),
            "only_kagami": len(ke - ce),
            "only_cnt": len(ce - ke),
            "identical": ce == ke,
        }
    if a.build:
        wall, rss, stdout = build_side(work)
        print(
            f"\nKagami build_edges (repost, link, hashtag, text with significance): {wall:.1f} s, "
            f"peak {rss:.0f} MB\n{stdout}"
        )
    (work / "compare.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
