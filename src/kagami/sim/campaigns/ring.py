"""Repost/quote ring: accounts created in waves (default avatars, name-plus-digits handles) repost and
quote a few seed accounts within seconds to minutes, on a foreign office schedule.
"""

from __future__ import annotations

import numpy as np

from kagami.sim.campaigns.base import filler, mark, mass_accounts, office_times, size
from kagami.sim.clock import US_PER_S
from kagami.sim.config import RingConfig
from kagami.sim.context import Context
from kagami.sim.events import QUOTE, REPOST, X
from kagami.sim.lexicon.claims import CLAIMS, LOOKALIKES, RING_QUOTES
from kagami.sim.markup import link, tag
from kagami.sim.text import url_fill


def run(ctx: Context, cfg: RingConfig) -> None:
    rng, rnd, gen = ctx.stream(cfg.id)
    log = ctx.log
    seeds = mass_accounts(ctx, cfg, max(1, cfg.seeds), "seed", waves=1, spread_days=30)
    for s in seeds:
        s.platform = X  # a ring works one platform
        s.followers = int(rnd.uniform(800, 6000))
        s.default_avatar = False
        s.description = rnd.choice(("日本を守りたい。真実を発信します", "目覚めた日本人", "拡散は自由です"))
    amps = mass_accounts(
        ctx, cfg, size(ctx, cfg), "amplifier", waves=cfg.waves, spread_days=cfg.wave_spread_days
    )
    for a in amps:
        mark(a, cfg, "amplifier")
    amps = [a for a in amps if a.platform == X]
    n_posts = rng.poisson(cfg.seed_posts_per_day * ctx.cfg.world.days * len(seeds))
    coordinated = 0
    for t in office_times(ctx, cfg, rng, n_posts):
        seed = seeds[rnd.randrange(len(seeds))]
        claim = rnd.choice(CLAIMS)
        text = rnd.choice(claim.phrasings) + rnd.choice(("。", "！", "\n"))
        if rnd.random() < 0.4:
            _real, fake = rnd.choice(LOOKALIKES)
            text += link(url_fill(f"https://{fake}/articles/{{ymd}}/{{n}}", rnd, t)) + "\n"
        text += " ".join(tag(x) for x in rnd.sample(claim.tags, 2))
        src = log.post(t, X, seed.idx, text)
        delays = np.minimum(rng.lognormal(np.log(cfg.jitter_s), 0.9, len(amps)), cfg.delay_max_s)
        for amp, d in zip(amps, delays.tolist(), strict=True):
            if rnd.random() >= cfg.participation:
                continue
            at = t + int(max(2.0, d) * US_PER_S)
            if not ctx.in_window(at):
                continue
            coordinated += 1
            if rnd.random() < cfg.quote_share:
                log.post(at, X, amp.idx, gen.fill(rnd.choice(RING_QUOTES) + "{emo}"), QUOTE, src)
            else:
                log.add(at, X, REPOST, amp.idx, src)
    filler(ctx, cfg, amps, coordinated // 6, office=True)
