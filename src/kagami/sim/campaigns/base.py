"""What campaigns share: making their accounts (created in waves, labelled with the campaign and a
role), timing on a foreign office schedule, and filler posts that make accounts look ordinary.

>>> from kagami.sim.config import RingConfig, SimConfig
>>> from kagami.sim.context import Context
>>> ctx = Context.create(SimConfig(seed=1, scale=0.05))
>>> accs = mass_accounts(ctx, RingConfig(id="ring-1"), 12, "amplifier", waves=3, spread_days=1.0)
>>> {a.campaign for a in accs}, {a.label for a in accs}
({'ring-1'}, {'campaign'})
"""

from __future__ import annotations

import numpy as np

from kagami.sim.clock import US_PER_DAY, sample_times
from kagami.sim.config import CampaignConfig
from kagami.sim.context import Context
from kagami.sim.events import BSKY, X
from kagami.sim.world import Account

PLATFORM_CODES = {"x": X, "bsky": BSKY}
FILLER_TOPICS = ("daily", "weather", "food", "sports", "prices", "election", "anime")


def platforms(cfg: CampaignConfig) -> list[int]:
    return [PLATFORM_CODES[p] for p in cfg.platforms if p in PLATFORM_CODES] or [X]


def size(ctx: Context, cfg: CampaignConfig) -> int:
    return ctx.cfg.scaled(cfg.size, cfg.min_size)


def mark(acc: Account, cfg: CampaignConfig, role: str) -> Account:
    acc.label, acc.campaign, acc.role = "campaign", cfg.id, role
    return acc


def mass_accounts(
    ctx: Context, cfg: CampaignConfig, n: int, role: str, *, waves: int = 1, spread_days: float = 3.0
) -> list[Account]:
    """``n`` mass-created accounts, created in ``waves`` bursts within the configured age range."""
    rng, rnd, _ = ctx.stream(f"{cfg.id}:{role}:accounts")
    fac = ctx.factory(rnd)
    plats = platforms(cfg)
    lo, hi = cfg.age_days
    centers = ctx.window.start_us - (rng.uniform(lo, max(lo, hi), max(1, waves)) * US_PER_DAY).astype(
        np.int64
    )
    out = []
    for i in range(n):
        created = int(centers[i % len(centers)] + rng.uniform(0, spread_days) * US_PER_DAY)
        created = min(created, ctx.window.end_us - US_PER_DAY)
        acc = fac.mass(plats[i % len(plats)], created, default_avatar=rnd.random() < cfg.default_avatar)
        acc.shift, acc.community = 0, rnd.randrange(ctx.cfg.world.communities)
        out.append(mark(acc, cfg, role))
    return out


def aged_accounts(ctx: Context, cfg: CampaignConfig, n: int, role: str, plats: list[int]) -> list[Account]:
    """``n`` aged accounts that look like ordinary people (custom avatars, bios, followers)."""
    rng, rnd, _ = ctx.stream(f"{cfg.id}:{role}:aged")
    fac = ctx.factory(rnd)
    out = []
    for i in range(n):
        acc = fac.person(plats[i % len(plats)], rnd.uniform(*cfg.age_days))
        acc.default_avatar = rnd.random() < cfg.default_avatar
        acc.rate = float(rng.lognormal(np.log(0.3), 0.5))
        acc.topics = ("election", "prices", "daily")
        acc.community = rnd.randrange(ctx.cfg.world.communities)
        out.append(mark(acc, cfg, role))
    return out


def office_times(ctx: Context, cfg: CampaignConfig, rng: np.random.Generator, n: int) -> list[int]:
    """``n`` times in the operator's office hours."""
    return [int(t) for t in sample_times(rng, ctx.office(cfg.utc_offset_h, cfg.office_hours), n, ctx.window)]


def filler(
    ctx: Context, cfg: CampaignConfig, accounts: list[Account], coordinated: int, *, office: bool
) -> int:
    """Innocuous posts so that ``cfg.filler_share`` of the accounts' posts are filler."""
    rng, rnd, gen = ctx.stream(f"{cfg.id}:filler")
    share = min(cfg.filler_share, 0.95)
    n = round(coordinated * share / (1 - share))
    if n == 0 or not accounts:
        return 0
    weights = ctx.office(cfg.utc_offset_h, cfg.office_hours) if office else ctx.rhythm(0)
    for t in sample_times(rng, weights, n, ctx.window).tolist():
        acc = accounts[rnd.randrange(len(accounts))]
        ctx.log.post(t, acc.platform, acc.idx, gen.post(rnd.choice(FILLER_TOPICS), t, tag_p=0.3))
    return n
