"""The election scenario simulator: a labelled world of social media during a Japanese national election,
with foreign interference campaigns and honest look-alikes planted in it, written in the real formats
Kagami ingests (twarc2 pages for X, Jetstream lines for Bluesky) with a ground-truth table.

>>> import tempfile
>>> from kagami.sim.config import named
>>> with tempfile.TemporaryDirectory() as d:
...     s = simulate(named("dev", seed=1, scale=0.01), d)
...     sorted(p.name for p in Path(d).iterdir())
['bsky.jsonl', 'truth.csv', 'x.jsonl']
>>> s.events == s.x_posts + s.bsky_events
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kagami.sim import bsky_life, campaigns, engagement, negatives, organic
from kagami.sim.clock import US_PER_HOUR
from kagami.sim.config import SimConfig, apply_overrides, named
from kagami.sim.context import Context
from kagami.sim.jetstream_writer import BskyWriter, kinds_written
from kagami.sim.truth import write_truth
from kagami.sim.twarc2_writer import XWriter

__all__ = ["SimConfig", "SimSummary", "apply_overrides", "named", "simulate"]


@dataclass(slots=True)
class SimSummary:
    """What a run wrote: event counts per file and kind, accounts per label, campaigns, and time taken."""

    out_dir: str
    config: str
    seed: int
    scale: float
    events: int = 0
    x_posts: int = 0
    bsky_events: int = 0
    bsky_kinds: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    campaigns: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build(cfg: SimConfig) -> Context:
    """Generate the world and every event in memory (compact columns), in a fixed order."""
    ctx = Context.create(cfg)
    organic.people(ctx)
    negatives.run(ctx)
    campaigns.run(ctx)
    organic.originals(ctx)
    engagement.engage(ctx)
    bsky_life.run(ctx)
    return ctx


def simulate(cfg: SimConfig, out_dir: str | Path) -> SimSummary:
    """Simulate ``cfg`` and write ``x.jsonl``, ``bsky.jsonl`` and ``truth.csv`` into ``out_dir``."""
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = build(cfg)
    log = ctx.log.freeze()
    retrieved = ctx.window.end_us + 3 * US_PER_HOUR
    xw = XWriter(ctx.world, log, cfg.seed)
    x_posts = xw.write(out / "x.jsonl", retrieved)
    bw = BskyWriter(ctx.world, log, cfg.seed)
    bsky = bw.write(out / "bsky.jsonl")
    seen = xw.seen | bw.seen
    counts = write_truth(ctx.world, seen, out / "truth.csv")
    return SimSummary(
        out_dir=str(out),
        config=cfg.name,
        seed=cfg.seed,
        scale=cfg.scale,
        events=x_posts + bsky,
        x_posts=x_posts,
        bsky_events=bsky,
        bsky_kinds=kinds_written(log),
        accounts=counts,
        campaigns=[c.id for c in cfg.campaigns if c.enabled],
        seconds=round(time.perf_counter() - started, 2),
    )
