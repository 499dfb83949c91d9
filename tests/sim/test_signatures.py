"""Each campaign and hard negative is present, with the signature it is meant to have."""

from __future__ import annotations

import itertools
import statistics
from datetime import UTC, datetime, timedelta

from kagami.sim.config import (
    BreakingNewsConfig,
    CrossPlatformConfig,
    FandomConfig,
    LowSlowConfig,
    NewsBotConfig,
    RingConfig,
)
from kagami.sim.lexicon.claims import LOOKALIKES, SIMPLIFIED_LEAKS, STATE_MEDIA
from tests.sim.conftest import World


def ts(s: str) -> float:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def test_every_label_and_campaign_present(world: World) -> None:
    labels = {r["label"] for r in world.truth}
    assert labels == {"organic", "campaign", "fandom", "news_bot", "party", "breaking_news", "critic"}
    campaigns = {r["campaign"] for r in world.truth if r["campaign"]}
    assert campaigns == {
        "ring-1",
        "copypasta-1",
        "quoteflood-1",
        "statemedia-1",
        "lowslow-1",
        "crossplatform-1",
    }
    assert all(r["campaign"] == "" for r in world.truth if r["label"] != "campaign")


def test_ring_amplifiers_act_within_the_delay_of_seeds(world: World) -> None:
    seeds, amps = world.ids(campaign="ring-1", role="seed"), world.ids(campaign="ring-1", role="amplifier")
    seed_posts = {t["id"]: t for p in world.pages for t in p["includes"]["tweets"] if t["author_id"] in seeds}
    delays = [
        ts(t["created_at"]) - ts(seed_posts[r["id"]]["created_at"])
        for t in world.tweets()
        if t["author_id"] in amps
        for r in t.get("referenced_tweets", [])
        if r["id"] in seed_posts
    ]
    assert len(delays) > 100
    assert all(0 < d <= RingConfig().delay_max_s + 1 for d in delays)
    assert statistics.median(delays) < 5 * RingConfig().jitter_s


def test_ring_accounts_are_made_in_waves_with_default_looks(world: World) -> None:
    users = world.users()
    amps = [users[i] for i in world.ids(campaign="ring-1", role="amplifier") if i in users]
    created = sorted(ts(u["created_at"]) for u in amps)
    gaps = [b - a for a, b in itertools.pairwise(created)]
    big = [g for g in gaps if g > RingConfig().wave_spread_days * 86400]
    assert len(big) <= RingConfig().waves - 1  # accounts fall into at most `waves` tight clusters
    default = sum(u["profile_image_url"].endswith("default_profile_normal.png") for u in amps)
    assert default > 0.5 * len(amps)
    assert sum(u["username"][-8:].isdigit() for u in amps) == len(amps)
    organic = [u for u in users.values() if u["id"] in world.ids(label="organic")]
    assert sum(u["username"][-8:].isdigit() for u in organic) < 0.01 * len(organic)


def _local(t: dict, hours: int) -> datetime:  # type: ignore[type-arg]
    return datetime.fromtimestamp(ts(t["created_at"]), UTC) + timedelta(hours=hours)


def test_state_media_posts_leak_simplified_chinese_in_utc8_office_hours(world: World) -> None:
    ids = world.ids(campaign="statemedia-1")
    hosts = tuple(h for h, _ in STATE_MEDIA)
    posts = [
        t
        for t in world.tweets()
        if t["author_id"] in ids
        and "referenced_tweets" not in t
        and any(u["expanded_url"].split("/")[2] in hosts for u in t.get("entities", {}).get("urls", []))
    ]
    assert len(posts) > 10
    leaky = sum(any(ch in SIMPLIFIED_LEAKS for ch in t["text"]) for t in posts)
    assert leaky > 0.3 * len(posts)
    for t in posts:
        local = _local(t, 8)
        assert local.weekday() < 5 and 9 <= local.hour < 18


def test_low_and_slow_shares_are_hours_apart(world: World) -> None:
    ids = world.ids(campaign="lowslow-1")
    by_url: dict[str, list[float]] = {}
    for t in world.tweets():
        if t["author_id"] in ids and "referenced_tweets" not in t:
            for u in t.get("entities", {}).get("urls", []):
                by_url.setdefault(u["expanded_url"], []).append(ts(t["created_at"]))
    shared = {u: sorted(v) for u, v in by_url.items() if len(v) >= 2}
    assert len(shared) >= 3
    low = LowSlowConfig().gap_hours[0] * 3600
    for times in shared.values():
        assert all(b - a >= low for a, b in itertools.pairwise(times))


def test_fans_repost_their_idol_within_seconds(world: World) -> None:
    idols, fans = world.ids(label="fandom", role="idol"), world.ids(label="fandom", role="fan")
    idol_posts = {t["id"]: t for p in world.pages for t in p["includes"]["tweets"] if t["author_id"] in idols}
    delays = [
        ts(t["created_at"]) - ts(idol_posts[t["referenced_tweets"][0]["id"]]["created_at"])
        for t in world.tweets()
        if t["author_id"] in fans
        and t.get("referenced_tweets", [{}])[0].get("id") in idol_posts
        and t["referenced_tweets"][0]["type"] == "retweeted"
    ]
    assert len(delays) > 50
    assert statistics.median(delays) < 3 * FandomConfig().delay_median_s
    assert max(delays) <= FandomConfig().delay_max_s + 1


def test_news_bots_post_on_a_fixed_schedule(world: World) -> None:
    bots = world.accounts(label="news_bot", role="news", platform="x")
    assert bots
    times = sorted(
        ts(t["created_at"])
        for t in world.tweets()
        if t["author_id"] == bots[0]["account_id"] and "referenced_tweets" not in t
    )
    gaps = [b - a for a, b in itertools.pairwise(times)]
    interval = NewsBotConfig().news_interval_min * 60
    assert len(gaps) > 500
    assert all(abs(g - interval) < 6 * NewsBotConfig().jitter_s for g in gaps)
    assert {
        int(_local({"created_at": datetime.fromtimestamp(t, UTC).isoformat()}, 9).hour) for t in times
    } == set(range(24))


def test_copypasta_varies_the_words_and_links_look_alike_domains(world: World) -> None:
    ids = world.ids(campaign="copypasta-1")
    fakes = {fake for _, fake in LOOKALIKES}
    posts = [
        t
        for t in world.tweets()
        if t["author_id"] in ids
        and any(u["expanded_url"].split("/")[2] in fakes for u in t.get("entities", {}).get("urls", []))
    ]
    assert len(posts) > 10
    assert len({t["text"].split("https://t.co")[0] for t in posts}) > 0.6 * len(posts)
    assert len({t["author_id"] for t in posts}) > 3
    span = max(ts(t["created_at"]) for t in posts) - min(ts(t["created_at"]) for t in posts)
    assert span > 3600


def test_quote_floods_hit_one_politician_from_young_accounts(world: World) -> None:
    users = world.users()
    ids = world.ids(campaign="quoteflood-1")
    start = ts("2025-07-03T00:00:00+09:00")
    quoted = [
        r["id"]
        for t in world.tweets()
        if t["author_id"] in ids
        for r in t.get("referenced_tweets", [])
        if r["type"] == "quoted"
    ]
    assert len(quoted) > 10
    refs = {t["id"]: t["author_id"] for p in world.pages for t in p["includes"]["tweets"]}
    targets = {refs[q] for q in quoted}
    assert len(targets) == 1 and users[targets.pop()]["id"] in world.ids(role="candidate")
    ages = [(start - ts(users[i]["created_at"])) / 86400 for i in ids if i in users]
    assert max(ages) < 60


def test_cross_platform_personas_post_the_same_text_on_both(world: World) -> None:
    x = {(r["handle"]): r["account_id"] for r in world.accounts(campaign="crossplatform-1", platform="x")}
    texts_x = {t["text"] for t in world.tweets() if t["author_id"] in x.values() and "entities" not in t}
    ids_b = world.ids(campaign="crossplatform-1", platform="bsky")
    texts_b = {
        e["commit"]["record"]["text"]
        for e in world.bsky
        if e["did"] in ids_b
        and e["kind"] == "commit"
        and e["commit"].get("collection") == "app.bsky.feed.post"
        and "facets" not in e["commit"]["record"]
    }
    assert len(texts_x & texts_b) > 5
    assert CrossPlatformConfig().platforms == ("x", "bsky")


def test_breaking_news_burst_uses_one_hashtag_within_minutes(world: World) -> None:
    quake = ts(BreakingNewsConfig().at)
    ids = world.ids(label="breaking_news")
    tagged = [
        ts(t["created_at"]) - quake
        for t in world.tweets()
        if t["author_id"] in ids
        and any(h["tag"] == "地震" for h in t.get("entities", {}).get("hashtags", []))
    ]
    assert len(tagged) > 20
    assert sum(0 <= d < 30 * 60 for d in tagged) > 0.8 * len(tagged)


def test_party_shares_the_same_links_within_minutes(world: World) -> None:
    ids = world.ids(label="party")
    by_url: dict[str, list[float]] = {}
    for t in world.tweets():
        if t["author_id"] in ids:
            for u in t.get("entities", {}).get("urls", []):
                if ".jp/news/" in u["expanded_url"]:
                    by_url.setdefault(u["expanded_url"], []).append(ts(t["created_at"]))
    multi = [sorted(v) for v in by_url.values() if len(v) >= 3]
    assert len(multi) > 10
    assert statistics.median(v[-1] - v[0] for v in multi) < 3600


def test_critics_quote_politicians(world: World) -> None:
    critics, cands = world.ids(label="critic"), world.ids(role="candidate")
    refs = {t["id"]: t["author_id"] for p in world.pages for t in p["includes"]["tweets"]}
    quotes = [
        refs[r["id"]]
        for t in world.tweets()
        if t["author_id"] in critics
        for r in t.get("referenced_tweets", [])
        if r["type"] == "quoted"
    ]
    assert len(quotes) > 10 and sum(q in cands for q in quotes) > 0.8 * len(quotes)


def test_counts_near_targets(world: World) -> None:
    s = world.summary
    organic = len(world.accounts(label="organic"))
    assert 0.8 * 20_000 * 0.03 < organic < 1.2 * 20_000 * 0.03
    assert s.events == len(world.bsky) + sum(len(p["data"]) for p in world.pages)
    assert 0.5 * 300_000 * 0.03 < s.events < 3 * 300_000 * 0.03
    assert s.x_posts > s.bsky_events / 2
