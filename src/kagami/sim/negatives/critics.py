"""Ordinary critics who often quote the same politician, in their own words, minutes to hours later
(label ``critic``). Many accounts quoting one person's posts is not a campaign.
"""

from __future__ import annotations

import numpy as np

from kagami.sim.clock import US_PER_S
from kagami.sim.context import Context
from kagami.sim.events import POST, QUOTE
from kagami.sim.lexicon.common import SHARED
from kagami.sim.organic import people

CRITIQUES = (
    "また言ってることが変わってる",
    "財源の説明がないまま{issue}を語るのはどうなのか",
    "これ、前回の公約と矛盾してませんか",
    "具体策がないのが問題",
    "数字の根拠を示してほしい",
    "{issue}の話をするなら、まず過去の実績を説明して",
    "きれいな言葉だけど中身がない",
    "有権者は覚えてますよ",
    "この人の{issue}の主張、毎回ふわっとしてる",
    "質問にちゃんと答えてほしい",
    "現場を知らない人の言葉に聞こえる",
    "それ、去年は反対してませんでした？",
)


def run(ctx: Context) -> None:
    cfg = ctx.cfg.critics
    _, rnd, gen = ctx.stream("critics")
    critics = people(ctx, ctx.cfg.scaled(cfg.critics, 10), "critic", "critic")
    log = ctx.log
    cands = [a for a in ctx.world.accounts if a.role == "candidate"]
    posts_of: dict[int, list[int]] = {a.idx: [] for a in cands}
    for i in range(len(log)):
        if log.kind[i] == POST and log.actor[i] in posts_of:
            posts_of[log.actor[i]].append(i)
    for c in critics:
        acc = ctx.world.accounts[c]
        mine = [a for a in cands if a.platform == acc.platform]
        if not mine:
            continue
        # most critics follow the best-known candidate of the first party
        focus = mine[1] if len(mine) > 1 and rnd.random() < 0.6 else rnd.choice(mine)
        for p in posts_of[focus.idx]:
            if rnd.random() >= cfg.quote_p:
                continue
            t = log.t[p] + int(rnd.lognormvariate(np.log(cfg.delay_median_s), 1.1) * US_PER_S)
            if ctx.in_window(t):
                log.post(
                    t, acc.platform, c, gen.fill(rnd.choice(CRITIQUES), {"issue": SHARED["issue"]}), QUOTE, p
                )
