"""Time one Kagami co-action step in its own process (so its peak memory is its own).

    python bench/peers/kagami_layer.py DB cnt co_retweet 60 2 OUT.parquet   # toolkit definitions
    python bench/peers/kagami_layer.py DB build repost,link,text              # Kagami's own layers

Prints ``seconds=`` (the step alone, the store already open) and ``peak_mb=`` (the process's peak RSS).
"""

from __future__ import annotations

import resource
import sys
import time

from kagami.detect.cnt import cnt_edges
from kagami.detect.coaction import build_edges
from kagami.detect.coaction_config import CoactionConfig
from kagami.store import Store


def main() -> None:
    db, mode = sys.argv[1], sys.argv[2]
    store = Store(db, memory_limit="8GB")
    started = time.perf_counter()
    if mode == "cnt":
        layer, window, min_weight, out = sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        rel = cnt_edges(store, layer, window, min_weight)
        seconds = time.perf_counter() - started
        rel.write_parquet(out)
        n = store.scalar("SELECT count(*) FROM _cnt_edges")
        print(f"edges={n}")
    else:
        counts = build_edges(store, CoactionConfig().only(*sys.argv[3].split(",")))
        seconds = time.perf_counter() - started
        for c in counts.values():
            print(
                f"layer={c.layer} events={c.events} edges={c.edges} significant={c.significant} "
                f"seconds={c.seconds:.2f} capped_events={c.capped_events}"
            )
    print(f"seconds={seconds:.3f}")
    print(f"peak_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
