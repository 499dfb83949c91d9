"""Benign automation: news, weather and earthquake bots posting on schedules, round the clock
(label ``news_bot``). Inhuman regularity, no hiding, no campaign.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np

from kagami.sim.clock import US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_S, Window
from kagami.sim.context import Context
from kagami.sim.events import BSKY, X
from kagami.sim.lexicon.common import SHARED
from kagami.sim.markup import link, tag
from kagami.sim.text import url_fill

NEWS = (
    ("news_sokuho_jp", "ニュース速報bot", "https://www3.nhk.or.jp/news/html/{ymd}/k1001{n}1000.html"),
    ("jiji_flash_bot", "時事フラッシュ（非公式）", "https://www.jiji.com/jc/article?k={ymd}00{n}&g=soc"),
    ("senkyo_news_bot", "選挙ニュースまとめbot", "https://news.yahoo.co.jp/articles/{h}{h}"),
    ("keizai_headline", "経済ヘッドラインbot", "https://www.nikkei.com/article/DGXZQOUA{h}/"),
    ("chiiki_news_bot", "地域ニュースbot", "https://www.47news.jp/{n}2.html"),
    ("sports_sokuho", "スポーツ速報bot", "https://newsdig.tbs.co.jp/articles/-/{n}"),
)
HEADLINES = (
    "{pref}で住宅火災 けが人なし",
    "{party}、{issue}で新たな公約を発表",
    "日経平均、{updown}{n}円で取引終了",
    "{pref}選挙区 情勢調査で接戦続く",
    "台風{k}号 {pref}に接近のおそれ",
    "円相場 1ドル={yen}円台で推移",
    "{pref}で熱中症疑い {k}人搬送",
    "期日前投票者数、前回を上回るペース",
    "{issue}めぐり党首討論",
    "{pref}の高速道路で事故 一時通行止め",
    "コメ価格 {k}週連続で下落",
    "参院選 各党が最終盤の訴え",
)
SKY = ("晴れ", "晴れ時々くもり", "くもり", "くもり一時雨", "雨", "晴れ のち 雷雨")
QUAKE_REGIONS = (
    "茨城県南部",
    "千葉県東方沖",
    "福島県沖",
    "熊本県熊本地方",
    "宮城県沖",
    "長野県中部",
    "石川県能登地方",
)
SOURCES = ("NewsFeedPoster", "tenki-bot", "quake-alert-jp")


def quake_text(t_us: int, region: str, shindo: str, depth: int, mag: float) -> str:
    """An earthquake bulletin in the style Japanese quake bots post."""
    d = datetime.fromtimestamp(t_us // US_PER_S, UTC) + timedelta(hours=9)
    return (
        f"【地震情報】{d.day}日{d.hour}時{d.minute}分頃、{region}で最大震度{shindo}の地震がありました。"
        f"震源の深さは約{depth}km、地震の規模（マグニチュード）は{mag:.1f}と推定されます。"
        f"この地震による津波の心配はありません。 " + tag("地震")
    )


def _make(
    ctx: Context, handle: str, name: str, bio: str, source: str, plats: tuple[int, ...], role: str
) -> list[int]:
    _, rnd, _ = ctx.stream(f"bot:{handle}")
    out = []
    for p in plats:
        a = ctx.factory(rnd).bot(p, handle, name, bio, rnd.uniform(800, 4000), source)
        a.label, a.role, a.rate = "news_bot", role, 48.0
        out.append(a.idx)
    return out


def run(ctx: Context) -> None:
    cfg, log, w = ctx.cfg.news_bots, ctx.log, ctx.window
    rng, rnd, _ = ctx.stream("bots")
    for i in range(ctx.cfg.scaled(cfg.news_bots, 1)):
        handle, name, pattern = NEWS[i % len(NEWS)]
        for acc in _make(
            ctx, handle, name, f"{name}です。自動投稿。", SOURCES[0], (X,) if i else (X, BSKY), "news"
        ):
            offset = rnd.randrange(0, 60) * US_PER_S
            for t in range(w.start_us + offset, w.end_us, cfg.news_interval_min * US_PER_MIN):
                at = t + int(abs(rng.normal(0, cfg.jitter_s)) * US_PER_S)
                headline = rnd.choice(HEADLINES).format(
                    pref=rnd.choice(SHARED["pref"]),
                    party=rnd.choice(SHARED["party"]),
                    n=rnd.randint(10, 900),
                    issue=rnd.choice(SHARED["issue"]),
                    updown=rnd.choice(("上昇", "下落")),
                    k=rnd.randint(2, 9),
                    yen=rnd.randint(142, 151),
                )
                log.post(
                    at,
                    ctx.world.accounts[acc].platform,
                    acc,
                    f"【速報】{headline}\n{link(url_fill(pattern, rnd, at))}",
                )
    for i in range(ctx.cfg.scaled(cfg.weather_bots, 1)):
        pref = SHARED["pref"][i % len(SHARED["pref"])]
        for acc in _make(
            ctx,
            f"tenki_{i}_bot",
            f"{pref}の天気bot",
            f"{pref}の天気を毎日お届け",
            SOURCES[1],
            (X,),
            "weather",
        ):
            _weather(ctx, rng, rnd, acc, pref)
    quake_accs = [
        a
        for i in range(cfg.quake_bots)
        for a in _make(
            ctx,
            f"jishin_alert{i or ''}",
            "地震速報アラート",
            "地震情報を自動でお知らせします",
            SOURCES[2],
            (X, BSKY),
            "quake",
        )
    ]
    _quakes(ctx, rng, rnd, quake_accs)


def _weather(ctx: Context, rng: np.random.Generator, rnd: random.Random, acc: int, pref: str) -> None:
    w, cfg = ctx.window, ctx.cfg.news_bots
    for day in range(w.days):
        for hour in cfg.weather_hours:
            t = (
                w.start_us
                + day * US_PER_DAY
                + hour * US_PER_HOUR
                + int(abs(rng.normal(0, cfg.jitter_s)) * US_PER_S)
            )
            d = datetime.fromtimestamp(t // US_PER_S, UTC) + timedelta(hours=9)
            hi = rnd.randint(29, 37)
            text = (
                f"【{pref}の天気】{d.month}月{d.day}日 {rnd.choice(SKY)} "
                f"最高{hi}℃ 最低{hi - rnd.randint(6, 10)}℃ "
                f"降水確率{rnd.choice((0, 10, 20, 30, 40, 60, 80))}% " + tag("天気")
            )
            ctx.log.post(t, X, acc, text)


def quake_times(ctx: Context, rng: np.random.Generator) -> list[int]:
    """Minor quakes through the window, and the felt quake of the breaking-news burst."""
    w = ctx.window
    n = rng.poisson(ctx.cfg.news_bots.minor_quakes_per_day * w.days)
    minor = (w.start_us + rng.integers(0, w.end_us - w.start_us, n)).tolist()
    big = Window.from_iso(ctx.cfg.breaking_news.at, 1).start_us
    return sorted([int(t) for t in minor] + [big])


def _quakes(ctx: Context, rng: np.random.Generator, rnd: random.Random, accs: list[int]) -> None:
    big = Window.from_iso(ctx.cfg.breaking_news.at, 1).start_us
    for q in quake_times(ctx, rng):
        if q == big:
            region, shindo, depth, mag = ctx.cfg.breaking_news.region, "5弱", 50, 5.6
        else:
            region, shindo = rnd.choice(QUAKE_REGIONS), rnd.choice(("1", "1", "2", "2", "3", "4"))
            depth, mag = rnd.choice((10, 20, 30, 40, 50, 60, 80)), rnd.uniform(3.0, 5.2)
        for acc in accs:
            t = q + int(rnd.uniform(40, 120) * US_PER_S)
            if ctx.in_window(t):
                ctx.log.post(
                    t, ctx.world.accounts[acc].platform, acc, quake_text(q, region, shindo, depth, mag)
                )
