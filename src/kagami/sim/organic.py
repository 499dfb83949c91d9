"""The organic population: ordinary people on X, on Bluesky or on both, and the posts they write.

Activity is heavy-tailed (log-normal posts per day), timed by the JST daily and weekly rhythm with a
personal shift, and surges on election night. Topics follow each person's interests. Some people with
accounts on both platforms cross-post the same text within minutes: honest cross-platform twins.

>>> from kagami.sim.config import SimConfig, apply_overrides
>>> ctx = Context.create(apply_overrides(SimConfig(seed=2, scale=0.01), ["world.people=5000"]))
>>> ids = people(ctx); n = originals(ctx)
>>> len(ctx.world.accounts) > 50, n > 50
(True, True)
"""

from __future__ import annotations

import numpy as np

from kagami.sim.clock import US_PER_S, sample_times
from kagami.sim.context import Context
from kagami.sim.events import BSKY, POST, X
from kagami.sim.text import TOPIC_NAMES

#: How likely a person is to care about a topic in an election summer.
TOPIC_WEIGHTS = {
    "election": 2.0,
    "prices": 1.5,
    "rice": 1.2,
    "tax": 1.0,
    "pension": 0.8,
    "immigration": 0.8,
    "daily": 2.5,
    "weather": 1.5,
    "food": 1.2,
    "work": 1.0,
    "family": 0.8,
    "travel": 0.6,
    "sports": 1.0,
    "anime": 1.0,
    "games": 0.8,
    "music": 0.8,
}
#: Labels whose accounts live ordinary lives besides what makes them special.
PUBLIC = ("organic", "breaking_news", "fandom", "critic", "party")
#: Roles of people (as opposed to official, idol or bot accounts) among them.
PEOPLE_ROLES = ("member", "fan", "witness", "critic", "volunteer")
INTEREST_TOPICS = tuple(t for t in TOPIC_NAMES if t in TOPIC_WEIGHTS)


def people(
    ctx: Context, n: int | None = None, label: str = "organic", role: str = "member", stream: str = ""
) -> list[int]:
    """Create ``n`` people (default: the scaled organic population); return their account indexes."""
    w = ctx.cfg.world
    rng, rnd, _ = ctx.stream(stream or f"people:{label}:{role}")
    fac = ctx.factory(rnd)
    n = ctx.cfg.scaled(w.people, 20) if n is None else n
    weights = np.array([TOPIC_WEIGHTS[t] for t in INTEREST_TOPICS])
    weights /= weights.sum()
    rates = rng.lognormal(np.log(w.posts_per_day), w.activity_sigma, n)
    shifts = np.clip(np.round(rng.normal(0, 1.3, n)), -3, 3).astype(int)
    ages = rng.choice(np.array([40, 200, 500, 1100, 1900, 2800, 3900, 5000]), n) * rng.uniform(0.6, 1.4, n)
    made: list[int] = []
    for i in range(n):
        u = rnd.random()
        on = (X,) if u < w.share_x_only else (BSKY,) if u < w.share_x_only + w.share_bsky_only else (X, BSKY)
        topics = tuple(rng.choice(INTEREST_TOPICS, 3, replace=False, p=weights).tolist())
        community = (INTEREST_TOPICS.index(topics[0]) * 3 + rnd.randrange(3)) % w.communities
        person = ctx.world.new_person()
        handle, name = fac.person_handle(), fac.person_name()
        accs = []
        for plat in on:
            age = float(ages[i]) if plat == X else min(float(ages[i]), rnd.uniform(20, 900))
            a = fac.person(plat, age, handle=handle, name=name)
            a.label, a.role, a.person, a.topics, a.community = label, role, person, topics, community
            a.rate, a.shift = float(rates[i]) * (0.8 if plat == BSKY else 1.0), int(shifts[i])
            accs.append(a)
            made.append(a.idx)
        if len(accs) == 2:
            accs[0].twin, accs[1].twin = accs[1].idx, accs[0].idx
            accs[0].followers = max(accs[0].followers, accs[1].followers)
    return made


def originals(ctx: Context, accounts: list[int] | None = None, stream: str = "originals") -> int:
    """Write the original posts of people (default: every organic account); return how many."""
    rng, rnd, gen = ctx.stream(stream)
    world, log, days = ctx.world, ctx.log, ctx.cfg.world.days
    accs = [world.accounts[i] for i in (accounts if accounts is not None else _organic(ctx))]
    counts = rng.poisson(np.array([a.rate * days for a in accs]))
    night_end = ctx.night_us + 6 * 3600 * US_PER_S
    crossposters = {a.person for a in accs if a.twin >= 0 and rnd.random() < ctx.cfg.world.crosspost_share}
    made = 0
    for shift in sorted({a.shift for a in accs}):
        group = [i for i, a in enumerate(accs) if a.shift == shift]
        times = sample_times(rng, ctx.rhythm(shift), int(counts[group].sum()), ctx.window)
        rng.shuffle(times)
        pos = 0
        for i in group:
            a = accs[i]
            for t in sorted(times[pos : pos + counts[i]].tolist()):
                topic = a.topics[min(2, int(rnd.expovariate(1.2)))]
                if ctx.night_us <= t < night_end and rnd.random() < 0.6:
                    topic = "election_night"
                text = gen.post(topic, t)
                log.post(t, a.platform, a.idx, text)
                made += 1
                if a.person in crossposters and a.platform == X and rnd.random() < 0.7:
                    lag = int(rnd.uniform(5, 300) * US_PER_S)
                    if ctx.in_window(t + lag):
                        log.post(t + lag, BSKY, a.twin, text, POST)
                        made += 1
            pos += counts[i]
    return made


def _organic(ctx: Context) -> list[int]:
    return [a.idx for a in ctx.world.accounts if a.label in PUBLIC and a.role in PEOPLE_ROLES]
