"""Copypasta with paraphrase: many accounts post variants of one false claim over hours (synonyms,
particles, full/half-width, emoji, sentence order), linking to look-alike domains of Japanese outlets.
"""

from __future__ import annotations

from kagami.sim.campaigns.base import aged_accounts, filler, platforms, size
from kagami.sim.clock import US_PER_S, sample_times
from kagami.sim.config import CopypastaConfig
from kagami.sim.context import Context
from kagami.sim.lexicon.claims import CALLS, CLAIMS, LOOKALIKES
from kagami.sim.markup import link, tag
from kagami.sim.paraphrase import paraphrase
from kagami.sim.text import url_fill


def run(ctx: Context, cfg: CopypastaConfig) -> None:
    rng, rnd, _ = ctx.stream(cfg.id)
    claim = next((c for c in CLAIMS if c.key == cfg.claim), CLAIMS[0])
    posters = aged_accounts(ctx, cfg, size(ctx, cfg), "poster", platforms(cfg))
    starts = sample_times(rng, ctx.rhythm(0), max(1, cfg.bursts), ctx.window).tolist()
    coordinated = 0
    for b, start in enumerate(starts):
        base = rnd.choice(claim.phrasings) + "。" + rnd.choice(CALLS)
        fake = rnd.choice(LOOKALIKES)[1]
        article = url_fill(f"https://{fake}/news/{{ymd}}/{{n}}.html", rnd, start)
        for acc in posters:
            if rnd.random() >= cfg.participation:
                continue
            t = start + int(rnd.uniform(0, cfg.burst_hours * 3600) * US_PER_S)
            if not ctx.in_window(t):
                continue
            text = paraphrase(base, rnd, cfg.paraphrase)
            if rnd.random() < cfg.lookalike_share:
                text += "\n" + link(article)
            if rnd.random() < 0.7:
                text += " " + tag(rnd.choice(claim.tags))
            ctx.log.post(t, acc.platform, acc.idx, text)
            coordinated += 1
        del b
    filler(ctx, cfg, posters, coordinated, office=False)
