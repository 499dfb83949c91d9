"""Cross-platform personas: one operator runs the same persona on X and Bluesky at once, posting the
same material on both within minutes, on an office schedule.
"""

from __future__ import annotations

from kagami.sim.campaigns.base import mark, office_times, size
from kagami.sim.clock import US_PER_DAY, US_PER_S
from kagami.sim.config import CrossPlatformConfig
from kagami.sim.context import Context
from kagami.sim.events import BSKY, X
from kagami.sim.lexicon.claims import CLAIMS, OBSCURE_TAGS, RING_QUOTES
from kagami.sim.markup import tag

STANCES = (
    "{claim}。{call}",
    "{claim}って本当なの？誰も説明しない",
    "今回の選挙、{call}",
    "{claim}。もう黙っていられない",
)


def run(ctx: Context, cfg: CrossPlatformConfig) -> None:
    rng, rnd, gen = ctx.stream(cfg.id)
    fac = ctx.factory(rnd)
    personas = []
    for _ in range(size(ctx, cfg)):
        _handle, name = fac.person_handle(), fac.person_name()
        age = rnd.uniform(*cfg.age_days)
        created = ctx.window.start_us - int(age * US_PER_DAY)
        pair = []
        for plat in (X, BSKY):
            acc = fac.mass(
                plat,
                created + int(rnd.uniform(0, 2) * US_PER_DAY),
                default_avatar=rnd.random() < cfg.default_avatar,
            )
            acc.name, acc.description = (
                name,
                rnd.choice(("日本の未来を考える", "普通の会社員。政治に目覚めました", "")),
            )
            acc.followers = int(rnd.uniform(50, 900))
            pair.append(mark(acc, cfg, "persona"))
        pair[0].twin, pair[1].twin = pair[1].idx, pair[0].idx
        pair[0].person = pair[1].person = ctx.world.new_person()
        personas.append(pair)
    n = rng.poisson(cfg.posts_per_day * ctx.cfg.world.days * len(personas))
    for t in office_times(ctx, cfg, rng, n):
        pair = personas[rnd.randrange(len(personas))]
        if rnd.random() < cfg.filler_share:
            text = gen.post(rnd.choice(("daily", "food", "weather", "election")), t, link_p=0.0)
        else:
            claim = rnd.choice(CLAIMS)
            text = rnd.choice(STANCES).format(claim=rnd.choice(claim.phrasings), call=rnd.choice(RING_QUOTES))
            text += " " + tag(rnd.choice(claim.tags + OBSCURE_TAGS))
        first = rnd.randrange(2)
        lag = int(rnd.uniform(5, cfg.jitter_s) * US_PER_S)
        for k, acc in enumerate((pair[first], pair[1 - first])):
            at = t + k * lag
            if ctx.in_window(at):
                ctx.log.post(at, acc.platform, acc.idx, text)
