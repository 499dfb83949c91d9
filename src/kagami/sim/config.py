"""Parameters of the simulated world, its hard negatives and its campaigns, and the named configurations.

Sizes are for scale 1 and scale linearly (never below a campaign's ``min_size``). ``DEV`` is what
detectors are built and tuned on; ``HELD_OUT`` (seeds 9001-9010, parameters drawn per seed from
:data:`HELD_OUT_RANGES`) is never used for tuning, only for reporting quality.

>>> cfg = named("dev", seed=3, scale=0.05)
>>> [c.id for c in cfg.campaigns]
['ring-1', 'copypasta-1', 'quoteflood-1', 'statemedia-1', 'lowslow-1', 'crossplatform-1']
>>> apply_overrides(cfg, ["ring.participation=0.4", "world.days=10"]).campaigns[0].participation
0.4
>>> named("held-out", 9001, 1.0).campaigns[0].participation != cfg.campaigns[0].participation
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True, slots=True)
class WorldConfig:
    """The organic population and the period simulated (the 2025 upper-house campaign, by default)."""

    start: str = "2025-07-03T00:00:00+09:00"  # 公示日
    days: int = 19
    election_night: str = "2025-07-20T20:00:00+09:00"
    people: int = 18_000  # organic people; some hold accounts on both platforms
    share_x_only: float = 0.66
    share_bsky_only: float = 0.22
    posts_per_day: float = 0.1  # median originals per person-day; log-normal across people
    activity_sigma: float = 1.2
    repost_mean: float = 0.22  # expected direct reposts of a typical post
    branching: float = 0.4  # expected reposts each repost triggers (self-excitation)
    quote_share: float = 0.09
    reply_rate: float = 0.12
    like_ratio: float = 1.0  # Bluesky likes per repost
    follows_per_account: float = 1.6
    delete_share: float = 0.02
    crosspost_share: float = 0.3  # people on both platforms who cross-post
    surge_factor: float = 3.5  # election night
    communities: int = 24


@dataclass(frozen=True, slots=True)
class FandomConfig:
    """Fans who repost and like their idol within seconds, every time (label ``fandom``)."""

    fans: int = 300
    idols: int = 2
    idol_posts_per_day: float = 2.5
    participation: float = 0.85
    delay_median_s: float = 6.0
    delay_max_s: float = 90.0


@dataclass(frozen=True, slots=True)
class NewsBotConfig:
    """Scheduled automation: news headlines, weather forecasts, earthquake alerts (label ``news_bot``)."""

    news_bots: int = 5
    news_interval_min: int = 30
    weather_bots: int = 3
    weather_hours: tuple[int, ...] = (5, 11, 17)
    quake_bots: int = 1
    minor_quakes_per_day: float = 1.5
    jitter_s: float = 20.0


@dataclass(frozen=True, slots=True)
class PartyConfig:
    """Parties' official accounts, candidates and volunteers sharing the same material (label ``party``)."""

    parties: int = 3
    officials: int = 2
    candidates: int = 4
    volunteers: int = 40
    releases_per_day: float = 3.0
    participation: float = 0.55
    delay_median_s: float = 300.0


@dataclass(frozen=True, slots=True)
class BreakingNewsConfig:
    """An earthquake: thousands of ordinary people post one hashtag within minutes (``breaking_news``)."""

    witnesses: int = 2000
    at: str = "2025-07-09T14:37:12+09:00"
    region: str = "千葉県北西部"
    window_min: float = 25.0
    participation: float = 0.9


@dataclass(frozen=True, slots=True)
class CriticConfig:
    """Ordinary critics who often quote the same politician (label ``critic``)."""

    critics: int = 150
    quote_p: float = 0.12
    delay_median_s: float = 2400.0


@dataclass(frozen=True, slots=True)
class CampaignConfig:
    """What every campaign has: size, participation, timing jitter, filler, account ages, platforms."""

    kind: ClassVar[str] = ""
    id: str = ""
    size: int = 100
    min_size: int = 10
    participation: float = 0.7
    jitter_s: float = 60.0
    filler_share: float = 0.3
    age_days: tuple[int, int] = (30, 120)
    default_avatar: float = 0.7
    platforms: tuple[str, ...] = ("x",)
    utc_offset_h: int = 8
    office_hours: tuple[int, int] = (9, 18)
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class RingConfig(CampaignConfig):
    """Repost/quote ring: accounts created in waves amplify seed accounts within seconds to minutes."""

    kind: ClassVar[str] = "ring"
    size: int = 120
    seeds: int = 4
    waves: int = 3
    wave_spread_days: float = 2.0
    seed_posts_per_day: float = 3.0
    delay_max_s: float = 900.0
    quote_share: float = 0.15
    age_days: tuple[int, int] = (20, 110)


@dataclass(frozen=True, slots=True)
class CopypastaConfig(CampaignConfig):
    """Paraphrased copies of a false claim with links to look-alike news domains, over hours."""

    kind: ClassVar[str] = "copypasta"
    size: int = 80
    claim: str = "ballots"
    bursts: int = 4
    burst_hours: float = 6.0
    lookalike_share: float = 0.75
    paraphrase: float = 0.5
    jitter_s: float = 21600.0
    platforms: tuple[str, ...] = ("x", "bsky")
    age_days: tuple[int, int] = (60, 400)
    default_avatar: float = 0.4


@dataclass(frozen=True, slots=True)
class QuoteFloodConfig(CampaignConfig):
    """Young accounts flooding a target politician's posts with hostile quotes, and liking each other."""

    kind: ClassVar[str] = "quoteflood"
    size: int = 100
    target: int = 1  # which candidate of the first party is targeted
    floods: int = 6
    jitter_s: float = 1200.0
    like_p: float = 0.3
    participation: float = 0.6
    age_days: tuple[int, int] = (3, 40)
    platforms: tuple[str, ...] = ("x", "bsky")


@dataclass(frozen=True, slots=True)
class StateMediaConfig(CampaignConfig):
    """State-media laundering: links to state-affiliated Japanese services with leaky commentary."""

    kind: ClassVar[str] = "statemedia"
    size: int = 30
    min_size: int = 6
    posts_per_day: float = 1.5
    leak_rate: float = 0.5
    age_days: tuple[int, int] = (200, 1500)
    default_avatar: float = 0.3
    platforms: tuple[str, ...] = ("x", "bsky")


@dataclass(frozen=True, slots=True)
class LowSlowConfig(CampaignConfig):
    """Aged, normal-looking accounts whose only coordination is sharing obscure URLs and tags hours apart."""

    kind: ClassVar[str] = "lowslow"
    size: int = 40
    min_size: int = 8
    urls: int = 8
    participation: float = 0.5
    gap_hours: tuple[int, int] = (2, 20)
    filler_share: float = 0.85
    age_days: tuple[int, int] = (900, 4000)
    default_avatar: float = 0.0
    platforms: tuple[str, ...] = ("x",)


@dataclass(frozen=True, slots=True)
class CrossPlatformConfig(CampaignConfig):
    """Personas run on X and Bluesky at once, posting the same material on both within minutes."""

    kind: ClassVar[str] = "crossplatform"
    size: int = 25
    min_size: int = 6
    posts_per_day: float = 2.0
    jitter_s: float = 300.0
    age_days: tuple[int, int] = (60, 300)
    default_avatar: float = 0.2
    platforms: tuple[str, ...] = ("x", "bsky")


CAMPAIGN_KINDS: dict[str, type[CampaignConfig]] = {
    c.kind: c
    for c in (
        RingConfig,
        CopypastaConfig,
        QuoteFloodConfig,
        StateMediaConfig,
        LowSlowConfig,
        CrossPlatformConfig,
    )
}


def _default_campaigns() -> tuple[CampaignConfig, ...]:
    return tuple(cls(id=f"{kind}-1") for kind, cls in CAMPAIGN_KINDS.items())


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Everything that determines a simulated world: same config, same bytes."""

    seed: int = 1
    scale: float = 1.0
    name: str = "dev"
    world: WorldConfig = field(default_factory=WorldConfig)
    fandom: FandomConfig = field(default_factory=FandomConfig)
    news_bots: NewsBotConfig = field(default_factory=NewsBotConfig)
    party: PartyConfig = field(default_factory=PartyConfig)
    breaking_news: BreakingNewsConfig = field(default_factory=BreakingNewsConfig)
    critics: CriticConfig = field(default_factory=CriticConfig)
    campaigns: tuple[CampaignConfig, ...] = field(default_factory=_default_campaigns)

    def scaled(self, n: float, minimum: int = 1) -> int:
        """A scale-1 count at this scale, never below ``minimum``."""
        return max(minimum, round(n * self.scale))


SECTIONS = ("world", "fandom", "news_bots", "party", "breaking_news", "critics")
DEV_SEEDS = range(0, 9000)
HELD_OUT_SEEDS = tuple(range(9001, 9011))
#: Parameter ranges, by ``section.param``: (low, high).
Ranges = dict[str, tuple[float, float]]
#: Held-out parameter ranges: each held-out seed draws every one of these uniformly.
HELD_OUT_RANGES: Ranges = {
    "ring.size": (50, 150),
    "ring.participation": (0.3, 0.65),
    "ring.jitter_s": (120, 900),
    "ring.delay_max_s": (1800, 5400),
    "ring.filler_share": (0.5, 0.85),
    "ring.default_avatar": (0.15, 0.5),
    "ring.wave_spread_days": (6, 25),
    "ring.utc_offset_h": (3, 8),
    "copypasta.size": (40, 100),
    "copypasta.paraphrase": (0.65, 0.95),
    "copypasta.burst_hours": (12, 48),
    "copypasta.lookalike_share": (0.3, 0.6),
    "quoteflood.participation": (0.2, 0.5),
    "quoteflood.jitter_s": (3600, 10800),
    "quoteflood.filler_share": (0.4, 0.8),
    "statemedia.leak_rate": (0.08, 0.3),
    "statemedia.filler_share": (0.4, 0.7),
    "lowslow.participation": (0.25, 0.45),
    "lowslow.size": (20, 50),
    "crossplatform.jitter_s": (1200, 5400),
    "crossplatform.filler_share": (0.4, 0.7),
    "fandom.delay_median_s": (3, 20),
    "party.participation": (0.4, 0.8),
    "breaking_news.witnesses": (1000, 3000),
}


def _coerce(text: str, current: Any) -> Any:
    if isinstance(current, bool):
        if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(f"expected true or false, got {text!r}")
        return text.lower() in ("true", "1", "yes")
    if isinstance(current, int):
        return round(float(text))
    if isinstance(current, float):
        return float(text)
    if isinstance(current, tuple):
        items = [s.strip() for s in text.split(",") if s.strip()]
        return tuple(_coerce(s, current[0]) if current else s for s in items)
    return text


def _set(obj: Any, name: str, text: str) -> Any:
    known = {f.name for f in fields(obj)}
    if name not in known:
        raise ValueError(f"{type(obj).__name__} has no parameter {name!r}; known: {', '.join(sorted(known))}")
    return replace(obj, **{name: _coerce(text, getattr(obj, name))})


def apply_overrides(cfg: SimConfig, overrides: list[str] | tuple[str, ...]) -> SimConfig:
    """Apply ``section.param=value`` settings: a section (``world``, ``fandom`` …), a campaign kind
    (``ring``: every ring) or a campaign id (``ring-1``)."""
    for item in overrides:
        key, sep, value = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot:
            raise ValueError(f"expected section.param=value, got {item!r}")
        if section in SECTIONS:
            cfg = replace(cfg, **{section: _set(getattr(cfg, section), name, value.strip())})
            continue
        hits = [c for c in cfg.campaigns if section in (c.kind, c.id)]
        if not hits:
            raise ValueError(f"no section or campaign {section!r}")
        cfg = replace(
            cfg, campaigns=tuple(_set(c, name, value.strip()) if c in hits else c for c in cfg.campaigns)
        )
    return cfg


#: Development ranges (``dev-wide``, dev seeds only): every campaign drawn from a range that spans the dev
#: defaults and looser or harsher settings, so that tuning is not tuning to one parameter point. Chosen
#: knowing that held-out worlds vary the same knobs; held-out seeds stay unseen.
DEV_WIDE_RANGES: Ranges = {
    "ring.size": (60, 160),
    "ring.participation": (0.25, 0.75),
    "ring.jitter_s": (60, 1200),
    "ring.delay_max_s": (900, 7200),
    "ring.filler_share": (0.3, 0.9),
    "ring.wave_spread_days": (2, 30),
    "ring.utc_offset_h": (2, 9),
    "copypasta.size": (30, 110),
    "copypasta.paraphrase": (0.5, 1.0),
    "copypasta.burst_hours": (6, 60),
    "copypasta.lookalike_share": (0.2, 0.8),
    "quoteflood.participation": (0.15, 0.6),
    "quoteflood.jitter_s": (1200, 14400),
    "quoteflood.filler_share": (0.3, 0.9),
    "statemedia.leak_rate": (0.05, 0.5),
    "statemedia.filler_share": (0.3, 0.8),
    "lowslow.participation": (0.2, 0.5),
    "lowslow.size": (15, 60),
    "crossplatform.posts_per_day": (0.7, 2.5),
    "crossplatform.jitter_s": (300, 7200),
    "crossplatform.filler_share": (0.3, 0.8),
    "fandom.delay_median_s": (2, 30),
    "party.participation": (0.3, 0.9),
    "breaking_news.witnesses": (800, 3500),
}


def _drawn(name: str, seed: int, scale: float, ranges: Ranges, salt: int) -> SimConfig:
    """Configuration ``name`` of ``seed``, every parameter of ``ranges`` drawn uniformly (reproducibly)."""
    rng = np.random.default_rng([seed, salt])
    sets = [f"{k}={rng.uniform(lo, hi)}" for k, (lo, hi) in ranges.items()]
    return apply_overrides(SimConfig(seed=seed, scale=scale, name=name), sets)


def dev_wide(seed: int, scale: float = 1.0) -> SimConfig:
    """A development world with every parameter of :data:`DEV_WIDE_RANGES` drawn anew (dev seeds only)."""
    if seed in HELD_OUT_SEEDS:
        raise ValueError(f"seed {seed} is held out; dev-wide takes dev seeds")
    return _drawn("dev-wide", seed, scale, DEV_WIDE_RANGES, 0x44455657)


def held_out(seed: int, scale: float = 1.0) -> SimConfig:
    """The held-out configuration of ``seed``: every parameter of :data:`HELD_OUT_RANGES` drawn anew."""
    return _drawn("held-out", seed, scale, HELD_OUT_RANGES, 0x4B474D49)


def named(name: str, seed: int, scale: float = 1.0) -> SimConfig:
    """``dev`` (defaults, for building and tuning), ``dev-wide`` (dev seeds, parameters drawn per seed)
    or ``held-out`` (never tuned on)."""
    if name == "dev":
        return SimConfig(seed=seed, scale=scale, name="dev")
    if name == "dev-wide":
        return dev_wide(seed, scale)
    if name in ("held-out", "held_out", "heldout"):
        return held_out(seed, scale)
    raise ValueError(f"unknown configuration {name!r}: dev, dev-wide or held-out")
