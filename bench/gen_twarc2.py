"""Generate N X posts as twarc2 JSONL pages (100 tweets a page, with includes), for ingest benchmarks.

Shapes follow real twarc2 output: tweets with entities (code-point offsets), public_metrics, referenced
tweets; includes.users with public_metrics and profile images; includes.tweets for what is retweeted or
quoted; __twarc with url, version and retrieved_at. Deterministic per seed.

    python bench/gen_twarc2.py --posts 1000000 --out bench/out/x_1m.jsonl
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

WORDS = [
    "選挙",
    "投票",
    "候補者",
    "物価",
    "米",
    "税金",
    "年金",
    "移民",
    "政策",
    "討論",
    "演説",
    "世論",
    "調査",
    "議員",
    "政党",
    "政府",
    "首相",
    "外交",
    "防衛",
    "経済",
    "天気",
    "地震",
    "野球",
    "サッカー",
    "アニメ",
    "ライブ",
    "新作",
    "東京",
    "大阪",
    "北海道",
    "沖縄",
    "明日",
    "今日",
    "本当に",
    "すごい",
    "ひどい",
    "心配",
]
TAGS = ("参院選", "選挙", "物価高", "米不足", "年金", "減税", "日本", "ニュース", "拡散希望", "アニメ")
DOMAINS = (
    "nhk.or.jp",
    "asahi.com",
    "yomiuri.co.jp",
    "mainichi.jp",
    "nikkei.com",
    "example.jp",
    "news.example.com",
)
T0 = datetime(2025, 7, 1, tzinfo=UTC)


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def user(rng: random.Random, uid: int) -> dict[str, object]:
    default = rng.random() < 0.2
    return {
        "id": str(uid),
        "username": f"user{uid}",
        "name": f"ユーザー{uid}",
        "created_at": _ts(T0 - timedelta(days=rng.randint(1, 4000))),
        "description": " ".join(rng.choices(WORDS, k=6)),
        "location": "日本",
        "url": "",
        "verified": False,
        "protected": False,
        "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
        if default
        else f"https://pbs.twimg.com/profile_images/{uid}/a_normal.jpg",
        "public_metrics": {
            "followers_count": rng.randint(0, 5000),
            "following_count": rng.randint(0, 2000),
            "tweet_count": rng.randint(0, 50000),
            "listed_count": 0,
        },
    }


def tweet(rng: random.Random, tid: int, author: int, when: datetime) -> dict[str, object]:
    body = "".join(rng.choices(WORDS, k=rng.randint(4, 14)))
    tag = rng.choice(TAGS)
    text = f"{body} #{tag}"
    ents: dict[str, object] = {"hashtags": [{"start": len(body) + 1, "end": len(text), "tag": tag}]}
    if rng.random() < 0.3:
        start = len(text) + 1
        text += " https://t.co/abc" + str(tid % 100000)
        dom = rng.choice(DOMAINS)
        ents["urls"] = [
            {
                "start": start,
                "end": len(text),
                "url": text[start:],
                "expanded_url": f"https://www.{dom}/articles/{tid % 5000}?utm_source=twitter",
                "display_url": f"{dom}/articles/…",
            }
        ]
    return {
        "id": str(tid),
        "text": text,
        "author_id": str(author),
        "created_at": _ts(when),
        "conversation_id": str(tid),
        "lang": "ja",
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "source": "Twitter for iPhone",
        "edit_history_tweet_ids": [str(tid)],
        "entities": ents,
        "public_metrics": {
            "retweet_count": rng.randint(0, 50),
            "reply_count": 0,
            "like_count": rng.randint(0, 200),
            "quote_count": 0,
        },
    }


def generate(posts: int, out: Path, seed: int = 1, users: int = 100_000) -> int:
    rng = random.Random(seed)
    originals: list[dict[str, object]] = []
    written = 0
    tid = 10**18
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        while written < posts:
            n = min(100, posts - written)
            data, inc_tweets, authors = [], [], set()
            for _ in range(n):
                tid += 1
                author = rng.randint(1, users)
                when = T0 + timedelta(seconds=tid % 2_000_000)
                if originals and rng.random() < 0.5:
                    orig = rng.choice(originals)
                    rt = tweet(rng, tid, author, when)
                    rt["text"] = f"RT @user{orig['author_id']}: {orig['text']}"
                    rt["referenced_tweets"] = [{"type": "retweeted", "id": orig["id"]}]
                    data.append(rt)
                    inc_tweets.append(orig)
                    authors.add(int(str(orig["author_id"])))
                else:
                    t = tweet(rng, tid, author, when)
                    data.append(t)
                    if len(originals) < 50_000:
                        originals.append(t)
                    else:
                        originals[rng.randrange(len(originals))] = t
                authors.add(author)
            page = {
                "data": data,
                "includes": {"users": [user(rng, a) for a in sorted(authors)], "tweets": inc_tweets},
                "meta": {"result_count": n, "newest_id": data[-1]["id"], "oldest_id": data[0]["id"]},
                "__twarc": {
                    "url": "https://api.twitter.com/2/tweets/search/all?query=%E9%81%B8%E6%8C%99",
                    "version": "2.14.0",
                    "retrieved_at": "2025-07-21T00:00:00+00:00",
                },
            }
            f.write(orjson.dumps(page) + b"\n")
            written += n
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("bench/out/x_1m.jsonl"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t = time.perf_counter()
    n = generate(a.posts, a.out, a.seed)
    print(
        f"wrote {n} posts to {a.out} ({a.out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    main()
