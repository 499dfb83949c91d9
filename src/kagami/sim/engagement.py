"""How the public engages with every post in the world: repost cascades, quotes, replies and likes.

Run after all accounts have posted, over every authored post (organic, hard negatives and campaigns
alike), so ordinary people also repost the news bot, the idol, the party, and now and then a campaign.
On X likes are only counted (a search export has no likers); on Bluesky each like is an event.

>>> from kagami.sim.config import SimConfig
>>> from kagami.sim.organic import originals, people
>>> ctx = Context.create(SimConfig(seed=2, scale=0.02))
>>> ids = people(ctx); n = originals(ctx)
>>> made = engage(ctx)
>>> made["repost"] > 0 and made["reply"] > 0 and made["like"] > 0
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kagami.sim.cascade import Pool, Spread, cascade, human_delays
from kagami.sim.context import Context
from kagami.sim.events import AUTHORED, BSKY, LIKE, QUOTE, REPLY, REPOST, X
from kagami.sim.organic import PEOPLE_ROLES, PUBLIC

#: Accounts whose volume does not grow with the population are engaged with less at small scales;
#: scheduled bots are mostly scrolled past.
ROLE_PULL = {"news": 0.08, "weather": 0.04, "quake": 0.3, "idol": 0.6, "official": 0.5, "candidate": 0.5}


def reach(ctx: Context) -> np.ndarray:
    """Per account: how far a post or repost of it travels, from its followers."""
    f = np.array([a.followers for a in ctx.world.accounts], dtype=float)
    out: np.ndarray = np.clip((np.maximum(f, 1.0) / 120.0) ** 0.35, 0.15, 8.0)
    return out


def pools(ctx: Context) -> tuple[Pool, Pool]:
    """The engaging public of each platform, weighted by activity."""
    accs = ctx.world.accounts
    out = []
    for plat in (X, BSKY):
        sel = [a for a in accs if a.platform == plat and a.label in PUBLIC and a.role in PEOPLE_ROLES]
        members = np.array([a.idx for a in sel], dtype=np.int64)
        weights = np.array([max(a.rate, 0.02) ** 0.7 for a in sel])
        comm = np.array([a.community for a in sel], dtype=np.int64)
        out.append(Pool.build(members, weights, comm, ctx.cfg.world.communities))
    return out[0], out[1]


def engage(ctx: Context) -> dict[str, int]:
    """Cascades, replies and (Bluesky) likes under every authored post; counts of what was made."""
    rng, _rnd, gen = ctx.stream("engagement")
    w, log = ctx.cfg.world, ctx.log
    r = reach(ctx)
    community = np.array([a.community for a in ctx.world.accounts], dtype=np.int64)
    kinds = np.array(log.kind, dtype=np.int8)
    plats = np.array(log.plat, dtype=np.int8)
    actors = np.array(log.actor, dtype=np.int64)
    authored = np.isin(kinds, AUTHORED)
    made = {"repost": 0, "reply": 0, "like": 0}
    fixed = min(1.0, ctx.cfg.scale)
    pull = np.array([ROLE_PULL[a.role] * fixed if a.role in ROLE_PULL else 1.0 for a in ctx.world.accounts])
    for plat, pool in zip((X, BSKY), pools(ctx), strict=True):
        spread = Spread(pool, r, community, ctx.rhythm(0), ctx.window, w.branching, quote_share=w.quote_share)
        roots = np.flatnonzero(authored & (plats == plat) & (kinds == 0))
        quality = rng.lognormal(0.0, 1.0, len(roots))
        m0 = w.repost_mean * r[actors[roots]] * quality * pull[actors[roots]]
        made["repost"] += cascade(log, rng, spread, plat, roots, m0, gen.quote)
        made["reply"] += _replies(ctx, rng, gen.reply, pool, community, plat, roots, quality)
        if plat == BSKY:
            made["like"] += _likes(ctx, rng, pool, community)
    return made


def _replies(
    ctx: Context,
    rng: np.random.Generator,
    text: Callable[[], str],
    pool: Pool,
    community: np.ndarray,
    plat: int,
    roots: np.ndarray,
    quality: np.ndarray,
) -> int:
    log = ctx.log
    n = rng.poisson(ctx.cfg.world.reply_rate * np.sqrt(quality) * 1.0)
    pos = np.repeat(np.arange(len(roots)), n)
    if len(pos) == 0:
        return 0
    parent = roots[pos]
    start = np.fromiter((log.t[p] for p in parent), dtype=np.int64, count=len(parent))
    author = np.fromiter((log.actor[p] for p in parent), dtype=np.int64, count=len(parent))
    t = human_delays(rng, start, 1500.0, 1.5, ctx.window, ctx.rhythm(0), min_s=20)
    who = pool.sample(rng, community[author], 0.8)
    back = rng.random(len(pos)) < 0.25
    made = 0
    for i in range(len(pos)):
        if t[i] >= ctx.window.end_us or who[i] == author[i]:
            continue
        reply = log.post(int(t[i]), plat, int(who[i]), text(), REPLY, int(parent[i]))
        made += 1
        t2 = int(t[i]) + int(rng.lognormal(np.log(900e6), 1.2))
        if back[i] and ctx.in_window(t2):
            log.post(t2, plat, int(author[i]), text(), REPLY, reply)
            made += 1
    return made


def _likes(ctx: Context, rng: np.random.Generator, pool: Pool, community: np.ndarray) -> int:
    """Likes on every Bluesky post, in proportion to its reposts; reposters often like too."""
    log = ctx.log
    kinds = np.array(log.kind, dtype=np.int8)
    plats = np.array(log.plat, dtype=np.int8)
    refs = np.array(log.ref, dtype=np.int64)
    targets = np.flatnonzero(np.isin(kinds, AUTHORED) & (plats == BSKY))
    shared = (plats == BSKY) & ((kinds == REPOST) | (kinds == QUOTE)) & (refs >= 0)
    reposts = np.bincount(refs[shared], minlength=len(kinds))[targets]
    n = rng.poisson(ctx.cfg.world.like_ratio * (reposts + 0.35))
    pos = np.repeat(np.arange(len(targets)), n)
    if len(pos) == 0:
        return 0
    target = targets[pos]
    start = np.fromiter((log.t[p] for p in target), dtype=np.int64, count=len(target))
    author = np.fromiter((log.actor[p] for p in target), dtype=np.int64, count=len(target))
    t = human_delays(rng, start, 900.0, 1.7, ctx.window, ctx.rhythm(0), min_s=3)
    who = pool.sample(rng, community[author], 0.75)
    seen: set[tuple[int, int]] = set()
    made = 0
    for i in range(len(pos)):
        key = (int(target[i]), int(who[i]))
        if t[i] >= ctx.window.end_us or key in seen or who[i] == author[i]:
            continue
        seen.add(key)
        log.add(int(t[i]), BSKY, LIKE, key[1], key[0])
        made += 1
    return made
