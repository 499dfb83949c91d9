"""Self-exciting repost cascades with human delays, generated a generation at a time for all posts at once.

Each post draws a number of direct reposts (Poisson around its expected reach); each repost in turn
triggers more (a Hawkes-like branching process whose ratio depends on the reposter's reach). Delays are
log-normal, from minutes to days, and thinned by the Japanese daily rhythm so few reposts land at 4 am.
Reposters come mostly from the author's community, weighted by how active they are.

>>> rng = np.random.default_rng(0)
>>> pool = Pool.build(np.arange(10), np.ones(10), np.zeros(10, dtype=np.int64), 1)
>>> sorted(set(pool.sample(rng, np.zeros(200, dtype=np.int64), 0.8).tolist())) == list(range(10))
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kagami.sim.clock import US_PER_HOUR, US_PER_S, Window
from kagami.sim.events import QUOTE, REPOST, EventLog


@dataclass(slots=True)
class Pool:
    """Accounts that may engage, grouped by community, sampled in proportion to a weight."""

    members: np.ndarray  # account indexes sorted by community
    cum: np.ndarray
    lo: np.ndarray  # per community: cumulative weight before its first member
    hi: np.ndarray

    @classmethod
    def build(cls, members: np.ndarray, weights: np.ndarray, community: np.ndarray, communities: int) -> Pool:
        order = np.argsort(community, kind="stable")
        m, w, c = members[order], weights[order].astype(float), community[order]
        cum = np.cumsum(w)
        starts = np.searchsorted(c, np.arange(communities), side="left")
        ends = np.searchsorted(c, np.arange(communities), side="right")
        before = np.concatenate([[0.0], cum])
        return cls(m, cum, before[starts], before[ends])

    def __len__(self) -> int:
        return len(self.members)

    def sample(self, rng: np.random.Generator, community: np.ndarray, local_p: float) -> np.ndarray:
        """One account per entry: from ``community`` with probability ``local_p``, else from anyone."""
        n = len(community)
        if n == 0 or len(self.members) == 0:
            return np.zeros(0, dtype=np.int64)
        c = np.clip(community, 0, len(self.lo) - 1)
        lo, hi = self.lo[c], self.hi[c]
        glob = (rng.random(n) >= local_p) | (hi <= lo)
        lo = np.where(glob, 0.0, lo)
        hi = np.where(glob, self.cum[-1], hi)
        u = lo + rng.random(n) * (hi - lo)
        pos = np.minimum(np.searchsorted(self.cum, u, side="right"), len(self.members) - 1)
        return np.asarray(self.members[pos], dtype=np.int64)


def human_delays(
    rng: np.random.Generator,
    start: np.ndarray,
    median_s: float,
    sigma: float,
    window: Window,
    rhythm: np.ndarray,
    min_s: float = 5.0,
) -> np.ndarray:
    """Times after ``start`` with log-normal delays, thinned by the hourly ``rhythm`` (max 1)."""
    n = len(start)
    out = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    for attempt in range(4):
        d = np.maximum(min_s, np.exp(rng.normal(np.log(median_s), sigma, len(todo))))
        t = start[todo] + (d * US_PER_S).astype(np.int64)
        out[todo] = t
        if attempt == 3:
            break
        h = np.clip((t - window.start_us) // US_PER_HOUR, 0, window.hours - 1)
        todo = todo[rng.random(len(todo)) >= rhythm[h]]
        if len(todo) == 0:
            break
    return out


@dataclass(slots=True)
class Spread:
    """How reposts spread: delay shape, branching, the share written as quotes, and the pool."""

    pool: Pool
    reach: np.ndarray  # per account: how much a repost by it excites further reposts
    community: np.ndarray  # per account
    rhythm: np.ndarray
    window: Window
    branching: float = 0.5
    delay_median_s: float = 2400.0
    delay_sigma: float = 1.9
    local_p: float = 0.75
    quote_share: float = 0.08
    max_generations: int = 12


def cascade(
    log: EventLog,
    rng: np.random.Generator,
    spread: Spread,
    plat: int,
    roots: np.ndarray,
    m0: np.ndarray,
    quote_text: Callable[[], str],
) -> int:
    """Grow cascades under every root post (event indexes) with expected direct reposts ``m0``."""
    if len(roots) == 0:
        return 0
    roots = roots.astype(np.int64)
    r_actor = np.fromiter((log.actor[r] for r in roots), dtype=np.int64, count=len(roots))
    r_comm = spread.community[r_actor]
    seen: set[tuple[int, int]] = {(int(r), int(a)) for r, a in zip(roots, r_actor, strict=True)}
    f_pos = np.arange(len(roots))
    f_t = np.fromiter((log.t[r] for r in roots), dtype=np.int64, count=len(roots))
    f_m = m0.astype(float)
    made = 0
    for _ in range(spread.max_generations):
        k = rng.poisson(np.minimum(f_m, 200.0))
        if k.sum() == 0:
            break
        c_pos = np.repeat(f_pos, k)
        c_t = human_delays(
            rng, np.repeat(f_t, k), spread.delay_median_s, spread.delay_sigma, spread.window, spread.rhythm
        )
        c_actor = spread.pool.sample(rng, r_comm[c_pos], spread.local_p)
        is_quote = rng.random(len(c_pos)) < spread.quote_share
        noise = rng.lognormal(0.0, 0.6, len(c_pos))
        keep = []
        for i in range(len(c_pos)):
            key = (int(roots[c_pos[i]]), int(c_actor[i]))
            if c_t[i] >= spread.window.end_us or key in seen:
                continue
            seen.add(key)
            keep.append(i)
            if is_quote[i]:
                log.post(int(c_t[i]), plat, key[1], quote_text(), QUOTE, key[0])
            else:
                log.add(int(c_t[i]), plat, REPOST, key[1], key[0])
        made += len(keep)
        sel = np.array(keep, dtype=np.int64)
        if len(sel) == 0:
            break
        f_pos, f_t = c_pos[sel], c_t[sel]
        f_m = spread.branching * spread.reach[c_actor[sel]] * noise[sel]
    return made
