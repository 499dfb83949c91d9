"""Settings of the co-action layers: one :class:`LayerConfig` per layer, gathered in :class:`CoactionConfig`.

Why the defaults are what they are (all can be changed per run):

==========  ========  ====  ==================================================================================
layer       window    reps  why
==========  ========  ====  ==================================================================================
repost      60 s      2     a repost is one click: amplification rings act within seconds to a minute of each
                            other (the toolkit's documented 60 s); two shared targets is the least that can
                            be a pattern, and significance, not this floor, decides what matters
quote       30 min    2     a quote needs typing, and a quote flood is spread over the hour after its
                            target (CopyCatch's band, as lockstep uses); the target's popularity is in the
                            null model
reply       300 s     2     replies are written too
like        60 s      3     likes are the cheapest and most plentiful action; chance co-likes are common, so
                            one more repetition is asked for
link        600 s     2     link posts are composed, and operators post the same article over minutes
hashtag     600 s     3     hashtags are topical: ordinary users share them by the thousand, so only
                            distinctive tags count (used by at most ``hashtag_max_accounts`` accounts)
                            and three repetitions are asked for
text        1 day     2     identical normalised text (copy-paste) is rare by chance; it is replaced by the
                            near-duplicate clusters of the content detector when those exist. Copy-paste
                            campaigns are pasted over hours, and a cluster is itself rare, so the window is
                            long; a cluster posted more than ``cap`` (100) times in a day (a crowd reacting to
                            an earthquake) is not paired, at any scale (copy-paste at scale is the lockstep
                            pass's: a relative cap here cost 20M pair-targets for 272 edges at scale 10)
link_rare   30 days   2     low-and-slow operations share the same obscure URLs hours or days apart; only URLs
                            shared at most ``cap`` (60) times in the whole window are paired, so two
                            accounts meeting on two rare URLs at any time count, popular ones never do
domain      1 day     3     a network promoting the same outlets (state media, a fake-news site) shares their
                            articles, not one URL: the target is (registered domain, day), so repetition is
                            counted in outlet-days; outlets shared more than ``cap`` (100) times in a day
                            are mainstream and never paired; three outlet-days are asked for
hashtag_day 1 day     3     distinctive tags as above, per (tag, day): personas and low-and-slow networks use
                            their tags day after day, hours apart; three tag-days are asked for
==========  ========  ====  ==================================================================================

``viral_cap`` bounds pair generation: a (target, time bucket) with more events than this is not paired
(see :mod:`kagami.detect.coaction`). ``quantile_window`` (e.g. 0.1) replaces a layer's fixed window by
that quantile of its time-to-share distribution, as CooRnet does.

>>> cfg = CoactionConfig()
>>> cfg.layer("repost").window_s, cfg.layer("like").min_repetitions
(60.0, 3)
>>> cfg.with_layer("repost", window_s=30.0).layer("repost").window_s
30.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

#: Every layer, in the order they are built.
LAYERS = ("repost", "quote", "reply", "like", "link", "hashtag", "text", "link_rare", "domain", "hashtag_day")

#: Layers that reuse another layer's events with other settings.
EVENTS_OF = {"link_rare": "link", "hashtag_day": "hashtag"}


@dataclass(frozen=True, slots=True)
class LayerConfig:
    """One layer: its time window (seconds, inclusive), minimum shared targets, and switches."""

    name: str
    window_s: float
    min_repetitions: int = 2
    enabled: bool = True
    quantile_window: float | None = None
    cap: int | None = None  # this layer's own viral cap (events per target and bucket), else the shared one
    scale_cap: bool = True  # the own cap grows with the accounts active in the layer (cap_reference_accounts)

    def __post_init__(self) -> None:
        if self.name not in LAYERS:
            raise ValueError(f"unknown co-action layer {self.name!r}; known: {', '.join(LAYERS)}")
        if self.window_s < 0:
            raise ValueError(f"{self.name}: window_s must be >= 0, not {self.window_s}")
        if self.min_repetitions < 1:
            raise ValueError(f"{self.name}: min_repetitions must be >= 1, not {self.min_repetitions}")
        if self.quantile_window is not None and not 0.0 < self.quantile_window < 1.0:
            raise ValueError(f"{self.name}: quantile_window must be in (0, 1), not {self.quantile_window}")


def _defaults() -> dict[str, LayerConfig]:
    return {
        "repost": LayerConfig("repost", 60.0, 2),
        "quote": LayerConfig("quote", 1800.0, 2),
        "reply": LayerConfig("reply", 300.0, 2),
        "like": LayerConfig("like", 60.0, 3),
        "link": LayerConfig("link", 600.0, 2),
        "hashtag": LayerConfig("hashtag", 600.0, 3),
        "text": LayerConfig("text", 86_400.0, 2, cap=100, scale_cap=False),
        "link_rare": LayerConfig("link_rare", 30 * 86_400.0, 2, cap=60),
        "domain": LayerConfig("domain", 86_400.0, 3, cap=100),
        "hashtag_day": LayerConfig("hashtag_day", 86_400.0, 3, cap=100),
    }


@dataclass(frozen=True, slots=True)
class CoactionConfig:
    """All layers plus the settings they share.

    ``viral_cap``: events of one target in one time bucket above which that bucket is not paired.
    ``evidence``: how many of a pair's closest co-actions are kept on its edge.
    ``hashtag_max_accounts``: a hashtag used by more distinct accounts is not distinctive.
    ``text_min_chars``: shorter normalised texts ("ok", "草") are not copy-paste evidence.
    ``cap_reference_accounts``: a layer's own ``cap`` holds for this many accounts active in the layer and
    grows in proportion above it (None: absolute caps).
    """

    layers: dict[str, LayerConfig] = field(default_factory=_defaults)
    viral_cap: int = 500
    evidence: int = 20
    hashtag_max_accounts: int = 500
    text_min_chars: int = 20
    cap_reference_accounts: int | None = 20_000

    def layer(self, name: str) -> LayerConfig:
        if name not in self.layers:
            raise KeyError(f"no co-action layer {name!r}; configured: {', '.join(self.layers)}")
        return self.layers[name]

    def cap_for(self, layer: LayerConfig, accounts: int) -> int:
        """The events per (target, bucket) above which ``layer`` does not pair: ``viral_cap``, or the layer's
        own cap per ``cap_reference_accounts`` accounts active in the layer, never below that cap (rarity is
        relative: a URL 60 of 20,000 link sharers post is rare, and so is one 600 of 200,000 post).

        >>> cfg = CoactionConfig()
        >>> cfg.cap_for(cfg.layer("link_rare"), 7_000), cfg.cap_for(cfg.layer("link_rare"), 70_000)
        (60, 210)
        >>> cfg.cap_for(cfg.layer("repost"), 70_000), cfg.cap_for(cfg.layer("text"), 170_000)
        (500, 100)
        """
        if layer.cap is None:
            return self.viral_cap
        if self.cap_reference_accounts is None or not layer.scale_cap:
            return layer.cap
        return max(layer.cap, math.ceil(layer.cap * accounts / self.cap_reference_accounts))

    def enabled(self) -> list[LayerConfig]:
        return [self.layers[n] for n in LAYERS if n in self.layers and self.layers[n].enabled]

    def with_layer(self, name: str, **changes: Any) -> CoactionConfig:
        """A copy with one layer's settings changed."""
        layers = dict(self.layers)
        layers[name] = replace(self.layer(name), **changes)
        return replace(self, layers=layers)

    def only(self, *names: str) -> CoactionConfig:
        """A copy with only the named layers enabled."""
        layers = {n: replace(c, enabled=n in names) for n, c in self.layers.items()}
        return replace(self, layers=layers)
