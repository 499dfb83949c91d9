"""The files are what twarc2 and Jetstream write: pages well-formed, offsets slicing the text exactly."""

from __future__ import annotations

import re
from datetime import datetime

from kagami.sim.ids import snowflake_time_ms
from kagami.sim.markup import short_url
from tests.sim.conftest import World

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TID = re.compile(r"^[234567a-z]{13}$")


def _check_entities(t: dict) -> int:  # type: ignore[type-arg]
    text, n = t["text"], 0
    for h in t.get("entities", {}).get("hashtags", []):
        assert text[h["start"] : h["end"]] == "#" + h["tag"]
        n += 1
    for m in t.get("entities", {}).get("mentions", []):
        assert text[m["start"] : m["end"]] == "@" + m["username"]
        n += 1
    for u in t.get("entities", {}).get("urls", []):
        assert text[u["start"] : u["end"]] == u["url"]
        assert u["url"].startswith("https://t.co/") and u["expanded_url"].startswith("http")
        n += 1
    return n


def test_x_pages_are_twarc2_pages(world: World) -> None:
    assert len(world.pages) > 5
    newest_first = []
    for page in world.pages:
        assert set(page) == {"data", "includes", "meta", "__twarc"}
        assert page["meta"]["result_count"] == len(page["data"]) <= 100
        assert page["meta"]["newest_id"] == page["data"][0]["id"]
        assert page["meta"]["oldest_id"] == page["data"][-1]["id"]
        assert page["__twarc"]["url"].startswith("https://api.twitter.com/2/tweets/search/all?")
        users = {u["id"] for u in page["includes"]["users"]}
        refs = {t["id"] for t in page["includes"]["tweets"]}
        for t in page["data"]:
            assert t["author_id"] in users
            for r in t.get("referenced_tweets", []):
                assert r["id"] in refs
            newest_first.append(int(t["id"]))
    assert "next_token" not in world.pages[-1]["meta"]
    assert all("next_token" in p["meta"] for p in world.pages[:-1])
    assert newest_first == sorted(newest_first, reverse=True)


def test_x_tweets_offsets_match_text(world: World) -> None:
    checked = 0
    for page in world.pages:
        for t in page["data"] + page["includes"]["tweets"]:
            assert ISO.match(t["created_at"])
            ms = int(datetime.fromisoformat(t["created_at"].replace("Z", "+00:00")).timestamp() * 1000)
            assert snowflake_time_ms(int(t["id"])) == ms
            checked += _check_entities(t)
    assert checked > 1000


def test_x_retweets_quotes_replies_look_like_x(world: World) -> None:
    users = world.users()
    kinds = {"retweeted": 0, "quoted": 0, "replied_to": 0}
    for page in world.pages:
        refs = {t["id"]: t for t in page["includes"]["tweets"]}
        for t in page["data"]:
            for r in t.get("referenced_tweets", []):
                kinds[r["type"]] += 1
                orig = refs[r["id"]]
                handle = users[orig["author_id"]]["username"]
                if r["type"] == "retweeted":
                    assert t["text"].startswith(f"RT @{handle}: ")
                    body = t["text"][len(f"RT @{handle}: ") :]
                    assert orig["text"].startswith(body.rstrip("…"))
                    assert len(t["text"]) <= 140
                elif r["type"] == "quoted":
                    assert t["entities"]["urls"][-1]["expanded_url"].endswith(
                        f"/{handle}/status/{orig['id']}"
                    )
                else:
                    assert t["text"].startswith(f"@{handle} ")
                    assert t["in_reply_to_user_id"] == orig["author_id"]
    assert min(kinds.values()) > 10


def test_x_users_have_profiles(world: World) -> None:
    users = world.users()
    assert any(u["profile_image_url"].endswith("default_profile_normal.png") for u in users.values())
    for u in users.values():
        assert ISO.match(u["created_at"])
        assert re.fullmatch(r"\w{1,15}", u["username"])
        assert set(u["public_metrics"]) == {
            "followers_count",
            "following_count",
            "tweet_count",
            "listed_count",
        }


def test_jetstream_envelopes_and_facets(world: World) -> None:
    handles = {e["did"]: e["identity"]["handle"] for e in world.bsky if e["kind"] == "identity"}
    handles |= {r["account_id"]: r["handle"] for r in world.truth if r["platform"] == "bsky"}
    created: set[str] = set()
    facets = 0
    last = 0
    for e in world.bsky:
        assert e["time_us"] > last
        last = e["time_us"]
        assert e["did"].startswith("did:plc:") and len(e["did"]) == 32
        if e["kind"] != "commit":
            assert e[e["kind"]]["did"] == e["did"]
            continue
        c = e["commit"]
        assert TID.match(c["rev"])
        if c["operation"] == "delete":
            assert "record" not in c
            continue
        rec = c["record"]
        assert rec["$type"] == c["collection"] and c["cid"].startswith("bafyrei")
        if c["collection"] == "app.bsky.feed.post":
            created.add(f"at://{e['did']}/{c['collection']}/{c['rkey']}")
            data = rec["text"].encode()
            for f in rec.get("facets", []):
                piece = data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode()
                feat = f["features"][0]
                if feat["$type"].endswith("#tag"):
                    assert piece == "#" + feat["tag"]
                elif feat["$type"].endswith("#link"):
                    assert piece == short_url(feat["uri"])
                else:
                    assert piece == "@" + handles[feat["did"]]
                facets += 1
            for key in ("root", "parent"):
                if "reply" in rec:
                    assert rec["reply"][key]["uri"] in created
        elif c["collection"] in ("app.bsky.feed.like", "app.bsky.feed.repost"):
            assert rec["subject"]["uri"] in created
    assert facets > 100
    kinds = {e["commit"]["collection"] for e in world.bsky if e["kind"] == "commit"}
    assert {
        "app.bsky.feed.post",
        "app.bsky.feed.like",
        "app.bsky.feed.repost",
        "app.bsky.graph.follow",
    } <= kinds
    assert any(e["commit"]["operation"] == "delete" for e in world.bsky if e["kind"] == "commit")


def test_truth_covers_every_account_seen(world: World) -> None:
    truth = {(r["platform"], r["account_id"]) for r in world.truth}
    assert {("x", u) for u in world.users()} <= truth
    assert {("bsky", e["did"]) for e in world.bsky} <= truth
    assert len(truth) == len(world.truth)
