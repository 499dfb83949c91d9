"""Write X posts as twarc2 writes X API v2 search pages: ``data``, ``includes.users``,
``includes.tweets``, ``meta`` and the ``__twarc`` envelope, newest page first.

Retweets read "RT @handle: " and the original text (cut at 140 characters as X does), with entities
shifted to match; quotes end with the t.co link of the quoted post; replies start with the mention.
Entity offsets are in Unicode code points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import orjson

from kagami.sim.clock import US_PER_S, iso_ms
from kagami.sim.events import LIKE, POST, QUOTE, REPLY, REPOST, FrozenLog, X
from kagami.sim.ids import mix64, snowflake, tco, token
from kagami.sim.markup import LINK, MENTION, TAG, segments
from kagami.sim.world import Account, World

PAGE = 100
DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
FIELDS = (
    "expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id"
    "%2Centities.mentions.username&tweet.fields=author_id%2Cconversation_id%2Ccreated_at%2Centities%2Cid"
    "%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets"
    "%2Creply_settings%2Csource%2Cedit_history_tweet_ids&user.fields=created_at%2Cdescription%2Cid%2Clocation"
    "%2Cname%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified"
)
QUERY = (
    "lang:ja (参院選 OR 選挙 OR 物価 OR 米 OR 地震 OR 年金 OR 外国人 OR 天気 OR アニメ OR 野球) -is:nullcast"
)


def display_url(url: str) -> str:
    s = url.split("://", 1)[-1]
    s = s[4:] if s.startswith("www.") else s
    return s if len(s) <= 26 else s[:25] + "…"


class XWriter:
    """Renders the X side of a frozen event log into twarc2 pages."""

    def __init__(self, world: World, log: FrozenLog, seed: int) -> None:
        self.world, self.log, self.seed = world, log, seed
        self.sel = (log.plat == X) & np.isin(log.kind, (POST, REPOST, QUOTE, REPLY))
        self.rts = log.counts(REPOST)
        self.quotes = log.counts(QUOTE)
        self.replies = log.counts(REPLY)
        rng = np.random.default_rng([seed, 0x11CE])
        organic_likes = np.floor(
            (self.rts + self.quotes) * rng.lognormal(1.0, 0.6, len(log)) + rng.poisson(0.7, len(log))
        )
        self.likes = organic_likes.astype(np.int64) + log.counts(LIKE)
        acts = log.actor[self.sel]
        self.posted = (
            np.bincount(acts, minlength=len(world.accounts))
            if len(acts)
            else np.zeros(len(world.accounts), np.int64)
        )
        self.seen: set[int] = set()
        self._cache: dict[int, tuple[str, dict[str, Any]]] = {}
        self._pid_index = {a.pid: a for a in world.accounts if a.platform == X}

    def tid(self, i: int) -> str:
        return str(snowflake(int(self.log.t[i]) // 1000, i))

    # -- users ----------------------------------------------------------------------------------------
    def user(self, a: Account) -> dict[str, Any]:
        self.seen.add(a.idx)
        img = (
            DEFAULT_AVATAR
            if a.default_avatar
            else (
                f"https://pbs.twimg.com/profile_images/{snowflake(a.created_us // 1000 + 86_400_000, a.idx)}/"
                f"{token(mix64(self.seed, a.idx), 8)}_normal.jpg"
            )
        )
        return {
            "id": a.pid,
            "name": a.name,
            "username": a.handle,
            "created_at": iso_ms(a.created_us),
            "description": a.description,
            "location": a.location,
            "profile_image_url": img,
            "protected": False,
            "verified": a.verified,
            "url": "",
            "public_metrics": {
                "followers_count": a.followers,
                "following_count": a.following,
                "tweet_count": a.prior_posts + int(self.posted[a.idx]),
                "listed_count": a.followers // 200,
            },
        }

    # -- text -----------------------------------------------------------------------------------------
    def render(self, i: int) -> tuple[str, dict[str, Any]]:
        """Text and entities of an authored post (its own text only: no reply or quote additions)."""
        hit = self._cache.get(i)
        if hit is not None:
            return hit
        out: list[str] = []
        ents: dict[str, list[dict[str, Any]]] = {"urls": [], "hashtags": [], "mentions": []}
        pos, k = 0, 0
        for kind, value in segments(self.log.contents[self.log.content[i]]):
            if kind == TAG:
                piece = "#" + value
                ents["hashtags"].append({"start": pos, "end": pos + len(piece), "tag": value})
            elif kind == LINK:
                piece = tco(mix64(self.seed, i, k))
                k += 1
                ents["urls"].append(
                    {
                        "start": pos,
                        "end": pos + len(piece),
                        "url": piece,
                        "expanded_url": value,
                        "display_url": display_url(value),
                    }
                )
            elif kind == MENTION:
                a = self.world.accounts[int(value)]
                piece = "@" + a.handle
                ents["mentions"].append(
                    {"start": pos, "end": pos + len(piece), "username": a.handle, "id": a.pid}
                )
            else:
                piece = value
            out.append(piece)
            pos += len(piece)
        res = ("".join(out), {k2: v for k2, v in ents.items() if v})
        if len(self._cache) > 300_000:
            self._cache.clear()
        self._cache[i] = res
        return res

    def tweet(self, i: int, users: dict[int, None]) -> tuple[dict[str, Any], int]:
        """The tweet object of event ``i`` and the event it references (or -1)."""
        log, acc = self.log, self.world.accounts[int(self.log.actor[i])]
        kind, ref = int(log.kind[i]), int(log.ref[i])
        users[acc.idx] = None
        my_id = self.tid(i)
        conv, extra = my_id, dict[str, Any]()
        metrics = {
            "retweet_count": int(self.rts[i]),
            "reply_count": int(self.replies[i]),
            "like_count": int(self.likes[i]),
            "quote_count": int(self.quotes[i]),
        }
        if kind == REPOST:
            orig = self.world.accounts[int(log.actor[ref])]
            users[orig.idx] = None
            text, ents = self._retweet(ref, orig)
            extra["referenced_tweets"] = [{"type": "retweeted", "id": self.tid(ref)}]
            metrics = {
                "retweet_count": int(self.rts[ref]),
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
            }
        else:
            text, ents = self.render(i)
            ents = {k: [dict(e) for e in v] for k, v in ents.items()}
            if kind == QUOTE:
                orig = self.world.accounts[int(log.actor[ref])]
                link = tco(mix64(self.seed, i, 99))
                expanded = f"https://twitter.com/{orig.handle}/status/{self.tid(ref)}"
                start = len(text) + 1
                text = f"{text} {link}"
                ents.setdefault("urls", []).append(
                    {
                        "start": start,
                        "end": start + len(link),
                        "url": link,
                        "expanded_url": expanded,
                        "display_url": display_url(expanded),
                    }
                )
                extra["referenced_tweets"] = [{"type": "quoted", "id": self.tid(ref)}]
                users[orig.idx] = None
            elif kind == REPLY:
                parent = self.world.accounts[int(log.actor[ref])]
                users[parent.idx] = None
                prefix = f"@{parent.handle} "
                text = prefix + text
                for v in ents.values():
                    for e in v:
                        e["start"] += len(prefix)
                        e["end"] += len(prefix)
                ents.setdefault("mentions", []).insert(
                    0, {"start": 0, "end": len(prefix) - 1, "username": parent.handle, "id": parent.pid}
                )
                extra["referenced_tweets"] = [{"type": "replied_to", "id": self.tid(ref)}]
                extra["in_reply_to_user_id"] = parent.pid
                conv = self.tid(self._root(ref))
        for m in ents.get("mentions", []):
            users[self._pid_index[m["id"]].idx] = None
        obj: dict[str, Any] = {
            "id": my_id,
            "text": text,
            "author_id": acc.pid,
            "created_at": iso_ms(int(log.t[i])),
            "conversation_id": conv,
            "lang": "ja",
            "public_metrics": metrics,
            "edit_history_tweet_ids": [my_id],
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "source": acc.source,
        }
        if ents:
            obj["entities"] = ents
        obj.update(extra)
        return obj, ref if kind != POST else -1

    def _retweet(self, ref: int, orig: Account) -> tuple[str, dict[str, Any]]:
        body, ents = self.render(ref)
        prefix = f"RT @{orig.handle}: "
        full = prefix + body
        cut = len(full) if len(full) <= 140 else 139
        text = full if cut == len(full) else full[:cut] + "…"
        out: dict[str, list[dict[str, Any]]] = {
            "mentions": [{"start": 3, "end": 4 + len(orig.handle), "username": orig.handle, "id": orig.pid}]
        }
        for k, v in ents.items():
            for e in v:
                if e["end"] + len(prefix) <= cut:
                    out.setdefault(k, []).append(
                        {**e, "start": e["start"] + len(prefix), "end": e["end"] + len(prefix)}
                    )
        return text, out

    def _root(self, i: int) -> int:
        while int(self.log.kind[i]) == REPLY and int(self.log.ref[i]) >= 0:
            i = int(self.log.ref[i])
        return i

    # -- pages ----------------------------------------------------------------------------------------
    def pages(self, retrieved_us: int) -> Iterator[dict[str, Any]]:
        idx = self.log.order[self.sel[self.log.order]][::-1]  # newest first, as search returns them
        start_t, end_t = iso_ms(int(self.log.t.min())), iso_ms(int(self.log.t.max()) + US_PER_S)
        base = f"https://api.twitter.com/2/tweets/search/all?{FIELDS}&query={quote(QUERY)}"
        base += f"&start_time={start_t}&end_time={end_t}&max_results={PAGE}"
        prev = ""
        for n, lo in enumerate(range(0, len(idx), PAGE)):
            users: dict[int, None] = {}
            data: list[dict[str, Any]] = []
            refs: dict[int, None] = {}
            for i in idx[lo : lo + PAGE].tolist():
                obj, ref = self.tweet(i, users)
                data.append(obj)
                if ref >= 0:
                    refs[ref] = None
            tweets = [self.tweet(r, users)[0] for r in refs]
            meta: dict[str, Any] = {
                "newest_id": data[0]["id"],
                "oldest_id": data[-1]["id"],
                "result_count": len(data),
            }
            nxt = (
                token(mix64(self.seed, n, 0x70C), 45, "0123456789abcdefghijklmnopqrstuvwxyz")
                if lo + PAGE < len(idx)
                else ""
            )
            if nxt:
                meta["next_token"] = nxt
            yield {
                "data": data,
                "includes": {"users": [self.user(self.world.accounts[u]) for u in users], "tweets": tweets},
                "meta": meta,
                "__twarc": {
                    "url": base + (f"&next_token={prev}" if prev else ""),
                    "version": "2.14.0",
                    "retrieved_at": iso_ms(retrieved_us + n * 1_100_000)[:19] + "+00:00",
                },
            }
            prev = nxt

    def write(self, path: Path, retrieved_us: int) -> int:
        """Write every page as one JSON line; return the number of tweets written."""
        n = 0
        with path.open("wb") as f:
            for page in self.pages(retrieved_us):
                n += len(page["data"])
                f.write(orjson.dumps(page) + b"\n")
        return n
