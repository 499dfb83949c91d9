"""Bluesky's account life around the posts: follows, new accounts announcing themselves (identity,
account and profile events), profile edits, and deletions of posts, reposts and likes.

Campaign accounts on Bluesky follow one another in a burst soon after they appear.

>>> from kagami.sim.config import SimConfig
>>> from kagami.sim.organic import originals, people
>>> ctx = Context.create(SimConfig(seed=2, scale=0.02))
>>> ids = people(ctx); n = originals(ctx)
>>> made = run(ctx)
>>> made["follow"] > 0 and made["delete"] > 0
True
"""

from __future__ import annotations

import random

import numpy as np

from kagami.sim.clock import US_PER_HOUR, US_PER_S, sample_times
from kagami.sim.context import Context
from kagami.sim.events import ACCOUNT, AUTHORED, BSKY, DELETE, FOLLOW, IDENTITY, LIKE, PROFILE, REPOST
from kagami.sim.organic import PEOPLE_ROLES
from kagami.sim.world import Account

NEW_BIOS = (
    "最近はじめました",
    "のんびりやってます",
    "X から引っ越してきました",
    "日常と趣味のこと",
    "無言フォロー失礼します",
)


def run(ctx: Context) -> dict[str, int]:
    rng, rnd, _ = ctx.stream("bsky_life")
    log, w = ctx.log, ctx.cfg.world
    accs = [a for a in ctx.world.accounts if a.platform == BSKY]
    made = {"follow": 0, "profile": 0, "identity": 0, "delete": 0}
    if not accs:
        return made
    first_act: dict[int, int] = {}
    for i in range(len(log)):
        if log.plat[i] == BSKY:
            who = log.actor[i]
            first_act[who] = min(first_act.get(who, log.t[i]), log.t[i])
    for a in accs:  # a new account: identity and account events, then its profile
        born = max(a.created_us, ctx.window.start_us)
        if a.created_us >= ctx.window.start_us:
            born = min(born, first_act.get(a.idx, born) - 10 * US_PER_S)
            log.add(born, BSKY, IDENTITY, a.idx)
            log.add(born + 150_000, BSKY, ACCOUNT, a.idx)
            log.add(born + 2 * US_PER_S, BSKY, PROFILE, a.idx)
            made["identity"] += 1
            made["profile"] += 1
    weights = np.array([max(a.followers, 1) ** 0.8 for a in accs])
    cum = np.cumsum(weights)
    people = [a for a in accs if a.role in PEOPLE_ROLES]
    counts = rng.poisson(w.follows_per_account, len(people))
    for a, k in zip(people, counts.tolist(), strict=True):
        times = sample_times(rng, ctx.rhythm(a.shift), k, ctx.window)
        picks = np.searchsorted(cum, rng.random(k) * cum[-1], side="right")
        for t, p in zip(times.tolist(), picks.tolist(), strict=True):
            target = accs[min(p, len(accs) - 1)]
            if target.idx != a.idx and t > a.created_us:
                log.add(t, BSKY, FOLLOW, a.idx, target.idx)
                made["follow"] += 1
        if rnd.random() < 0.04:
            t = int(sample_times(rng, ctx.rhythm(a.shift), 1, ctx.window)[0])
            log.add(t, BSKY, PROFILE, a.idx, content=log.text(rnd.choice(NEW_BIOS)))
            made["profile"] += 1
    made["follow"] += _campaign_follows(ctx, rng, rnd, accs)
    made["delete"] += _deletions(ctx, rng, rnd)
    return made


def _campaign_follows(ctx: Context, rng: np.random.Generator, rnd: random.Random, accs: list[Account]) -> int:
    by_campaign: dict[str, list[Account]] = {}
    for a in accs:
        if a.campaign:
            by_campaign.setdefault(a.campaign, []).append(a)
    made = 0
    for members in by_campaign.values():
        for a in members:
            start = max(a.created_us, ctx.window.start_us) + int(rnd.uniform(60, 6 * 3600) * US_PER_S)
            for b in rnd.sample(members, min(len(members), rnd.randint(4, 15))):
                t = start + int(rng.exponential(600) * US_PER_S)
                if b.idx != a.idx and ctx.in_window(t):
                    ctx.log.add(t, BSKY, FOLLOW, a.idx, b.idx)
                    made += 1
    return made


def _deletions(ctx: Context, rng: np.random.Generator, rnd: random.Random) -> int:
    log, share = ctx.log, ctx.cfg.world.delete_share
    n = 0
    for i in range(len(log)):
        if log.plat[i] != BSKY or not (log.kind[i] in AUTHORED or log.kind[i] in (REPOST, LIKE)):
            continue
        if ctx.world.accounts[log.actor[i]].role not in PEOPLE_ROLES or rnd.random() >= share:
            continue
        t = log.t[i] + int(rng.lognormal(np.log(3 * US_PER_HOUR), 1.2))
        if ctx.in_window(t):
            log.add(t, BSKY, DELETE, log.actor[i], i)
            n += 1
    return n
