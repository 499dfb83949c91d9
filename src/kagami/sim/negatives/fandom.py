"""Fans who repost and like their idol within seconds, every time (label ``fandom``).

The timing is as tight as any bot ring's; what differs is everything else: aged accounts, real
profiles, organic lives, an idol who is a real public account.
"""

from __future__ import annotations

import random

import numpy as np

from kagami.sim.clock import US_PER_S, sample_times
from kagami.sim.context import Context
from kagami.sim.events import BSKY, LIKE, QUOTE, REPOST, X
from kagami.sim.markup import link, tag
from kagami.sim.organic import people
from kagami.sim.world import Account

GROUPS = (("ルミナス☆ゲート", "ルミナス", "luminous_gate"), ("STELLA LINE", "ステラ", "stella_line"))
IDOL_POSTS = (
    "今日のリハーサル終わり！明日のライブ楽しみにしててね✨",
    "おやすみなさい🌙 今日もありがとう",
    "ラジオ出演します！今夜{h}時から📻",
    "新曲のMV公開しました！見てね💕",
    "{m}月{d}日のファンミーティング、チケット一般発売は明日12時から！",
    "今日のお昼ごはん🍙 暑いのでみんなも水分補給してね",
    "雑誌の撮影でした📸 発売日をお楽しみに",
    "配信ありがとうございました！アーカイブ残ってます",
)
FAN_LINES = (
    "",
    "",
    "最高！",
    "かわいすぎる💕",
    "待ってました！",
    "絶対見る！",
    "尊い…",
    "いってらっしゃい！",
)


def run(ctx: Context) -> None:
    cfg = ctx.cfg.fandom
    fans = people(ctx, ctx.cfg.scaled(cfg.fans, 12), "fandom", "fan")
    for f in fans:
        ctx.world.accounts[f].topics = ("music", "anime", ctx.world.accounts[f].topics[0])
    for g in range(min(cfg.idols, len(GROUPS))):
        rng, rnd, _ = ctx.stream(f"fandom:{g}")
        name, short, handle = GROUPS[g]
        fac = ctx.factory(rnd)
        idols = [
            fac.bot(p, handle, f"{name}【公式】", f"{name}の公式アカウント", 1400, "Twitter for iPhone")
            for p in (X, BSKY)
        ]
        for a in idols:
            a.label, a.role, a.followers, a.verified = "fandom", "idol", 250_000 // (g + 1), True
        idols[0].twin, idols[1].twin = idols[1].idx, idols[0].idx
        mine = [ctx.world.accounts[f] for f in fans if f % len(GROUPS) == g or len(fans) < 20]
        n = rng.poisson(cfg.idol_posts_per_day * ctx.cfg.world.days)
        for t in sample_times(rng, ctx.rhythm(0), n, ctx.window).tolist():
            text = rnd.choice(IDOL_POSTS).format(h=rnd.randint(20, 23), m=7, d=rnd.randint(20, 31))
            if "MV" in text:
                text += "\n" + link(f"https://www.youtube.com/watch?v={rnd.getrandbits(40):011x}")
            text += " " + tag(short)
            posts = {
                p: ctx.log.post(t + p * int(rnd.uniform(1, 30) * US_PER_S), p, idols[p].idx, text)
                for p in (X, BSKY)
            }
            _swarm(ctx, rng, rnd, mine, posts, short)


def _swarm(
    ctx: Context,
    rng: np.random.Generator,
    rnd: random.Random,
    fans: list[Account],
    posts: dict[int, int],
    short: str,
) -> None:
    """Every participating fan reposts (and on Bluesky likes) within seconds; a few quote with a cheer."""
    cfg, log = ctx.cfg.fandom, ctx.log
    delays = np.minimum(rng.lognormal(np.log(cfg.delay_median_s), 0.8, len(fans)), cfg.delay_max_s)
    for fan, d in zip(fans, delays.tolist(), strict=True):
        if rnd.random() >= cfg.participation:
            continue
        src = posts[fan.platform]
        t = log.t[src] + int(max(1.0, d) * US_PER_S)
        if not ctx.in_window(t):
            continue
        log.add(t, fan.platform, REPOST, fan.idx, src)
        if fan.platform == BSKY and rnd.random() < 0.9:
            log.add(t + int(rnd.uniform(0.5, 4) * US_PER_S), BSKY, LIKE, fan.idx, src)
        if rnd.random() < 0.05:
            log.post(
                t + int(rnd.uniform(5, 60) * US_PER_S),
                fan.platform,
                fan.idx,
                rnd.choice(FAN_LINES) + " " + tag(short),
                QUOTE,
                src,
            )
