"""An organic breaking-news burst: a felt earthquake, and thousands of ordinary people posting the same
hashtag within minutes, many reposting the quake bot (label ``breaking_news``).
"""

from __future__ import annotations

import numpy as np

from kagami.sim.clock import US_PER_MIN, US_PER_S, Window
from kagami.sim.context import Context
from kagami.sim.events import REPOST
from kagami.sim.lexicon.common import SHARED
from kagami.sim.markup import tag
from kagami.sim.organic import people

LINES = (
    "揺れた！",
    "地震だ、かなり長かった",
    "{pref}も揺れた",
    "びっくりした…震度いくつ？",
    "結構揺れた{emo}",
    "また地震",
    "縦揺れすごかった",
    "大丈夫ですか？みんな無事？",
    "会社で揺れた、エレベーター止まった",
    "猫がびっくりして隠れた",
    "電車止まった",
    "久しぶりに大きいの来た",
    "スマホの緊急地震速報鳴った",
)


def run(ctx: Context) -> None:
    cfg = ctx.cfg.breaking_news
    rng, rnd, gen = ctx.stream("breaking")
    witnesses = people(ctx, ctx.cfg.scaled(cfg.witnesses, 30), "breaking_news", "witness")
    quake = Window.from_iso(cfg.at, 1).start_us
    log = ctx.log
    # the quake bot's bulletins are written by bots.run; find them to repost
    alerts = {
        log.plat[i]: i
        for i in range(len(log))
        if log.content[i] >= 0
        and quake <= log.t[i] < quake + 5 * US_PER_MIN
        and "【地震情報】" in log.contents[log.content[i]]
    }
    delays = rng.exponential(cfg.window_min / 3, len(witnesses)) * US_PER_MIN
    for acc_idx, d in zip(witnesses, delays.astype(np.int64).tolist(), strict=True):
        if rnd.random() >= cfg.participation:
            continue
        acc = ctx.world.accounts[acc_idx]
        t = quake + int(rnd.uniform(8, 40) * US_PER_S) + d
        if acc.platform in alerts and rnd.random() < 0.3 and t > log.t[alerts[acc.platform]]:
            log.add(t, acc.platform, REPOST, acc_idx, alerts[acc.platform])
            continue
        text = gen.fill(rnd.choice(LINES), {"pref": SHARED["pref"]}) + " " + tag("地震")
        if rnd.random() < 0.2:
            text += " " + tag(rnd.choice(("地震速報", "緊急地震速報")))
        log.post(t, acc.platform, acc_idx, text)
