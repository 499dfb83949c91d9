"""Foreign interference campaigns planted in the world, each with ground truth and parameters that tests
can turn to make it harder.

>>> from kagami.sim.config import SimConfig
>>> from kagami.sim.context import Context
>>> from kagami.sim import negatives
>>> ctx = Context.create(SimConfig(seed=1, scale=0.02))
>>> negatives.run(ctx); run(ctx)
>>> sorted({a.campaign for a in ctx.world.accounts if a.campaign})[:3]
['copypasta-1', 'crossplatform-1', 'lowslow-1']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kagami.sim.campaigns import copypasta, crossplatform, lowslow, quoteflood, ring, statemedia
from kagami.sim.context import Context

RUNNERS: dict[str, Callable[[Context, Any], None]] = {
    "ring": ring.run,
    "copypasta": copypasta.run,
    "quoteflood": quoteflood.run,
    "statemedia": statemedia.run,
    "lowslow": lowslow.run,
    "crossplatform": crossplatform.run,
}


def run(ctx: Context) -> None:
    """Plant every enabled campaign of the configuration."""
    for cfg in ctx.cfg.campaigns:
        if cfg.enabled:
            RUNNERS[cfg.kind](ctx, cfg)
