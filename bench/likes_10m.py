"""The co-action like layer on N timed likes (default 10M), for issue 4's 10M-action input.

The likes are :func:`likes_gen.generate_likes`'s (12,000 planted pairs among them), loaded by SQL; then
``build_edges`` on the like layer only.

    python bench/likes_10m.py 10000000
"""

import resource
import sys
import time

from kagami.detect.coaction import build_edges
from kagami.detect.coaction_config import CoactionConfig
from kagami.store import Store
from likes_gen import generate_likes

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
s = Store(sys.argv[2] if len(sys.argv) > 2 else ":memory:", memory_limit="8GB")
t = time.perf_counter()
generate_likes(s, n)
print(f"loaded {s.count('actions'):,} likes in {time.perf_counter() - t:.1f} s")
t = time.perf_counter()
c = build_edges(s, CoactionConfig().only("like"))["like"]
sec = time.perf_counter() - t
planted = s.scalar(
    "SELECT count(*) FROM coaction_edges WHERE qvalue <= 0.01 AND a LIKE 'x:g%' AND b LIKE 'x:g%' AND split_part(a, 'm', 1) = split_part(b, 'm', 1)"
)
other = s.scalar(
    "SELECT count(*) FROM coaction_edges WHERE qvalue <= 0.01 AND NOT (a LIKE 'x:g%' AND b LIKE 'x:g%')"
)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    f"like layer: {sec:.1f} s, events {c.events:,}, pairs/targets {c.pair_targets:,}, edges {c.edges:,}, "
    f"significant {c.significant:,} (planted pairs {planted:,} of {40 * 300:,}; others {other:,}), capped cells {c.capped_cells}, peak {peak:.0f} MB"
)
