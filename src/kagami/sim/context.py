"""What every generator works with: the config, the window, the world, the event log, and its own
independent random streams (so that changing one campaign never reshuffles the organic world).

>>> from kagami.sim.config import SimConfig
>>> ctx = Context.create(SimConfig(seed=5, scale=0.01))
>>> a, _, _ = ctx.stream("fandom"); b, _, _ = ctx.stream("fandom")
>>> float(a.random()) == float(b.random())
True
>>> float(ctx.rhythm(0).max())
1.0
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

import numpy as np

from kagami.sim.clock import Window, human_weights, office_weights, surge
from kagami.sim.config import SimConfig
from kagami.sim.events import EventLog
from kagami.sim.text import TextGen
from kagami.sim.world import AccountFactory, World


@dataclass(slots=True)
class Context:
    """The shared state of one simulation run."""

    cfg: SimConfig
    window: Window
    world: World
    log: EventLog
    night_us: int
    _rhythms: dict[tuple[str, int, int, int], np.ndarray] = field(default_factory=dict)

    @classmethod
    def create(cls, cfg: SimConfig) -> Context:
        w = cfg.world
        window = Window.from_iso(w.start, w.days)
        night = Window.from_iso(w.election_night, 1).start_us
        return cls(cfg, window, World(window, cfg.seed), EventLog(), night)

    def stream(self, name: str) -> tuple[np.random.Generator, random.Random, TextGen]:
        """A numpy generator, a scalar generator and a text generator, all seeded by (seed, name)."""
        key = zlib.crc32(name.encode())
        ss = np.random.SeedSequence([self.cfg.seed & 0xFFFFFFFF, key])
        rnd = random.Random(int(ss.generate_state(2, np.uint64)[0]))
        return np.random.default_rng(ss), rnd, TextGen(rnd)

    def factory(self, rnd: random.Random) -> AccountFactory:
        return AccountFactory(self.world, rnd)

    def rhythm(self, shift: int = 0) -> np.ndarray:
        """A Japanese resident's hourly weights (shifted), with the election-night surge; max 1."""
        key = ("jst", shift, 0, 0)
        if key not in self._rhythms:
            w = surge(
                self.window, human_weights(self.window, shift), self.night_us, 5, self.cfg.world.surge_factor
            )
            self._rhythms[key] = w / w.max()
        return self._rhythms[key]

    def office(self, utc_offset_h: int, hours: tuple[int, int]) -> np.ndarray:
        """A foreign office's working hours (weights 0-1)."""
        key = ("office", utc_offset_h, hours[0], hours[1])
        if key not in self._rhythms:
            w = office_weights(self.window, utc_offset_h, hours[0], hours[1])
            self._rhythms[key] = w / max(w.max(), 1e-9)
        return self._rhythms[key]

    def in_window(self, t_us: int) -> bool:
        return self.window.start_us <= t_us < self.window.end_us
