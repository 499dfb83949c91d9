"""Ingest one file into a fresh store in this process, as ``kagami ingest`` does (used by bench/run.py)."""

from __future__ import annotations

import resource
import sys

from kagami.ingest import Ingestor
from kagami.store import Store

if __name__ == "__main__":
    data, db = sys.argv[1], sys.argv[2]
    with Store(db) as store:
        report = Ingestor(store, bulk="--python-only" not in sys.argv).ingest([data])
    c = report.counts
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"posts={c.posts} accounts={c.accounts} quarantined={c.quarantined} elapsed={report.elapsed_s:.1f}")
    print(f"peak_mb={peak_mb:.0f}")
