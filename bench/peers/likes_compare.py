"""Kagami against coordination-network-toolkit 1.5.2 on the 10M-action input: edges and speed, side by side.

    python bench/peers/likes_compare.py --n 10000000           # the issue's 10M-action case
    python bench/peers/likes_compare.py --n 1000000 --build    # smaller, plus Kagami's own like layer
    python bench/peers/likes_compare.py --rounds 3             # three alternating timed rounds

The input is :func:`likes_gen.generate_likes` (``bench/likes_gen.py``) with times on whole seconds: N
likes by 200k accounts on 1M posts of skewed popularity, 12,000 planted account pairs. The toolkit has no
like network; a like goes to it as what its CSV can say, a repost of the liked post (``repost_id``), and
its ``co_retweet`` is computed (window 60 s, min weight 2, as in ``cnt_compare.py``). Kagami computes the
same definition over its ``actions`` (``cnt_edges(..., "co_like")``). The edge sets (user_1, user_2,
weight) must be equal. Every timed step runs in its own process under ``/usr/bin/time -v``; the toolkit's
step is its whole ``compute`` command, Kagami's the computation alone on the open store (the process too,
in brackets), as in ``cnt_compare.py``.

With ``--build`` Kagami's own like layer (``build_edges``: per-pair significance, the layer ``kagami
analyze`` uses) is timed too, with its planted-pair scores; it is a different definition, so its edges are
not compared with the toolkit's.

Writes ``bench/out/likes_N/`` (the store, the CSV, the toolkit's SQLite, logs and ``compare.json``).
Needs the toolkit in ``bench/out/peers-venv`` (``make bench`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from cnt_compare import (
    OUT,
    RUNNER,
    Step,
    cnt_preprocess,
    compute_cmd,
    fmt,
    kagami_network,
    pairs,
    timed,
    toolkit_edges,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kagami.store import Store
from likes_gen import GROUPS, MEMBERS, generate_likes

#: The toolkit's CSV columns, in its order, from Kagami's likes (names without the ``x:`` prefix).
CSV_SQL = """
COPY (
    SELECT substr(uid, 3) AS message_id, substr(actor_uid, 3) AS user_id, substr(actor_uid, 3) AS username,
           substr(target_uid, 3) AS repost_id, '' AS reply_id, '' AS message,
           CAST(epoch(created_at) AS BIGINT) AS timestamp, '' AS urls
    FROM actions WHERE kind = 'like' ORDER BY created_at, uid
) TO '{path}' (HEADER, DELIMITER ',')
"""


def prepare(work: Path, n: int) -> tuple[Path, Path]:
    """The store with ``n`` likes and the same likes as the toolkit's CSV (made once, then reused)."""
    db, csv = work / "kagami.duckdb", work / "likes.csv"
    if not (db.exists() and csv.exists()):
        work.mkdir(parents=True, exist_ok=True)
        for p in (*work.glob("kagami.duckdb*"), csv):
            p.unlink(missing_ok=True)
        store = Store(str(db), memory_limit="8GB")
        try:
            generate_likes(store, n, whole_seconds=True)
            store.con.execute(CSV_SQL.format(path=csv))
        finally:
            store.close()
    return db, csv


def planted_pairs() -> set[tuple[str, str]]:
    """The generator's planted undirected pairs, as the CSV names accounts."""
    return {
        (f"g{g}m{a}", f"g{g}m{b}") if f"g{g}m{a}" < f"g{g}m{b}" else (f"g{g}m{b}", f"g{g}m{a}")
        for g in range(GROUPS)
        for a in range(MEMBERS)
        for b in range(a + 1, MEMBERS)
    }


def toolkit_step(sqlite_db: Path, work: Path, window: int, min_weight: int) -> Step:
    """The toolkit's ``compute co_retweet`` command, as on its first run: the indexes its compute step
    builds are dropped first, so every round builds them again."""
    con = sqlite3.connect(sqlite_db)
    con.executescript("DROP INDEX IF EXISTS repost_user_time; DROP INDEX IF EXISTS repost_time;")
    con.close()
    wall, rss, _ = timed(
        compute_cmd(sqlite_db, "co_retweet", window, min_weight), work / "cnt_co_retweet.log"
    )
    edges, loops = toolkit_edges(sqlite_db, "co_retweet")
    return Step(wall, rss, wall, edges, loops)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=int, default=2)
    ap.add_argument("--build", action="store_true", help="also time Kagami's own like layer (build_edges)")
    ap.add_argument("--rounds", type=int, default=1, help="timed rounds, Kagami and the toolkit alternating")
    a = ap.parse_args()
    work = OUT / f"likes_{a.n}"
    db, csv = prepare(work, a.n)

    pre = cnt_preprocess(csv, work)
    assert pre.seconds is not None
    sqlite_db = work / "cnt.sqlite"

    rounds: list[tuple[Step, Step]] = []
    for _ in range(a.rounds):
        kag = kagami_network(work, "co_like", a.window, a.min_weight)  # the store at work/kagami.duckdb
        cnt = toolkit_step(sqlite_db, work, a.window, a.min_weight)
        rounds.append((kag, cnt))

    truth = planted_pairs()
    print(f"\n{a.n:,} likes, window {a.window} s, min weight {a.min_weight}, {os.cpu_count()} CPUs\n")
    print(
        "| step | toolkit s | toolkit peak MB | Kagami s | Kagami peak MB | speed-up | edges equal | "
        "only Kagami | only toolkit | toolkit self-loops | planted pairs (toolkit / Kagami) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| toolkit preprocess (CSV into SQLite) | {pre.seconds:.1f} | {fmt(pre.peak_mb, 0)} | | | | | | | | |"
    )
    summary: dict[str, object] = {"n": a.n, "preprocess_s": pre.seconds, "rounds": []}
    for r, (kag, cnt) in enumerate(rounds, 1):
        assert kag.seconds is not None and cnt.seconds is not None
        ce, ke = cnt.edges, kag.edges
        print(
            f"| co_retweet of likes / co_like, round {r} | {cnt.seconds:.1f} | {fmt(cnt.peak_mb, 0)} | "
            f"{kag.seconds:.2f} (process {fmt(kag.process_s, 1)}) | {fmt(kag.peak_mb, 0)} | "
            f"{cnt.seconds / kag.seconds:.1f}× | {len(ce & ke):,} | {len(ke - ce)} | {len(ce - ke)} | "
            f"{cnt.loops:,} | {len(pairs(ce) & truth):,} / {len(pairs(ke) & truth):,} of {len(truth):,} |"
        )
        summary["rounds"].append(  # type: ignore[attr-defined]
            {
                "cnt_s": cnt.seconds,
                "cnt_peak_mb": cnt.peak_mb,
                "kagami_s": kag.seconds,
                "kagami_process_s": kag.process_s,
                "kagami_peak_mb": kag.peak_mb,
                "edges": len(ke),
                "identical": ce == ke,
                "only_kagami": len(ke - ce),
                "only_cnt": len(ce - ke),
            }
        )
    if a.build:
        b_wall, b_rss, b_out = timed(
            [sys.executable, RUNNER, str(db), "build", "like"], work / "kagami_build.log"
        )
        print(
            f"\nKagami's own like layer (build_edges, significance): {b_wall:.1f} s process, "
            f"peak {b_rss:.0f} MB\n{b_out}"
        )
        summary["build"] = {"process_s": b_wall, "peak_mb": b_rss, "log": b_out}
    (work / "compare.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
