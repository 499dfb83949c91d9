"""Copy-paste clusters: Kagami against d3lta (VIGINUM) on the same texts, and Kagami alone on 1M posts.

    python bench/text_dupes.py synth bench/out/cnt_1000000/originals.tsv 50000   # gen_synth planted groups
    python bench/text_dupes.py sim 1 0.25                                        # the simulator, Japanese
    python bench/text_dupes.py million 1000000                                   # Kagami alone, timed

Prints a Markdown table: set, texts, tool, seconds, peak MB, recall of planted, precision. Recall: planted
texts that share a cluster with another planted text of their group. Precision: of all texts in clusters
that hold a planted text, the share that are planted (or, in the simulator, posted by any campaign).
Each tool runs in its own process; "seconds" is the clustering alone, "peak MB" the whole process. For
Kagami that is ``build_text_clusters`` on posts already in the store: normalisation, n-gram hashing,
MinHash/LSH, verification and the cluster tables. For d3lta it is ``prepare_dataset`` and
``semantic_faiss`` on a DataFrame already read, with the stand-in embedding computed beforehand and not
timed: Kagami's own text-to-vector step (normalisation, hashing) is timed, d3lta's is not, so the
comparison leans towards d3lta. d3lta runs from $PEERS_VENV (bench/out/peers-venv).
"""

from __future__ import annotations

import csv
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from kagami.detect.dupes import build_text_clusters
from kagami.detect.textnorm import ngrams, normalize
from kagami.store import Store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "text_dupes"
PEERS = ROOT / "bench" / "out" / "peers-venv" / "bin" / "python"
T0 = datetime(2025, 7, 3, tzinfo=UTC)


def write_tsv(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """(mid, uid, text, label) rows: texts.tsv for the tools, truth.tsv beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = [(m, u, t.replace("\t", " ").replace("\n", " ").replace("\r", " ")) for m, u, t, _ in rows]
    path.write_text("".join(f"{m}\t{u}\t{t}\n" for m, u, t in clean), encoding="utf-8")
    (path.parent / "truth.tsv").write_text(
        "".join(f"{m}\t{lab}\n" for m, _, _, lab in rows), encoding="utf-8"
    )


def load_posts(store: Store, mids: list[str], uids: list[str], texts: list[str]) -> None:
    """Texts as X posts, one second apart, straight into ``posts``."""
    times = [T0 + timedelta(seconds=i) for i in range(len(mids))]
    t = pa.table({"uid": [f"x:{m}" for m in mids], "author_uid": [f"x:{u}" for u in uids], "text": texts,
                  "created_at": pa.array(times, pa.timestamp("us", "UTC"))})  # fmt: skip
    store.con.register("_bench_in", t)
    store.con.execute(
        "INSERT INTO posts (uid, platform, id, author_uid, created_at, text, kind, is_primary) "
        "SELECT uid, 'x', uid, author_uid, created_at, text, 'post', true FROM _bench_in"
    )
    store.con.unregister("_bench_in")


def kagami(tsv: Path, outdir: Path) -> dict[str, float]:
    """Kagami on a TSV, in this process: clusters.csv and {seconds, peak_mb}."""
    outdir.mkdir(parents=True, exist_ok=True)
    rows = list(csv.reader(tsv.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    store = Store(":memory:", memory_limit="6GB")
    load_posts(store, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    started = time.perf_counter()
    build_text_clusters(store)
    seconds = time.perf_counter() - started
    store.con.execute(
        "COPY (SELECT substr(post_uid, 3) AS mid, cluster_id AS cluster FROM text_cluster_members) TO ? "
        "(HEADER, DELIMITER ',')",
        [str(outdir / "clusters.csv")],
    )
    return {"texts": len(rows), "seconds": round(seconds, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}  # fmt: skip


def score(outdir: Path, truth: dict[str, str]) -> tuple[float, float]:
    """(recall of planted, precision) of clusters.csv against truth labels."""
    members: dict[str, list[str]] = defaultdict(list)
    with (outdir / "clusters.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            members[row["cluster"]].append(row["mid"])
    planted = {m for m, lab in truth.items() if lab.startswith("g")}
    found, correct, total = set(), 0, 0
    for mids in members.values():
        groups = [truth.get(m, "") for m in mids]
        if not any(g.startswith("g") for g in groups):
            continue
        total += len(mids)
        correct += sum(1 for g in groups if g)
        found |= {m for m, g in zip(mids, groups, strict=True) if g.startswith("g") and groups.count(g) >= 2}
    return len(found) / max(1, len(planted)), correct / max(1, total)


def compare(name: str, tsv: Path, analyzer: str = "char") -> None:
    lines = (tsv.parent / "truth.tsv").read_text(encoding="utf-8").splitlines()
    truth = dict(line.split("\t") for line in lines)
    print("| set | texts | tool | seconds | peak MB | recall of planted | precision |")
    print("|---|---|---|---|---|---|---|")
    runner = str(ROOT / "bench" / "text_dupes_d3lta.py")
    tools = (("Kagami", [sys.executable, __file__, "kagami"]), ("d3lta 1.0.2", [str(PEERS), runner]))
    extra = {"Kagami": [], "d3lta 1.0.2": [analyzer]}
    for tool, cmd in tools:
        outdir = tsv.parent / tool.split()[0].lower()
        done = subprocess.run(
            [*cmd, str(tsv), str(outdir), *extra[tool]], check=True, capture_output=True, text=True
        )
        res = json.loads(done.stdout.strip().splitlines()[-1])
        rec, prec = score(outdir, truth)
        cells = f"{res['texts']:,} | {tool} | {res['seconds']} | {res['peak_mb']} | {rec:.3f} | {prec:.3f}"
        print(f"| {name} | {cells} |")


def synth(originals: Path, n: int) -> Path:
    """gen_synth's planted texts plus a fixed sample of its organic ones; groups from '#camp<g>'."""
    rows = [line.split("\t") for line in originals.read_text(encoding="utf-8").splitlines()]
    plant = [r for r in rows if r[0].startswith("p")]
    organic = random.Random(0).sample([r for r in rows if not r[0].startswith("p")], max(0, n - len(plant)))
    out = []
    for m, u, t in plant + organic:
        g = re.search(r"#camp(\d+)", t.lower())
        out.append((m, u, t, f"g{g.group(1)}" if g and m.startswith("p") else ""))
    path = OUT / f"synth_{n}" / "texts.tsv"
    write_tsv(path, out)
    return path


def sim(seed: int, scale: float) -> Path:
    """The simulator's non-repost posts; planted = copypasta-1's claim posts, labelled ``g``."""
    from kagami.ingest import ingest
    from kagami.sim import named, simulate
    from kagami.sim.lexicon.claims import CLAIMS

    d = OUT / f"sim_{seed}_{scale}"
    simulate(named("dev", seed, scale), d)
    store = Store(":memory:")
    ingest(store, [d / "x.jsonl", d / "bsky.jsonl"])
    store.con.execute("CREATE TEMP TABLE truth AS SELECT platform || ':' || account_id AS uid, campaign "
                      "FROM read_csv(?, all_varchar = true)", [str(d / "truth.csv")])  # fmt: skip
    bases = [ngrams(normalize(p)) for c in CLAIMS if c.key == "ballots" for p in c.phrasings]
    rows = []
    for uid, author, text, campaign in store.con.execute(
        "SELECT p.uid, p.author_uid, p.text, t.campaign "
        "FROM posts p LEFT JOIN truth t ON t.uid = p.author_uid WHERE p.kind <> 'repost' "
        "AND p.text IS NOT NULL AND p.author_uid IS NOT NULL ORDER BY p.uid"
    ).fetchall():
        grams = ngrams(normalize(text))
        claim = campaign == "copypasta-1" and max(len(b & grams) / len(b) for b in bases) >= 0.5
        rows.append((uid.replace(":", "_"), author, text, "g" if claim else ("campaign" if campaign else "")))
    path = d / "texts.tsv"
    write_tsv(path, rows)
    return path


def million(n: int) -> None:
    """Kagami alone on n Japanese posts from the simulator's grammar, 0.2% planted paraphrases."""
    from kagami.sim.lexicon.claims import CALLS, CLAIMS
    from kagami.sim.paraphrase import paraphrase
    from kagami.sim.text import TOPIC_NAMES, TextGen

    rnd = random.Random(7)
    gen = TextGen(rnd)
    texts, labels = [], []
    base = [c.phrasings[0] + "。" + CALLS[i] for i, c in enumerate(CLAIMS)]
    for i in range(n):
        if i % 500 == 0:
            g = (i // 500) % len(base)
            texts.append(paraphrase(base[g], rnd, 0.5))
            labels.append(f"g{g}")
        else:
            texts.append(gen.post(TOPIC_NAMES[i % len(TOPIC_NAMES)], 1_751_500_000_000_000 + i * 1_000_000))
            labels.append("")
    mids = [f"m{i}" for i in range(n)]
    store = Store(":memory:", memory_limit="8GB")
    load_posts(store, mids, [f"u{i % (n // 20)}" for i in range(n)], texts)
    started = time.perf_counter()
    counts = build_text_clusters(store)
    seconds = time.perf_counter() - started
    d = OUT / f"million_{n}"
    d.mkdir(parents=True, exist_ok=True)
    store.con.execute(
        "COPY (SELECT substr(post_uid, 3) AS mid, cluster_id AS cluster FROM text_cluster_members) "
        "TO ? (HEADER, DELIMITER ',')",
        [str(d / "clusters.csv")],
    )
    rec, prec = score(d, dict(zip(mids, labels, strict=True)))
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"| simulator grammar | {n:,} | Kagami | {seconds:.1f} | {peak} | {rec:.3f} | {prec:.3f} |")
    print(counts)


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "kagami":
        print(json.dumps(kagami(Path(args[0]), Path(args[1]))))
    elif cmd == "synth":
        compare(f"gen_synth {args[1]}", synth(Path(args[0]), int(args[1])), "word")
    elif cmd == "sim":
        compare(f"simulator dev seed {args[0]} scale {args[1]}", sim(int(args[0]), float(args[1])))
    elif cmd == "million":
        million(int(args[0]))
