"""AT Protocol XRPC responses: every real payload in shared/data, and the view shapes it lacks."""

from __future__ import annotations

import base64
import doctest
import hashlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import bluesky_api, ingest
from kagami.ingest.atproto import cid_sha256
from kagami.store import Store
from tests.ingest.helpers import dict_rows, one, ts

SDK = "did:plc:kvwvcn5iqfooopmyzvb4qzba"  # test.marshal.dev, the account the SDK's test data was made with
A = "did:plc:sakura2kagamitestaccount"
B = "did:plc:tanaka3kagamitestaccount"
C = "did:plc:yamada4kagamitestaccount"

#: What each real payload gives: (reader that claims it, posts, account observations, actions, quarantine
#: reason or "").
EXPECTED = {
    "custom_record.json": ("bluesky_api", 0, 0, 0, "does not match its collection app.bsky.feed.post"),
    "did_doc.json": ("bluesky_api", 0, 1, 0, ""),
    "extended_like_record.json": ("bluesky_api", 0, 0, 1, ""),
    "extended_post_record.json": ("bluesky_api", 1, 0, 0, ""),
    "feed_record.json": ("bluesky_api", 0, 0, 0, "app.bsky.feed.generator record: not a post"),
    "get_follows.json": ("bluesky_api", 0, 7, 6, ""),
    "like_record.json": ("bluesky_api", 0, 0, 1, ""),
    "post_record.json": ("bluesky_api", 1, 0, 0, ""),
    "resolve_handle.json": ("unrecognised", 0, 0, 0, "JSON document that no reader recognises"),
    "thread_view_post_with_embed_media.json": ("bluesky_api", 2, 2, 0, ""),
}


@pytest.fixture
def bluesky(shared_data: Path) -> Path:
    return shared_data / "formats" / "bluesky"


@pytest.fixture
def loaded(store: Store, bluesky: Path) -> Store:
    ingest(store, [bluesky])
    return store


def test_every_real_payload_is_loaded_or_quarantined_with_reason(store: Store, bluesky: Path) -> None:
    names = sorted(p.name for p in bluesky.glob("*.json"))
    assert names == sorted(EXPECTED), "a payload was added or removed: say what it should give"
    report = ingest(store, [bluesky])
    by_name = {Path(f.path).name: f for f in report.files}
    for name, (fmt, posts, accounts, actions, reason) in EXPECTED.items():
        f = by_name[name]
        got = (f.format, f.counts.posts, f.counts.accounts, f.counts.actions, f.counts.quarantined)
        assert got == (fmt, posts, accounts, actions, 1 if reason else 0), name
        if reason:
            q = one(store, "SELECT reason, raw FROM quarantine WHERE source_file = ?", f.path)
            assert reason in q["reason"], (name, q["reason"])
            assert q["raw"] == (bluesky / name).read_bytes()


def test_thread_with_quote_and_picture(loaded: Store) -> None:
    top = f"at://{SDK}/app.bsky.feed.post/3kaheyt6vpc22"
    quoted = f"at://{SDK}/app.bsky.feed.post/3kahesw26il2z"
    posts = {p["id"]: p for p in dict_rows(loaded, "SELECT * FROM posts WHERE raw_path LIKE '/thread%'")}
    assert set(posts) == {top, quoted}
    p = posts[top]
    assert (p["kind"], p["text"], p["author_uid"], p["is_primary"]) == ("quote", "", f"bsky:{SDK}", True)
    assert (p["quote_of_uid"], p["ref_author_uid"]) == (f"bsky:{quoted}", f"bsky:{SDK}")
    assert p["reply_to_uid"] is None and p["conversation_id"] == top
    assert (p["like_count"], p["repost_count"], p["reply_count"], p["quote_count"]) == (0, 0, 0, None)
    assert p["created_at"] == ts("2023-09-28T12:49:36.735") and p["raw_path"] == "/thread/post"
    [img] = p["media"]
    cid = "bafkreic3cp5ky525vsukjvrzxsc2h3jka2gud74l2hgeatw2rhj2qycnmq"
    assert img["kind"] == "image" and img["key"] == cid
    assert img["url"] == f"https://cdn.bsky.app/img/feed_fullsize/plain/{SDK}/{cid}@jpeg"
    assert img["hash"] == "5b13faac775daca8a4d639bc85a3ed2a068d41ff8bd1cc404eda89d3a8604d64"
    q = posts[quoted]
    assert (q["kind"], q["text"], q["is_primary"], q["lang"]) == ("post", "test", False, "en")
    assert q["raw_path"] == "/thread/post/embed/record/record"
    authors = dict_rows(
        loaded,
        "SELECT handle, display_name, raw_path FROM account_observations WHERE raw_path LIKE '/thread%'",
    )
    assert sorted(a["raw_path"] for a in authors) == [
        "/thread/post/author",
        "/thread/post/embed/record/record/author",
    ]
    assert {(a["handle"], a["display_name"]) for a in authors} == {("test.marshal.dev", "Python SDK")}


def test_follows_list(loaded: Store, bluesky: Path) -> None:
    acts = dict_rows(loaded, "SELECT * FROM actions WHERE kind = 'follow' ORDER BY raw_path")
    assert len(acts) == 6
    assert {a["actor_uid"] for a in acts} == {f"bsky:{SDK}"}
    assert {a["target_kind"] for a in acts} == {"account"}
    assert (
        acts[3]["target_uid"] == "bsky:did:plc:z72i7hdynmk6r22z27h6tvur"
        and acts[3]["raw_path"] == "/follows/3"
    )
    # The viewer here is the subject itself, so viewer.following is the follow record's own URI.
    assert acts[3]["id"] == f"at://{SDK}/app.bsky.graph.follow/3judkza2vrb2y"
    jay = one(loaded, "SELECT * FROM accounts WHERE id = 'did:plc:oky5czdrnfjpqslsw2a5iclo'")
    assert (jay["handle"], jay["display_name"], jay["default_avatar"]) == ("jay.bsky.team", "Jay 🦋", False)
    assert jay["created_at"] == ts("2022-11-17T06:31:40.296")
    subject = one(loaded, "SELECT * FROM account_observations WHERE raw_path = '/subject'")
    assert subject["id"] == SDK and subject["observed_at"] == ts("2024-05-22T21:19:48.088")
    assert subject["description"].startswith("account for tests")


def test_records(loaded: Store) -> None:
    post = one(loaded, "SELECT * FROM posts WHERE id LIKE '%3k2yihcrp6f2c'")
    assert (post["text"], post["kind"], post["raw_path"]) == ("new text114", "post", "")
    assert post["created_at"] == ts("2024-02-22T19:58:13.903293")
    extended = one(loaded, "SELECT * FROM posts WHERE id LIKE '%3k2yinh52ne2x'")
    assert (extended["text"], extended["lang"]) == ("regress test", "en")
    like = one(loaded, "SELECT * FROM actions WHERE id = ?", f"at://{SDK}/app.bsky.feed.like/3k5u7c7j7a52v")
    assert (like["kind"], like["actor_uid"], like["target_kind"]) == ("like", f"bsky:{SDK}", "post")
    assert like["target_uid"] == f"bsky:at://{SDK}/app.bsky.feed.post/3k5u7c7eis72y"
    assert like["created_at"] == ts("2023-08-26T12:56:31.044240")
    doc = one(loaded, "SELECT * FROM account_observations WHERE raw_path = '' AND id = ?", SDK)
    assert doc["handle"] == "test.marshal.dev"


def test_real_payloads_ingest_twice_adds_nothing(store: Store, bluesky: Path) -> None:
    first = ingest(store, [bluesky])
    again = ingest(store, [bluesky], force=True)
    c = again.counts
    assert (c.posts, c.accounts, c.actions, c.quarantined) == (0, 0, 0, 0)
    f = first.counts
    assert c.duplicates == f.posts + f.accounts + f.actions + f.quarantined


# -- shapes the shared data lacks, written as the API returns them ---------------------------------------


def author(did: str, handle: str, **more: Any) -> dict[str, Any]:
    return {"did": did, "handle": handle, "displayName": handle.split(".")[0], "labels": [], **more}


def view(did: str, handle: str, rkey: str, text: str, **record: Any) -> dict[str, Any]:
    return {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
        "author": author(did, handle),
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2024-11-20T01:00:00.000Z",
            **record,
        },
        "replyCount": 1,
        "repostCount": 12,
        "likeCount": 30,
        "quoteCount": 2,
        "indexedAt": "2024-11-20T01:00:01.000Z",
        "labels": [],
    }


def ref(did: str, rkey: str) -> dict[str, str]:
    return {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
    }


def load(store: Store, tmp_path: Path, payload: object, name: str = "response.json") -> None:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2))
    report = ingest(store, [path])
    assert report.files[0].format == "bluesky_api", report.files[0]


def test_thread_parents_and_replies(store: Store, tmp_path: Path) -> None:
    root, middle = ref(A, "3root"), ref(B, "3mid")
    reply = {"root": root, "parent": middle}
    thread = {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": view(B, "tanaka.bsky.social", "3mid", "返信です", reply={"root": root, "parent": root}),
            "parent": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": view(A, "sakura.jp", "3root", "元の投稿"),
            },
            "replies": [
                {
                    "$type": "app.bsky.feed.defs#threadViewPost",
                    "post": view(C, "yamada.jp", "3leaf", "同意", reply=reply),
                    "replies": [],
                },
                {
                    "$type": "app.bsky.feed.defs#notFoundPost",
                    "uri": f"at://{C}/app.bsky.feed.post/3gone",
                    "notFound": True,
                },
                {
                    "$type": "app.bsky.feed.defs#blockedPost",
                    "uri": f"at://{C}/app.bsky.feed.post/3blk",
                    "blocked": True,
                    "author": {"did": C},
                },
            ],
        }
    }
    load(store, tmp_path, thread)
    got = {
        p["id"].rsplit("/", 1)[1]: (
            p["kind"],
            p["author_uid"],
            p["reply_to_uid"],
            p["reply_to_author_uid"],
            p["raw_path"],
        )
        for p in dict_rows(store, "SELECT * FROM posts")
    }
    assert got == {
        "3root": ("post", f"bsky:{A}", None, None, "/thread/parent/post"),
        "3mid": ("reply", f"bsky:{B}", f"bsky:{root['uri']}", f"bsky:{A}", "/thread/post"),
        "3leaf": ("reply", f"bsky:{C}", f"bsky:{middle['uri']}", f"bsky:{B}", "/thread/replies/0/post"),
    }
    leaf = one(store, "SELECT * FROM posts WHERE id LIKE '%3leaf'")
    assert leaf["conversation_id"] == root["uri"] and leaf["like_count"] == 30 and leaf["quote_count"] == 2
    handles = {a["id"]: a["handle"] for a in dict_rows(store, "SELECT id, handle FROM accounts")}
    assert handles == {A: "sakura.jp", B: "tanaka.bsky.social", C: "yamada.jp"}
    assert store.count("quarantine") == 0


def test_feed_with_repost_reason_and_reply_context(store: Store, tmp_path: Path) -> None:
    target = view(A, "sakura.jp", "3orig", "選挙は12月1日です #選挙")
    repost_uri = f"at://{C}/app.bsky.feed.repost/3rp"
    feed = {
        "feed": [
            {
                "post": target,
                "reason": {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "by": author(C, "yamada.jp"),
                    "uri": repost_uri,
                    "indexedAt": "2024-11-20T02:00:00.000Z",
                },
            },
            {
                "post": target,
                "reason": {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "by": author(B, "tanaka.jp"),
                    "indexedAt": "2024-11-20T03:00:00.000Z",
                },
            },
            {
                "post": view(
                    B,
                    "tanaka.jp",
                    "3rep",
                    "ほんと？",
                    reply={"root": ref(A, "3orig"), "parent": ref(A, "3orig")},
                ),
                "reply": {"root": target, "parent": target},
            },
            {"post": {"uri": "not a uri"}},
        ],
        "cursor": "2024-11-20T01:00:00.000Z",
    }
    load(store, tmp_path, feed)
    reposts = {
        r["id"]: (r["author_uid"], r["ref_uid"], r["created_at"], r["raw_path"])
        for r in dict_rows(store, "SELECT * FROM posts WHERE kind = 'repost'")
    }
    assert reposts == {
        repost_uri: (f"bsky:{C}", f"bsky:{target['uri']}", ts("2024-11-20T02:00:00"), "/feed/0/reason"),
        f"{B}#repost#{target['uri']}": (
            f"bsky:{B}",
            f"bsky:{target['uri']}",
            ts("2024-11-20T03:00:00"),
            "/feed/1/reason",
        ),
    }
    orig = one(store, "SELECT * FROM posts WHERE uid = ?", f"bsky:{target['uri']}")
    assert orig["is_primary"] and orig["raw_path"] == "/feed/0/post"  # the primary copy beats reply context
    assert orig["hashtags"] == [] and orig["repost_count"] == 12
    q = one(store, "SELECT * FROM quarantine")
    assert q["raw_path"] == "/feed/3" and "without a post" in q["reason"]
    assert store.count("posts") == 4


def test_list_records_quarantines_bad_records_alone(store: Store, tmp_path: Path) -> None:
    records = {
        "records": [
            {
                "uri": f"at://{A}/app.bsky.feed.repost/3a",
                "cid": "b",
                "value": {
                    "$type": "app.bsky.feed.repost",
                    "subject": ref(B, "3p"),
                    "createdAt": "2024-11-20T00:00:00Z",
                },
            },
            {
                "uri": f"at://{A}/app.bsky.graph.follow/3b",
                "cid": "b",
                "value": {
                    "$type": "app.bsky.graph.follow",
                    "subject": B,
                    "createdAt": "2024-11-20T00:00:01Z",
                },
            },
            {
                "uri": f"at://{A}/app.bsky.graph.block/3c",
                "cid": "b",
                "value": {"$type": "app.bsky.graph.block", "subject": C, "createdAt": "2024-11-20T00:00:02Z"},
            },
            {"uri": f"at://{A}/app.bsky.feed.like/3d", "cid": "b", "value": {"$type": "app.bsky.feed.like"}},
            {
                "uri": f"at://{A}/app.bsky.actor.profile/self",
                "cid": "b",
                "value": {"$type": "app.bsky.actor.profile", "displayName": "さくら", "description": "公式"},
            },
            "not a record",
        ],
        "cursor": "3d",
    }
    load(store, tmp_path, records)
    repost = one(store, "SELECT * FROM posts")
    assert (repost["kind"], repost["ref_uid"], repost["raw_path"]) == (
        "repost",
        f"bsky:{ref(B, '3p')['uri']}",
        "/records/0",
    )
    follow = one(store, "SELECT * FROM actions")
    assert (follow["kind"], follow["target_uid"], follow["created_at"]) == (
        "follow",
        f"bsky:{B}",
        ts("2024-11-20T00:00:01"),
    )
    profile = one(store, "SELECT * FROM account_observations")
    assert (profile["display_name"], profile["default_avatar"], profile["raw_path"]) == (
        "さくら",
        True,
        "/records/4",
    )
    reasons = {q["raw_path"]: q["reason"] for q in dict_rows(store, "SELECT * FROM quarantine")}
    assert set(reasons) == {"/records/2", "/records/3", "/records/5"}
    assert "app.bsky.graph.block record" in reasons["/records/2"]
    assert "no subject" in reasons["/records/3"]
    assert "not an object" in reasons["/records/5"]
    raw = one(store, "SELECT raw FROM quarantine WHERE raw_path = '/records/3'")["raw"]
    assert orjson.loads(raw)["uri"] == f"at://{A}/app.bsky.feed.like/3d"


def test_followers_and_profiles(store: Store, tmp_path: Path) -> None:
    followers = {
        "subject": author(A, "sakura.jp", followersCount=2, followsCount=0, postsCount=9),
        "followers": [
            author(B, "tanaka.jp", viewer={"following": f"at://{C}/app.bsky.graph.follow/3x"}),
            author(C, "yamada.jp", avatar="https://cdn.bsky.app/img/avatar/plain/x@jpeg"),
        ],
    }
    load(store, tmp_path, followers, "followers.json")
    acts = {(a["actor_uid"], a["target_uid"], a["id"]) for a in dict_rows(store, "SELECT * FROM actions")}
    assert acts == {
        (f"bsky:{B}", f"bsky:{A}", f"{B}#follows#{A}"),
        (f"bsky:{C}", f"bsky:{A}", f"{C}#follows#{A}"),
    }
    profiles = {
        "profiles": [
            author(
                A,
                "sakura.jp",
                followersCount=2500,
                followsCount=3,
                postsCount=800,
                verification={"verifiedStatus": "valid"},
                indexedAt="2024-11-21T00:00:00.000Z",
            ),
            author(B, "handle.invalid"),
        ]
    }
    load(store, tmp_path, profiles, "profiles.json")
    a = one(store, "SELECT * FROM accounts WHERE id = ?", A)
    assert (a["followers"], a["following"], a["posts_count"], a["verified"]) == (2500, 3, 800, True)
    b = one(store, "SELECT * FROM accounts WHERE id = ?", B)
    assert b["handle"] == "tanaka.jp"  # handle.invalid is no observation of a handle
    c = one(store, "SELECT * FROM accounts WHERE id = ?", C)
    assert (c["avatar_url"], c["default_avatar"]) == ("https://cdn.bsky.app/img/avatar/plain/x@jpeg", False)


@pytest.mark.parametrize(
    ("payload", "handle"),
    [
        (
            {"@context": ["https://www.w3.org/ns/did/v1"], "id": A, "alsoKnownAs": ["at://sakura.jp"]},
            "sakura.jp",
        ),
        ({"handle": "sakura.jp", "did": A, "didDoc": {"id": A}, "handleIsCorrect": True}, "sakura.jp"),
        ({"handle": "sakura.jp", "did": A, "didDoc": {"id": A}, "handleIsCorrect": False}, None),
    ],
)
def test_did_documents(store: Store, tmp_path: Path, payload: dict[str, Any], handle: str | None) -> None:
    load(store, tmp_path, payload)
    if handle is None:
        assert "without a verified handle" in one(store, "SELECT reason FROM quarantine")["reason"]
        assert store.count("account_observations") == 0
    else:
        assert one(store, "SELECT id, handle FROM account_observations") == {"id": A, "handle": handle}


def test_author_must_own_the_post(store: Store, tmp_path: Path) -> None:
    forged = view(A, "sakura.jp", "3x", "なりすまし")
    forged["author"] = author(B, "tanaka.jp")
    load(store, tmp_path, {"posts": [forged, view(C, "yamada.jp", "3y", "本物")]})
    assert [p["author_uid"] for p in dict_rows(store, "SELECT author_uid FROM posts")] == [f"bsky:{C}"]
    assert "does not own" in one(store, "SELECT reason FROM quarantine")["reason"]


@pytest.mark.parametrize(
    "obj",
    [
        None,
        [],
        {"did": "did:plc:z72i7hdynmk6r22z27h6tvur"},  # resolveHandle: no handle in it, nothing to record
        {"did": A, "time_us": 1, "kind": "identity", "identity": {"did": A, "handle": "x.jp"}},  # Jetstream
        {"data": [{"id": "1", "text": "x"}], "includes": {"users": []}},  # X API v2
        {
            "id": "1",
            "uri": "https://mastodon.social/users/a/statuses/1",
            "account": {"acct": "a"},
            "content": "",
        },
        {"id": "1", "acct": "a", "username": "a", "did": "did:plc:x", "handle": "a"},  # anything with acct
        {"feed": []},
        {"posts": [{"id": "1"}]},
    ],
)
def test_sniff_rejects_other_payloads(obj: object) -> None:
    assert bluesky_api.sniff(obj) is False


def test_cid_sha256() -> None:
    digest = hashlib.sha256(b"x").digest()

    cid = "b" + base64.b32encode(bytes([1, 0x55, 0x12, 0x20]) + digest).decode().lower().rstrip("=")
    assert cid_sha256(cid) == digest.hex()
    assert cid_sha256("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG") is None  # CIDv0: no multibase prefix
    assert cid_sha256("b!!!") is None and cid_sha256(None) is None and cid_sha256("bafy") is None


def test_module_examples() -> None:
    result = doctest.testmod(bluesky_api)
    assert result.attempted > 0 and result.failed == 0


def test_bare_record_cannot_be_attributed(store: Store, tmp_path: Path) -> None:
    record = {"$type": "app.bsky.feed.post", "text": "誰の投稿？", "createdAt": "2024-11-20T00:00:00Z"}
    load(store, tmp_path, record)
    reason = one(store, "SELECT reason FROM quarantine")["reason"]
    assert reason == "app.bsky.feed.post record without its at:// URI: it cannot be attributed to an account"
    assert store.count("posts") == 0


def test_bad_item_is_quarantined_whole_and_alone(store: Store, tmp_path: Path) -> None:
    good = view(A, "sakura.jp", "3good", "正しい投稿")
    quoting = view(B, "tanaka.jp", "3q", "引用")
    quoted = view(C, "yamada.jp", "3forged", "偽")
    quoted["author"] = author(A, "sakura.jp")  # the embedded view claims a post of C's was written by A
    quoted["value"] = quoted.pop("record")
    quoting["record"]["embed"] = {"$type": "app.bsky.embed.record", "record": ref(C, "3forged")}
    quoting["embed"] = {"$type": "app.bsky.embed.record#view", "record": quoted}
    load(store, tmp_path, {"feed": [{"post": quoting}, {"post": good}]})
    # Nothing of the bad item is loaded, not even its own valid post: a store never holds half an item.
    assert [p["id"] for p in dict_rows(store, "SELECT id FROM posts")] == [good["uri"]]
    q = one(store, "SELECT raw_path, reason, raw FROM quarantine")
    assert q["raw_path"] == "/feed/0" and "/feed/0/post/embed/record: author" in q["reason"]
    assert orjson.loads(q["raw"])["post"]["uri"] == quoting["uri"]


def test_thread_node_and_follow_entry_quarantined_alone(store: Store, tmp_path: Path) -> None:
    forged = view(B, "tanaka.jp", "3r", "偽")
    forged["author"] = author(C, "yamada.jp")
    thread = {"thread": {"post": view(A, "sakura.jp", "3t", "スレッド"), "replies": [{"post": forged}]}}
    load(store, tmp_path, thread, "thread.json")
    assert one(store, "SELECT raw_path FROM quarantine")["raw_path"] == "/thread/replies/0/post"
    assert one(store, "SELECT id FROM posts")["id"] == f"at://{A}/app.bsky.feed.post/3t"
    follows = {
        "subject": author(A, "sakura.jp"),
        "follows": [{"handle": "no-did.jp"}, author(B, "tanaka.jp")],
    }
    load(store, tmp_path, follows, "follows.json")
    q = one(store, "SELECT reason FROM quarantine WHERE raw_path = '/follows/0'")
    assert "profile without a DID" in q["reason"]
    assert one(store, "SELECT id FROM actions")["id"] == f"{A}#follows#{B}"


def test_single_post_view_and_actor_search(store: Store, tmp_path: Path) -> None:
    pv = view(A, "sakura.jp", "3one", "画像あり")
    pv["record"]["embed"] = {
        "$type": "app.bsky.embed.video",
        "video": {"$type": "blob", "ref": {"$link": "bafkreiv"}, "mimeType": "video/mp4", "size": 1},
    }
    pv["embed"] = {
        "$type": "app.bsky.embed.video#view",
        "cid": "bafkreiv",
        "playlist": "https://video.example/p.m3u8",
    }
    load(store, tmp_path, pv, "post.json")
    [media] = one(store, "SELECT media FROM posts")["media"]
    assert media == {"url": "https://video.example/p.m3u8", "kind": "video", "key": "bafkreiv", "hash": None}
    load(
        store, tmp_path, {"actors": [author(B, "tanaka.jp", description="自己紹介")], "cursor": "1"}, "a.json"
    )
    assert (
        one(store, "SELECT description FROM account_observations WHERE id = ?", B)["description"]
        == "自己紹介"
    )
