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

Similar text (unless ``--skip-similar``): the toolkit's ``co_similar_tweet`` (Jaccard of word-token sets
>= ``--similarity-threshold``, default 0.8 as its CLI, within the same window, min weight as above),
stopped after ``--similar-timeout`` seconds. Kagami computes the same network
(``cnt_edges(..., "co_similar_tweet")``: prefix filtering in SQL, then the exact similarity), a row of the
same table whose edge sets must be equal. It is also set against Kagami's own way of linking accounts
that post similar text: copy-paste clusters (MinHash LSH near duplicates, Jaccard >= 0.5 of word 2-grams
for Latin text, character 3-grams otherwise) and the co-action ``text`` layer over them (window 1 day,
two shared clusters, Poisson significance), both at their defaults. Those definitions differ, so those edge sets are not expected to be equal: the second
table gives the time ratio, the overlap of the undirected account pairs, and each side's precision and
recall against the planted groups (``truth.json``; the definition of ``eval_cnt.py``: a pair is planted
when both accounts are in one planted group).

Needs the toolkit in its own venv: ``python3 -m venv bench/out/peers-venv &&
bench/out/peers-venv/bin/pip install coordination-network-toolkit``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
PEERS = ROOT.parent / "shared" / "peers"
PEER_BIN = OUT / "peers-venv" / "bin"
KAGAMI_BIN = Path(sys.executable).parent
RUNNER = str(Path(__file__).with_name("kagami_layer.py"))
NETWORKS = ("co_retweet", "co_link", "co_tweet")
SIMILAR = "co_similar_tweet"
EDGES_SQL = "SELECT user_1, user_2, weight FROM {net}_network WHERE user_1 != user_2"
LOOPS_SQL = "SELECT count(*) FROM {net}_network WHERE user_1 = user_2"
MAPPING = ROOT / "docs" / "mappings" / "coordination_network_toolkit.json"

#: Directed edges (user_1, user_2, weight), account names without Kagami's platform prefix.
Edges = set[tuple[str, str, int]]


@dataclass(slots=True)
class Step:
    """One timed step: ``seconds`` the step alone (Kagami, the store already open) or the whole command
    (toolkit), None when it was stopped; ``process_s`` the whole process; peak RSS; what it found."""

    seconds: float | None
    peak_mb: float | None
    process_s: float | None = None
    edges: Edges = field(default_factory=set)
    loops: int = 0


@dataclass(slots=True)
class TextStep(Step):
    """Kagami's similar-text step: copy-paste clusters, then the text layer; ``significant``: q <= 0.05."""

    cluster_s: float = 0.0
    layer_s: float = 0.0
    significant: Edges = field(default_factory=set)


class TimedOut(Exception):
    """A timed step ran past its limit and was stopped."""


def timed(cmd: list[str], log: Path, timeout: float | None = None) -> tuple[float, float, str]:
    """Run under /usr/bin/time -v; return (wall s, peak RSS MB, stdout). Past ``timeout`` seconds the step's
    whole process group is stopped and :class:`TimedOut` raised."""
    tfile = log.with_suffix(".time")
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", "-o", str(tfile), *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TimedOut(f"{' '.join(cmd)} stopped after {timeout} s") from None
    log.write_text(stdout + stderr)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    t = tfile.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", t)
    assert wall is not None
    h, m, sec = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(sec)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    assert rss is not None
    return seconds, int(rss.group(1)) / 1024, stdout


def step_seconds(stdout: str, name: str = "seconds") -> float:
    """The last ``name=`` figure that ``kagami_layer.py`` printed."""
    return float(re.findall(rf"^{name}=([\d.]+)$", stdout, re.M)[-1])


def parquet_edges(path: Path, sql: str) -> list[tuple[str, str, float]]:
    """Rows (a, b, value) of a parquet file written by ``kagami_layer.py``, names without ``x:``."""
    with duckdb.connect() as con:
        rows = con.execute(sql.format(path=path)).fetchall()
    return [(str(a).removeprefix("x:"), str(b).removeprefix("x:"), float(v)) for a, b, v in rows]


def pairs(edges: Edges) -> set[tuple[str, str]]:
    """Undirected account pairs of a directed edge set."""
    return {(a, b) if a < b else (b, a) for a, b, _ in edges}


def planted(found: set[tuple[str, str]], groups: list[list[str]]) -> dict[str, float | int | None]:
    """``eval_cnt.py``'s scores of undirected pairs: planted pairs found, recall, precision."""
    group = {u: g for g, members in enumerate(groups) for u in members}
    total = sum(len(m) * (len(m) - 1) // 2 for m in groups)
    hits = sum(1 for a, b in found if a in group and group.get(b) == group[a])
    return {
        "pairs": len(found),
        "planted_found": hits,
        "recall": round(hits / total, 4) if total else None,
        "precision": round(hits / len(found), 4) if found else None,
    }


def toolkit_edges(db: Path, net: str) -> tuple[Edges, int]:
    """The toolkit's network without self-loops, and how many self-loops it stored."""
    con = sqlite3.connect(db)
    edges = {(str(a), str(b), int(w)) for a, b, w in con.execute(EDGES_SQL.format(net=net))}
    loops = con.execute(LOOPS_SQL.format(net=net)).fetchone()
    con.close()
    return edges, int(loops[0]) if loops else 0


def compute_cmd(db: Path, net: str, window: int, min_weight: int) -> list[str]:
    cn = str(PEER_BIN / "compute_networks")
    return [cn, str(db), "compute", net, "--time_window", str(window), "--min_edge_weight", str(min_weight)]


def cnt_preprocess(data: Path, work: Path) -> Step:
    """The toolkit's ``preprocess`` of a CSV into a fresh ``work/cnt.sqlite``, timed, then the '' URL rows
    its CSV reader makes of an empty field deleted (its issue #46)."""
    db = work / "cnt.sqlite"
    for p in work.glob("cnt.sqlite*"):
        p.unlink()
    cn = str(PEER_BIN / "compute_networks")
    wall, rss, _ = timed(
        [cn, str(db), "preprocess", "--format", "csv", str(data)], work / "cnt_preprocess.log"
    )
    con = sqlite3.connect(db)
    con.execute("DELETE FROM message_url WHERE url = ''")
    con.commit()
    con.close()
    return Step(wall, rss)


def cnt_side(data: Path, work: Path, window: int, min_weight: int) -> dict[str, Step]:
    db = work / "cnt.sqlite"
    res = {"preprocess": cnt_preprocess(data, work)}
    for net in NETWORKS:
        wall, rss, _ = timed(compute_cmd(db, net, window, min_weight), work / f"cnt_{net}.log")
        edges, loops = toolkit_edges(db, net)
        res[net] = Step(wall, rss, wall, edges, loops)
    return res


def cnt_similar(work: Path, window: int, min_weight: int, threshold: float, timeout: float) -> Step:
    """The toolkit's co_similar_tweet on the preprocessed database; ``seconds`` None when stopped."""
    db = work / "cnt.sqlite"
    cmd = [*compute_cmd(db, SIMILAR, window, min_weight), "--similarity_threshold", str(threshold)]
    try:
        wall, rss, _ = timed(cmd, work / f"cnt_{SIMILAR}.log", timeout)
    except TimedOut:
        return Step(None, None)
    edges, loops = toolkit_edges(db, SIMILAR)
    return Step(wall, rss, wall, edges, loops)


def kagami_network(work: Path, net: str, window: int, min_weight: int, *extra: str) -> Step:
    """One toolkit network computed by Kagami (``kagami_layer.py cnt``), in its own process."""
    out = work / f"kagami_{net}.parquet"
    cmd = [sys.executable, RUNNER, str(work / "kagami.duckdb"), "cnt", net, str(window), str(min_weight)]
    wall, rss, stdout = timed([*cmd, str(out), *extra], work / f"kagami_{net}.log")
    rows = parquet_edges(out, "SELECT user_1, user_2, weight FROM '{path}'")
    return Step(step_seconds(stdout), rss, wall, {(a, b, int(w)) for a, b, w in rows})


def kagami_side(data: Path, work: Path, window: int, min_weight: int) -> dict[str, Step]:
    db = work / "kagami.duckdb"
    for p in work.glob("kagami.duckdb*"):
        p.unlink()
    cmd = [str(KAGAMI_BIN / "kagami"), "ingest", "--format", "tabular", "--mapping", str(MAPPING), "-q"]
    wall, rss, _ = timed([*cmd, "--db", str(db), str(data)], work / "kagami_ingest.log")
    res = {"ingest": Step(wall, rss, wall)}
    for net in NETWORKS:
        res[net] = kagami_network(work, net, window, min_weight)
    return res


def kagami_text(work: Path) -> TextStep:
    """Kagami's copy-paste clusters plus its text layer (``kagami_layer.py text``), in its own process."""
    out = work / "kagami_text.parquet"
    cmd = [sys.executable, RUNNER, str(work / "kagami.duckdb"), "text", str(out)]
    wall, rss, stdout = timed(cmd, work / "kagami_text.log")
    rows = parquet_edges(out, "SELECT a, b, qvalue FROM '{path}'")
    return TextStep(
        seconds=step_seconds(stdout),
        peak_mb=rss,
        process_s=wall,
        edges={(a, b, 1) for a, b, _ in rows},
        cluster_s=step_seconds(stdout, "cluster_seconds"),
        layer_s=step_seconds(stdout, "layer_seconds"),
        significant={(a, b, 1) for a, b, q in rows if q <= 0.05},
    )


def build_side(work: Path) -> tuple[float, float, str]:
    cmd = [sys.executable, RUNNER, str(work / "kagami.duckdb"), "build", "repost,link,hashtag,text"]
    return timed(cmd, work / "kagami_build.log")


def fmt(x: float | None, digits: int) -> str:
    return "stopped" if x is None else f"{x:.{digits}f}"


def network_table(cnt: dict[str, Step], kag: dict[str, Step]) -> dict[str, object]:
    """Print the toolkit-definition table (load, then each network); return its figures."""
    print(
        "| step | toolkit s | toolkit peak MB | Kagami s | Kagami peak MB | speed-up | edges equal | "
        "only Kagami | only toolkit | toolkit self-loops |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    pre, ing = cnt["preprocess"], kag["ingest"]
    assert pre.seconds is not None and ing.seconds is not None
    print(
        f"| load CSV | {pre.seconds:.1f} | {fmt(pre.peak_mb, 0)} | {ing.seconds:.1f} | "
        f"{fmt(ing.peak_mb, 0)} | {pre.seconds / ing.seconds:.1f}× | | | | |"
    )
    summary: dict[str, object] = {}
    for net in (n for n in (*NETWORKS, SIMILAR) if n in kag):
        c, k = cnt[net], kag[net]
        assert k.seconds is not None
        ce, ke = c.edges, k.edges
        if c.seconds is None:
            print(
                f"| {net} | stopped | | {k.seconds:.2f} ({len(ke):,} edges) | {fmt(k.peak_mb, 0)} | | | | | |"
            )
            summary[net] = {"cnt_s": None, "kagami_s": k.seconds, "kagami_peak_mb": k.peak_mb}
            continue
        print(
            f"| {net} | {c.seconds:.2f} | {fmt(c.peak_mb, 0)} | {k.seconds:.2f} (process "
            f"{fmt(k.process_s, 1)}) | {fmt(k.peak_mb, 0)} | {c.seconds / k.seconds:.1f}× | {len(ce & ke):,} | "
            f"{len(ke - ce)} | {len(ce - ke)} | {c.loops:,} |"
        )
        summary[net] = {
            "cnt_s": c.seconds,
            "kagami_s": k.seconds,
            "cnt_peak_mb": c.peak_mb,
            "kagami_peak_mb": k.peak_mb,
            "equal": len(ce & ke),
            "only_kagami": len(ke - ce),
            "only_cnt": len(ce - ke),
            "identical": ce == ke,
        }
    return summary


def similar_table(cnt: Step, kag: TextStep, groups: list[list[str]]) -> dict[str, object]:
    """Print the similar-text comparison (time, overlap, planted scores); return its figures."""
    assert kag.seconds is not None
    cp, kp, sp = pairs(cnt.edges), pairs(kag.edges), pairs(kag.significant)
    toolkit = "stopped" if cnt.seconds is None else f"{cnt.seconds:.1f} s, peak {fmt(cnt.peak_mb, 0)} MB"
    ratio = "n/a" if cnt.seconds is None else f"{cnt.seconds / kag.seconds:.1f}×"
    print(
        f"\nSimilar text. toolkit {SIMILAR}: {toolkit} ({cnt.loops:,} self-loops left out); Kagami clusters "
        f"+ text layer: {kag.seconds:.1f} s (clusters {kag.cluster_s:.1f} s, layer {kag.layer_s:.1f} s; "
        f"process {fmt(kag.process_s, 1)} s), peak {fmt(kag.peak_mb, 0)} MB; speed-up {ratio}\n"
    )
    print("| edges | undirected pairs | also in the other | planted pairs found | recall | precision |")
    print("|---|---|---|---|---|---|")
    scores: dict[str, object] = {}
    for name, found, other in (
        (f"toolkit {SIMILAR}", cp, kp),
        ("Kagami text layer, all edges", kp, cp),
        ("Kagami text layer, q <= 0.05", sp, cp),
    ):
        sc = planted(found, groups)
        scores[name] = {**sc, "shared_with_other": len(found & other)}
        print(
            f"| {name} | {len(found):,} | {len(found & other):,} | {sc['planted_found']:,} | "
            f"{sc['recall']} | {sc['precision']} |"
        )
    return {"cnt_s": cnt.seconds, "kagami_s": kag.seconds, "scores": scores}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=int, default=2)
    ap.add_argument("--build", action="store_true", help="also time Kagami's own layers (build_edges)")
    ap.add_argument("--skip-similar", action="store_true", help="leave out the similar-text comparison")
    ap.add_argument("--similarity-threshold", type=float, default=0.8)
    ap.add_argument("--similar-timeout", type=float, default=900.0, help="seconds the toolkit's step may run")
    a = ap.parse_args()
    work = OUT / f"cnt_{a.n}"
    data = work / "tweets.csv"
    if not data.exists():
        subprocess.run(
            [sys.executable, str(PEERS / "gen_synth.py"), "--n", str(a.n), "--out", str(work)], check=True
        )
    kag = kagami_side(data, work, a.window, a.min_weight)
    cnt = cnt_side(data, work, a.window, a.min_weight)
    if not a.skip_similar:
        threshold = str(a.similarity_threshold)
        kag[SIMILAR] = kagami_network(work, SIMILAR, a.window, a.min_weight, threshold)
        kag_text = kagami_text(work)
        cnt[SIMILAR] = cnt_similar(work, a.window, a.min_weight, a.similarity_threshold, a.similar_timeout)
    print(f"\n{a.n:,} tweets, window {a.window} s, min weight {a.min_weight}, {os.cpu_count()} CPUs\n")
    summary = network_table(cnt, kag)
    if not a.skip_similar:
        groups = json.loads((work / "truth.json").read_text())["groups"]
        summary["similar"] = similar_table(cnt[SIMILAR], kag_text, groups)
    if a.build:
        wall, rss, stdout = build_side(work)
        print(
            f"\nKagami build_edges (repost, link, hashtag, text with significance): {wall:.1f} s, "
            f"peak {rss:.0f} MB\n{stdout}"
        )
    (work / "compare.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
