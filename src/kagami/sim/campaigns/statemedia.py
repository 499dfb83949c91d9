"""State-media laundering: links to state-affiliated media's Japanese services with commentary that
leaks simplified Chinese characters and machine-translation artefacts, posted in UTC+8 office hours.
"""

from __future__ import annotations

from kagami.sim.campaigns.base import aged_accounts, filler, office_times, platforms, size
from kagami.sim.config import StateMediaConfig
from kagami.sim.context import Context
from kagami.sim.lexicon.claims import STATE_COMMENTS, STATE_MEDIA
from kagami.sim.lexicon.common import SHARED
from kagami.sim.markup import link, tag
from kagami.sim.paraphrase import leak
from kagami.sim.text import url_fill


def run(ctx: Context, cfg: StateMediaConfig) -> None:
    rng, rnd, gen = ctx.stream(cfg.id)
    accs = aged_accounts(ctx, cfg, size(ctx, cfg), "poster", platforms(cfg))
    n = rng.poisson(cfg.posts_per_day * ctx.cfg.world.days * len(accs))
    for t in office_times(ctx, cfg, rng, n):
        acc = accs[rnd.randrange(len(accs))]
        comment = gen.fill(rnd.choice(STATE_COMMENTS), {"issue": SHARED["issue"]})
        text = leak(comment, rnd, cfg.leak_rate) + rnd.choice(("。", "", "！"))
        text += "\n" + link(url_fill(rnd.choice(STATE_MEDIA)[1], rnd, t))
        if rnd.random() < 0.4:
            text += " " + tag(rnd.choice(("参院选", "日本政治", "参院選2025", "中日関係")))
        ctx.log.post(t, acc.platform, acc.idx, text)
    filler(ctx, cfg, accs, n, office=True)
