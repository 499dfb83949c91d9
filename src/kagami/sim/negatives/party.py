"""A party's official accounts, candidates and volunteers sharing the same material and hashtags within
minutes of each release: domestic, open, coordinated, and legitimate (label ``party``).

Candidates also post their own campaign days; they are the politicians critics quote and a quote
flood targets. Every official and candidate has an account on both platforms.
"""

from __future__ import annotations

import random

import numpy as np

from kagami.sim.clock import US_PER_S, sample_times
from kagami.sim.context import Context
from kagami.sim.events import BSKY, REPOST, X
from kagami.sim.lexicon.common import SHARED
from kagami.sim.markup import link, tag
from kagami.sim.organic import people
from kagami.sim.world import Account

SLUGS = ("jiyuminsei", "rikken-mirai", "kokumin-kaishin", "nippon-saisei", "kyosei-net", "ishin-sasshin")
PARTY_POSTS = (
    "【政策発表】{issue}に関する重点政策を発表しました。詳しくはこちら",
    "【街頭演説のお知らせ】本日{hour}時から{place}駅前で{pol}が演説します",
    "{issue}に本気で取り組みます。私たちの約束をご覧ください",
    "【動画】党首が{issue}について語りました",
    "期日前投票が始まっています。{party}をよろしくお願いします",
)
CANDIDATE_POSTS = (
    "本日は{place}駅前で街頭演説を行いました。{issue}について訴えました。ありがとうございました",
    "{place}の商店街を歩きました。{issue}への不安の声をたくさん伺いました",
    "{issue}は待ったなしです。必ず結果を出します",
    "朝の駅頭活動、{place}駅で。暑い中お声がけいただきありがとうございます",
    "演説会にお集まりいただいた皆さま、ありがとうございました。残り{n}日、走り抜けます",
    "{issue}の財源について、具体的にお示しします",
)
CANDIDATE_NAMES = (
    ("高村誠一", "takamura_sei"),
    ("山科恵子", "yamashina_k"),
    ("沢井健", "sawai_ken"),
    ("小野寺瞳", "onodera_hitomi"),
    ("黒田浩二", "kuroda_koji"),
    ("三浦さくら", "miura_sakura"),
    ("藤堂誠", "todo_makoto"),
    ("江口真理子", "eguchi_mariko"),
    ("西岡大輔", "nishioka_d"),
    ("桜井由紀", "sakurai_yuki"),
    ("大河内修", "okochi_osamu"),
    ("野々村彩", "nonomura_aya"),
    ("岩城拓海", "iwaki_takumi"),
    ("長瀬美穂", "nagase_miho"),
    ("千葉康弘", "chiba_yasuhiro"),
    ("宮路奈央", "miyaji_nao"),
    ("片桐隼人", "katagiri_h"),
    ("石動玲子", "isurugi_reiko"),
)
PLACES = ("新宿", "渋谷", "池袋", "横浜", "大宮", "千葉", "立川", "町田", "船橋", "川崎", "梅田", "天神")


def _pair(
    ctx: Context, handle: str, name: str, bio: str, followers: int, role: str, party: str
) -> list[Account]:
    _, rnd, _ = ctx.stream(f"party:acct:{handle}")
    fac = ctx.factory(rnd)
    accs = [
        fac.bot(plat, handle, name, bio, rnd.uniform(1500, 4000), "Twitter Web App") for plat in (X, BSKY)
    ]
    for a in accs:
        a.label, a.role, a.campaign, a.followers, a.verified = "party", role, "", followers, True
        a.community = rnd.randrange(ctx.cfg.world.communities)
        a.person = accs[0].idx
    accs[0].twin, accs[1].twin = accs[1].idx, accs[0].idx
    return accs


def run(ctx: Context) -> None:
    cfg = ctx.cfg.party
    for p in range(cfg.parties):
        party, slug = SHARED["party"][p], SLUGS[p]
        rng, rnd, _ = ctx.stream(f"party:{p}")
        officials = [
            _pair(
                ctx,
                f"{slug}_official{i or ''}",
                party + ("" if i == 0 else "広報"),
                f"{party}の公式アカウントです",
                150_000 // (i + 1),
                "official",
                party,
            )
            for i in range(cfg.officials)
        ]
        names = [CANDIDATE_NAMES[(p * 6 + i) % len(CANDIDATE_NAMES)] for i in range(cfg.candidates)]
        candidates = [
            _pair(
                ctx,
                roman,
                f"{kanji}（{party}）",
                f"参議院議員候補／{party}",
                40_000 // (i + 1),
                "candidate",
                party,
            )
            for i, (kanji, roman) in enumerate(names)
        ]
        volunteers = people(ctx, ctx.cfg.scaled(cfg.volunteers, 6), "party", "volunteer", stream=f"vol:{p}")
        for v in volunteers:
            ctx.world.accounts[v].description += f"／{party}を応援しています"
        tags = (party, "参院選2025")
        _releases(ctx, rng, rnd, officials, candidates, volunteers, slug, tags)
        for cand in candidates:
            _candidate_days(ctx, rng, rnd, cand, tags)


def _fill(rnd: random.Random, template: str, party: str) -> str:
    return template.format(
        issue=rnd.choice(SHARED["issue"]),
        hour=rnd.randint(10, 19),
        place=rnd.choice(PLACES),
        pol=rnd.choice(SHARED["pol"]),
        party=party,
        n=rnd.randint(2, 15),
    )


def _releases(
    ctx: Context,
    rng: np.random.Generator,
    rnd: random.Random,
    officials: list[list[Account]],
    candidates: list[list[Account]],
    volunteers: list[int],
    slug: str,
    tags: tuple[str, str],
) -> None:
    cfg, log = ctx.cfg.party, ctx.log
    n = rng.poisson(cfg.releases_per_day * ctx.cfg.world.days)
    times = sample_times(rng, ctx.rhythm(0) * _daytime(ctx), n, ctx.window)
    sharers = [acc for pair in officials[1:] + candidates for acc in pair] + [
        ctx.world.accounts[v] for v in volunteers
    ]
    for t in times.tolist():
        d = ctx.window.local_dates(9)[(t - ctx.window.start_us) // 3_600_000_000]
        url = f"https://www.{slug}.jp/news/{d:%Y%m%d}-{rnd.randrange(100, 999)}.html"
        body = _fill(rnd, rnd.choice(PARTY_POSTS), tags[0])
        material = f"{body}\n{link(url)} {tag(tags[0])} {tag(tags[1])}"
        src = {
            plat: log.post(
                t + plat * int(rnd.uniform(20, 120) * US_PER_S), plat, officials[0][plat].idx, material
            )
            for plat in (X, BSKY)
        }
        for acc in sharers:
            if rnd.random() >= cfg.participation:
                continue
            delay = int(min(3600.0, rnd.lognormvariate(np.log(cfg.delay_median_s), 0.8)) * US_PER_S)
            at = log.t[src[acc.platform]] + delay
            if not ctx.in_window(at):
                continue
            if rnd.random() < 0.6:
                log.add(at, acc.platform, REPOST, acc.idx, src[acc.platform])
            else:
                own = rnd.choice(
                    ("拡散お願いします！", "ぜひご覧ください", "応援しています", "読んでください🙏", "")
                )
                log.post(at, acc.platform, acc.idx, f"{own}\n{link(url)} {tag(tags[0])} {tag(tags[1])}")


def _candidate_days(
    ctx: Context, rng: np.random.Generator, rnd: random.Random, cand: list[Account], tags: tuple[str, str]
) -> None:
    n = rng.poisson(3.0 * ctx.cfg.world.days)
    for t in sample_times(rng, ctx.rhythm(0) * _daytime(ctx), n, ctx.window).tolist():
        text = _fill(rnd, rnd.choice(CANDIDATE_POSTS), tags[0])
        if rnd.random() < 0.5:
            text += " " + tag(tags[rnd.randrange(2)])
        for plat in (X, BSKY):
            if plat == X or rnd.random() < 0.8:
                ctx.log.post(t + plat * int(rnd.uniform(30, 400) * US_PER_S), plat, cand[plat].idx, text)


def _daytime(ctx: Context) -> np.ndarray:
    h = ctx.window.local_hours(9)
    return ((h >= 7) & (h < 21)).astype(float)
