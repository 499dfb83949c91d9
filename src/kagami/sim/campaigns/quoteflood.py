"""Quote floods: young accounts pile hostile quotes onto a target politician's posts and like each
other's quotes (on X the likes show only in counts; on Bluesky each like is an event).
"""

from __future__ import annotations

import numpy as np

from kagami.sim.campaigns.base import filler, mass_accounts, size
from kagami.sim.clock import US_PER_S
from kagami.sim.config import QuoteFloodConfig
from kagami.sim.context import Context
from kagami.sim.events import LIKE, POST, QUOTE
from kagami.sim.lexicon.claims import FLOOD_EMOJI, FLOOD_QUOTES


def targets(ctx: Context, cfg: QuoteFloodConfig) -> dict[int, int]:
    """The targeted politician's account on each platform (platform -> account index)."""
    out: dict[int, int] = {}
    for plat in (0, 1):
        cands = [a for a in ctx.world.accounts if a.role == "candidate" and a.platform == plat]
        if cands:
            out[plat] = cands[min(cfg.target, len(cands) - 1)].idx
    return out


def run(ctx: Context, cfg: QuoteFloodConfig) -> None:
    rng, rnd, _ = ctx.stream(cfg.id)
    log = ctx.log
    accs = mass_accounts(ctx, cfg, size(ctx, cfg), "flooder", waves=4, spread_days=cfg.age_days[1] / 4)
    coordinated = 0
    for plat, target in targets(ctx, cfg).items():
        mine = [a for a in accs if a.platform == plat]
        posts = [i for i in range(len(log)) if log.actor[i] == target and log.kind[i] == POST]
        if not posts or not mine:
            continue
        picks = sorted(rnd.sample(posts, min(cfg.floods, len(posts))))
        for p in picks:
            quotes = []
            delays = rng.lognormal(np.log(cfg.jitter_s), 1.0, len(mine))
            for acc, d in zip(mine, delays.tolist(), strict=True):
                t = log.t[p] + int(max(20.0, d) * US_PER_S)
                if rnd.random() >= cfg.participation or not ctx.in_window(t):
                    continue
                text = rnd.choice(FLOOD_QUOTES) + rnd.choice(("", "。", "！", "…")) + rnd.choice(FLOOD_EMOJI)
                quotes.append((log.post(t, plat, acc.idx, text, QUOTE, p), acc.idx, t))
                coordinated += 1
            for q, author, t in quotes:
                for acc in mine:
                    if acc.idx != author and rnd.random() < cfg.like_p:
                        at = t + int(rnd.uniform(10, 900) * US_PER_S)
                        if ctx.in_window(at):
                            log.add(at, plat, LIKE, acc.idx, q)
    filler(ctx, cfg, accs, coordinated, office=False)
