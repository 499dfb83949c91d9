"""Time one Kagami co-action step in its own process (so its peak memory is its own).

    python bench/peers/kagami_layer.py DB cnt co_retweet 60 2 OUT.parquet   # toolkit definitions
    python bench/peers/kagami_layer.py DB cnt co_similar_tweet 60 2 OUT.parquet 0.8   # with its threshold
    python bench/peers/kagami_layer.py DB build repost,link,text              # Kagami's own layers
    python bench/peers/kagami_layer.py DB text OUT.parquet                    # near-duplicate text layer

``text`` is Kagami's way of linking accounts that post similar text: copy-paste clusters
(:func:`kagami.detect.dupes.build_text_clusters`, MinHash near duplicates) and then the co-action ``text``
layer over those clusters, both at their defaults; it writes the layer's edges (a, b, n_targets, qvalue).

Prints ``seconds=`` (the step alone, the store already open) and ``peak_mb=`` (the process's peak RSS).
"""

from __future__ import annotations

import resource
import sys
import time

from kagami.detect.cnt import cnt_edges
from kagami.detect.coaction import build_edges
from kagami.detect.coaction_config import CoactionConfig
from kagami.detect.dupes import build_text_clusters
from kagami.store import Store


def run_cnt(store: Store, args: list[str]) -> float:
    layer, window, min_weight, out = args[0], float(args[1]), int(args[2]), args[3]
    threshold = float(args[4]) if len(args) > 4 else 0.8
    started = time.perf_counter()
    rel = cnt_edges(store, layer, window, min_weight, similarity_threshold=threshold)
    seconds = time.perf_counter() - started
    rel.write_parquet(out)
    n = store.scalar("SELECT count(*) FROM _cnt_edges")
    print(f"edges={n}")
    return seconds


def run_build(store: Store, layers: str) -> float:
    started = time.perf_counter()
    counts = build_edges(store, CoactionConfig().only(*layers.split(",")))
    seconds = time.perf_counter() - started
    for c in counts.values():
        print(
            f"layer={c.layer} events={c.events} edges={c.edges} significant={c.significant} "
            f"seconds={c.seconds:.2f} capped_events={c.capped_events}"
        )
    return seconds


def run_text(store: Store, out: str) -> float:
    started = time.perf_counter()
    clusters = build_text_clusters(store)
    cluster_s = time.perf_counter() - started
    counts = build_edges(store, CoactionConfig().only("text"))["text"]
    seconds = time.perf_counter() - started
    store.con.sql("SELECT a, b, n_targets, qvalue FROM coaction_edges WHERE layer = 'text'").write_parquet(
        out
    )
    print(f"clusters={clusters.clusters} clustered_posts={clusters.clustered_posts}")
    print(f"text_events={counts.events} edges={counts.edges} significant={counts.significant}")
    print(f"cluster_seconds={cluster_s:.3f}")
    print(f"layer_seconds={seconds - cluster_s:.3f}")
    return seconds


def main() -> None:
    db, mode = sys.argv[1], sys.argv[2]
    store = Store(db, memory_limit="8GB")
    if mode == "cnt":
        seconds = run_cnt(store, sys.argv[3:])
    elif mode == "text":
        seconds = run_text(store, sys.argv[3])
    else:
        seconds = run_build(store, sys.argv[3])
    print(f"seconds={seconds:.3f}")
    print(f"peak_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
