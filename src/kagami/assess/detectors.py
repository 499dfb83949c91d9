"""Run every detector over a store, in dependency order, timing each stage.

Order matters: text clusters feed the co-action text layer; co-action edges feed lockstep's neighbour,
communities; automation and coordination feed the amplification shares; communities feed the group
origin indicators. Every detector rewrites its own tables, so running this twice gives the same tables.

>>> from kagami.store import Store
>>> timings = run_detectors(Store(":memory:"), DetectorInputs(narratives=False))
>>> list(timings)[:3]
['text clusters', 'co-action', 'lockstep']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kagami.detect.amplification import detect_amplification
from kagami.detect.automation import detect_automation
from kagami.detect.claimreview import read_claims
from kagami.detect.claims import match_claims, store_claims
from kagami.detect.coaction import build_edges
from kagami.detect.communities import detect_communities
from kagami.detect.dupes import build_text_clusters
from kagami.detect.lockstep import detect_lockstep_passes
from kagami.detect.narratives import NarrativeConfig, detect_narratives
from kagami.detect.origin_group import origin_groups
from kagami.detect.origin_lang import origin_language
from kagami.detect.origin_links import origin_links
from kagami.detect.origin_time import origin_timezone
from kagami.detect.watchlists import load_watchlist
from kagami.store import Store
from kagami.store.sqlfiles import drop

Progress = Callable[[str], None]
NARRATIVE_TABLES = ("narratives", "narrative_members", "narrative_volume")


@dataclass(frozen=True, slots=True)
class DetectorInputs:
    """What the user points the detectors at: watchlists, handle lists, fact-checks."""

    watchlists: Sequence[Path] = ()
    """Domain watchlists (e.g. documented information-operation domains); state media ships built in."""
    handles: Sequence[Path] = ()
    """Lists of state-affiliated handles (e.g. PRC diplomats and state media)."""
    claims: Sequence[Path] = ()
    """Fact-checks as ClaimReview JSON-LD or CSV."""
    narratives: bool = True
    """Cluster posts into narratives (the slowest stage; off for quick runs)."""
    narrative_config: NarrativeConfig = field(default_factory=NarrativeConfig)


def _claims(store: Store, paths: Sequence[Path]) -> None:
    records = [r for p in paths for r in read_claims(p)]
    store_claims(store.con, records)
    match_claims(store.con)


def run_detectors(
    store: Store, inputs: DetectorInputs | None = None, progress: Progress | None = None
) -> dict[str, float]:
    """Run every detector; return seconds per stage, in the order run."""
    inp = inputs or DetectorInputs()
    watch = [load_watchlist(p) for p in inp.watchlists]
    stages: list[tuple[str, Callable[[], object]]] = [
        ("text clusters", lambda: build_text_clusters(store)),
        ("co-action", lambda: build_edges(store)),
        ("lockstep", lambda: detect_lockstep_passes(store.con)),
        ("communities", lambda: detect_communities(store.con)),
        ("automation", lambda: detect_automation(store.con)),
        ("origin: time zone", lambda: origin_timezone(store)),
        ("origin: language", lambda: origin_language(store)),
        ("origin: links", lambda: origin_links(store, watch, list(inp.handles))),
        ("origin: groups", lambda: origin_groups(store)),
        ("amplification", lambda: detect_amplification(store.con)),
        ("narratives", lambda: detect_narratives(store.con, inp.narrative_config)),
        ("claims", lambda: _claims(store, list(inp.claims))),
    ]
    timings: dict[str, float] = {}
    for name, step in stages:
        if name == "narratives" and not inp.narratives:
            # never report an earlier run's narratives as this run's
            drop(store.con, NARRATIVE_TABLES)
            continue
        if progress:
            progress(name)
        started = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - started
    return timings
