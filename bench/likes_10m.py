"""The co-action like layer on N timed likes (default 10M), for issue 4's 10M-action input.

Background: N − 30,000 likes by 200k accounts on 1M posts (popularity skewed: u³ of a uniform u), times
spread over 14 days; planted: 40 groups of 25 accounts, each group liking the same 30 posts within 25
seconds of each other (12,000 planted pairs). Loaded by SQL, then ``build_edges`` on the like layer only.

    python bench/likes_10m.py 10000000
"""

import resource
import sys
import time

from kagami.detect.coaction import build_edges
from kagami.detect.coaction_config import CoactionConfig
from kagami.store import Store

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
s = Store(sys.argv[2] if len(sys.argv) > 2 else ":memory:", memory_limit="8GB")
t = time.perf_counter()
s.con.execute(
    """INSERT INTO actions
SELECT 'x:like:' || i, 'x', 'like:' || i, 'like', 'x:u' || (hash(i * 7) % 200000), 'x:p' || (floor(1000000 * pow(random_u, 3))::BIGINT),
       'post', TIMESTAMPTZ '2025-07-01' + to_microseconds((hash(i * 13) % (14 * 86400 * 1000000::BIGINT))::BIGINT), NULL,
       'gen', 'f', 0, 's', '', NULL, 'gen', '1'
FROM (SELECT i, (hash(i * 31) % 1000000) / 1000000.0 AS random_u FROM range($n) t(i))""",
    {"n": n - 30000},
)
s.con.execute("""INSERT INTO actions
SELECT 'x:plant:' || g || ':' || m || ':' || k, 'x', 'plant:' || g || ':' || m || ':' || k, 'like', 'x:g' || g || 'm' || m,
       'x:pp' || g || ':' || k, 'post', TIMESTAMPTZ '2025-07-01' + to_microseconds((g * 86400 + k * 3600 + m) * 1000000::BIGINT), NULL,
       'gen', 'f', 0, 's', '', NULL, 'gen', '1'
FROM range(40) a(g), range(25) b(m), range(30) c(k)""")
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
