"""Hard negatives: honest accounts that look coordinated. Each is labelled and never a campaign.

>>> from kagami.sim.config import SimConfig
>>> from kagami.sim.context import Context
>>> ctx = Context.create(SimConfig(seed=1, scale=0.02))
>>> run(ctx)
>>> sorted({a.label for a in ctx.world.accounts})
['breaking_news', 'critic', 'fandom', 'news_bot', 'party']
"""

from __future__ import annotations

from kagami.sim.context import Context
from kagami.sim.negatives import bots, breaking, critics, fandom, party

LABELS = ("fandom", "news_bot", "party", "breaking_news", "critic")


def run(ctx: Context) -> None:
    """Create every hard negative's accounts and coordinated-looking activity (party first: critics
    quote its candidates)."""
    party.run(ctx)
    fandom.run(ctx)
    bots.run(ctx)
    breaking.run(ctx)
    critics.run(ctx)
