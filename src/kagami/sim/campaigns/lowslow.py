"""Low-and-slow: aged, normal-looking accounts living ordinary online lives whose only coordination is
sharing the same obscure URLs and hashtags, hours apart, over days.
"""

from __future__ import annotations

from kagami.sim.campaigns.base import aged_accounts, platforms, size
from kagami.sim.clock import US_PER_HOUR, sample_times
from kagami.sim.config import LowSlowConfig
from kagami.sim.context import Context
from kagami.sim.lexicon.claims import OBSCURE_SITES, OBSCURE_TAGS
from kagami.sim.markup import link, tag
from kagami.sim.organic import originals
from kagami.sim.text import url_fill

INTROS = (
    "この記事、よくまとまってる",
    "気になったので共有",
    "知らなかった話",
    "読んでみて",
    "考えさせられた",
    "一度目を通してほしい",
    "こういう見方もある",
    "",
)


def run(ctx: Context, cfg: LowSlowConfig) -> None:
    rng, rnd, _ = ctx.stream(cfg.id)
    accs = aged_accounts(ctx, cfg, size(ctx, cfg), "sharer", platforms(cfg))
    share = min(cfg.filler_share, 0.95)
    lo, hi = cfg.gap_hours
    starts = sample_times(rng, ctx.rhythm(0), cfg.urls, ctx.window).tolist()
    shares = 0
    for start in starts:
        url = url_fill(rnd.choice(OBSCURE_SITES), rnd, start)
        hashtag = rnd.choice(OBSCURE_TAGS)
        order = rnd.sample(accs, len(accs))
        t = start
        for acc in order:
            if rnd.random() >= cfg.participation:
                continue
            if not ctx.in_window(t):
                break
            ctx.log.post(t, acc.platform, acc.idx, f"{rnd.choice(INTROS)}\n{link(url)} {tag(hashtag)}")
            shares += 1
            t += int(rnd.uniform(lo, hi) * US_PER_HOUR)
    days = ctx.cfg.world.days
    for acc in accs:  # ordinary lives around the shares
        acc.rate = max(acc.rate, shares * share / (1 - share) / max(1, len(accs)) / days)
    originals(ctx, [a.idx for a in accs], stream=f"{cfg.id}:lives")
