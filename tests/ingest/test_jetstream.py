"""Jetstream events through the real ingest path: detection, mapping, offsets, quarantine, idempotence."""

from __future__ import annotations

import base64
import doctest
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import atproto, ingest, jetstream
from kagami.store import Store
from tests.ingest.helpers import dict_rows, one, ts

A = "did:plc:sakura2kagamitestaccount"
B = "did:plc:tanaka3kagamitestaccount"
C = "did:plc:yamada4kagamitestaccount"
P1 = f"at://{A}/app.bsky.feed.post/3lbeq7ztb4k2a"
P2 = f"at://{B}/app.bsky.feed.post/3lbeq8a2kxs2b"
P3 = f"at://{C}/app.bsky.feed.post/3lbeq9c5mzd2c"
REPOST = f"at://{C}/app.bsky.feed.repost/3lbeqa2bbbb2a"
LIKE = f"at://{B}/app.bsky.feed.like/3lbeqa1aaaa2a"
FOLLOW = f"at://{B}/app.bsky.graph.follow/3lbeqa3cccc2a"


@pytest.fixture
def sample(fixtures: Path) -> Path:
    return fixtures / "jetstream" / "sample.jsonl"


@pytest.fixture
def loaded(store: Store, sample: Path) -> Store:
    report = ingest(store, [sample])
    assert [f.format for f in report.files] == ["jetstream"]
    return store


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atproto_cid(data: bytes) -> str:
    """The CIDv1 (raw, sha2-256) the fixture's blobs were given: base32 of 01 55 12 20 + digest."""
    raw = bytes([1, 0x55, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def test_sample_counts(store: Store, sample: Path) -> None:
    report = ingest(store, [sample])
    c = report.counts
    # 3 posts + 1 repost (the post's update keeps the first copy); profile, identity, profile update;
    # like, follow, 4 deletions, 2 account events; the commit without a collection.
    assert (c.posts, c.accounts, c.actions, c.quarantined, c.duplicates) == (4, 3, 8, 1, 1)
    assert report.files[0].lines == 19


def test_japanese_facets_get_code_point_offsets(loaded: Store) -> None:
    p = one(loaded, "SELECT * FROM posts WHERE uid = ?", f"bsky:{P1}")
    text = p["text"]
    assert p["kind"] == "post" and p["lang"] == "ja" and p["author_uid"] == f"bsky:{A}"
    assert p["created_at"] == ts("2024-11-20T00:00:01.123")
    assert p["conversation_id"] == P1 and p["url"] == f"https://bsky.app/profile/{A}/post/3lbeq7ztb4k2a"
    [link] = p["links"]
    assert text[link["start"] : link["end"]] == "nhk.or.jp/news…"
    # The facet said bytes 56..73; the characters before it are multi-byte, so the offsets differ.
    assert (link["start"], link["end"]) == (19, 34)
    assert link["url"] == "https://www3.nhk.or.jp/news/?utm_source=bsky"
    assert link["normalized"] == "https://www3.nhk.or.jp/news" and link["domain"] == "nhk.or.jp"
    assert p["hashtags"] == ["選挙2024"]
    [mention] = p["mentions"]
    assert mention["handle"] == "tanaka.bsky.social" and mention["id"] == B
    assert text[mention["start"] : mention["end"]] == "@tanaka.bsky.social"
    assert text.endswith("さんも見てね🗳️")
    assert [(m["kind"], m["key"], m["hash"], m["url"]) for m in p["media"]] == [
        ("image", atproto_cid(b"kagami fixture image 1"), sha(b"kagami fixture image 1"), None),
        ("image", atproto_cid(b"kagami fixture image 2"), sha(b"kagami fixture image 2"), None),
    ]
    # The post was edited (an update of the same record, seen later): the store keeps the latest copy.
    assert "こちらです" in text and p["line"] == 10


def test_reply_with_link_card(loaded: Store) -> None:
    p = one(loaded, "SELECT * FROM posts WHERE uid = ?", f"bsky:{P2}")
    assert p["kind"] == "reply" and p["text"] == "本当ですか？ソースを確認しました 😊"
    assert (p["reply_to_uid"], p["reply_to_author_uid"], p["conversation_id"]) == (
        f"bsky:{P1}",
        f"bsky:{A}",
        P1,
    )
    assert p["quote_of_uid"] is None and p["ref_uid"] is None
    [link] = p["links"]
    assert link["url"] == "https://example.co.jp/articles/2024/11/20/senkyo?ref=bsky"
    assert link["domain"] == "example.co.jp" and link["start"] is None
    assert p["media"] == []  # the link card's thumbnail is not an attachment


def test_quote_that_is_also_a_reply(loaded: Store) -> None:
    p = one(loaded, "SELECT * FROM posts WHERE uid = ?", f"bsky:{P3}")
    assert p["kind"] == "quote"
    assert (p["quote_of_uid"], p["ref_uid"], p["ref_author_uid"]) == (f"bsky:{P1}", f"bsky:{P1}", f"bsky:{A}")
    assert (p["reply_to_uid"], p["reply_to_author_uid"], p["conversation_id"]) == (
        f"bsky:{P2}",
        f"bsky:{B}",
        P1,
    )
    assert p["hashtags"] == ["拡散希望", "election"] and p["lang"] == "ja"
    [video] = p["media"]
    assert video["kind"] == "video" and video["hash"] == sha(b"kagami fixture video")


def test_repost_and_its_provenance(loaded: Store, sample: Path) -> None:
    r = one(loaded, "SELECT * FROM posts WHERE uid = ?", f"bsky:{REPOST}")
    assert (r["kind"], r["text"], r["author_uid"]) == ("repost", None, f"bsky:{C}")
    assert (r["ref_uid"], r["ref_author_uid"]) == (f"bsky:{P1}", f"bsky:{A}")
    assert r["created_at"] == ts("2024-11-20T00:02:11")
    # time_us (when Jetstream saw the event) is the payload's retrieval time; the line is kept byte-exact.
    assert r["retrieved_at"] == ts("2024-11-20T00:02:11")
    assert (r["line"], r["raw_path"], r["reader"]) == (7, "/commit", "jetstream")
    assert loaded.payload(r["raw_sha256"]) == sample.read_bytes().splitlines()[6]


def test_engagements_and_deletions(loaded: Store) -> None:
    acts = {
        a["id"]: (a["kind"], a["actor_uid"], a["target_uid"], a["target_kind"], a["detail"])
        for a in dict_rows(loaded, "SELECT * FROM actions")
    }
    assert acts == {
        LIKE: ("like", f"bsky:{B}", f"bsky:{P1}", "post", None),
        FOLLOW: ("follow", f"bsky:{B}", f"bsky:{A}", "account", None),
        f"{P2}#delete@3lbeqd8hhhh2b": ("delete_post", f"bsky:{B}", f"bsky:{P2}", "post", None),
        f"{LIKE}#delete@3lbeqd9iiii2b": ("unlike", f"bsky:{B}", f"bsky:{LIKE}", "action", None),
        f"{REPOST}#delete@3lbeqdajjjj2b": ("delete_repost", f"bsky:{C}", f"bsky:{REPOST}", "post", None),
        f"{FOLLOW}#delete@3lbeqdbkkkk2b": ("unfollow", f"bsky:{B}", f"bsky:{FOLLOW}", "action", None),
        f"{A}#account@3100000900": ("account_status", f"bsky:{A}", f"bsky:{A}", "account", "takendown"),
        f"{C}#account@3100000901": ("account_status", f"bsky:{C}", f"bsky:{C}", "account", "active"),
    }
    like = one(loaded, "SELECT created_at FROM actions WHERE id = ?", LIKE)
    assert like["created_at"] == ts("2024-11-20T00:02:10")
    # A withdrawn like or follow points at the action it withdraws.
    joined = one(
        loaded,
        "SELECT f.target_uid FROM actions u JOIN actions f ON u.target_uid = f.uid WHERE u.kind = 'unfollow'",
    )
    assert joined["target_uid"] == f"bsky:{A}"
    deleted = one(loaded, "SELECT created_at FROM actions WHERE kind = 'delete_post'")
    assert deleted["created_at"] == datetime.fromtimestamp(1732061200, UTC)


def test_profiles_and_identity(loaded: Store) -> None:
    obs = dict_rows(loaded, "SELECT * FROM account_observations ORDER BY observed_at")
    assert [(o["raw_path"], o["handle"], o["display_name"], o["default_avatar"]) for o in obs] == [
        ("/commit", None, "さくら🌸ニュース", False),
        ("/identity", "sakura-news.bsky.social", None, None),
        ("/commit", None, "さくらニュース", True),
    ]
    assert obs[1]["observed_at"] == ts("2024-11-20T00:00:00.500")
    acct = one(loaded, "SELECT * FROM accounts WHERE uid = ?", f"bsky:{A}")
    assert (acct["handle"], acct["display_name"], acct["description"]) == (
        "sakura-news.bsky.social",
        "さくらニュース",
        "更新しました",
    )
    assert acct["observations"] == 3


def test_malformed_line_quarantined_and_unknown_collection_ignored(loaded: Store) -> None:
    q = one(loaded, "SELECT * FROM quarantine")
    assert q["line"] == 12 and "collection" in q["reason"] and q["reader"] == "jetstream"
    assert orjson.loads(q["raw"])["commit"]["rkey"] == "3lbeqc7gggg2a"
    blocks = loaded.con.execute(
        "SELECT (SELECT count(*) FROM actions WHERE id LIKE '%graph.block%')"
        " + (SELECT count(*) FROM posts WHERE id LIKE '%graph.block%')"
    ).fetchone()
    assert blocks == (0,)


def test_ingest_twice_adds_nothing(store: Store, sample: Path) -> None:
    first = ingest(store, [sample])
    tables = ("posts", "actions", "account_observations", "quarantine", "raw_payloads")
    before = {t: store.count(t) for t in tables}
    again = ingest(store, [sample])
    assert again.files[0].status == "skipped"
    forced = ingest(store, [sample], force=True)
    c = forced.counts
    assert (c.posts, c.accounts, c.actions, c.quarantined) == (0, 0, 0, 0)
    assert c.duplicates == first.counts.posts + first.counts.accounts + first.counts.actions + 2
    assert {t: store.count(t) for t in tables} == before


def write(tmp_path: Path, *events: object) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))
    return path


GOOD = {"did": A, "time_us": 1732060800000000, "kind": "identity", "identity": {"did": A, "handle": "a.jp"}}


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"time_us": 1, "kind": "commit", "commit": {}}, "missing 'did'"),
        ({"did": "alice.example", "time_us": 1, "kind": "identity"}, "not a DID"),
        ({"did": A, "kind": "identity", "identity": {}}, "time_us"),
        ({"did": A, "time_us": 1, "kind": "labels"}, "unknown kind"),
        ({"did": A, "time_us": 1}, "unknown kind"),
        ({"did": A, "time_us": 1, "kind": "commit"}, "without a commit"),
        (
            {"did": A, "time_us": 1, "kind": "commit", "commit": {"operation": "create", "rkey": "x"}},
            "collection",
        ),
        (
            {
                "did": A,
                "time_us": 1,
                "kind": "commit",
                "commit": {"operation": "create", "collection": "app.bsky.feed.post", "rkey": "x"},
            },
            "without a record",
        ),
        (
            {
                "did": A,
                "time_us": 1,
                "kind": "commit",
                "commit": {"operation": "move", "collection": "app.bsky.feed.post", "rkey": "x"},
            },
            "unknown operation",
        ),
        (
            {
                "did": A,
                "time_us": 1,
                "kind": "commit",
                "commit": {
                    "operation": "create",
                    "collection": "app.bsky.feed.post",
                    "rkey": "x",
                    "record": {"$type": "app.bsky.feed.like", "text": "x"},
                },
            },
            "does not match its collection",
        ),
        (
            {
                "did": A,
                "time_us": 1,
                "kind": "commit",
                "commit": {
                    "operation": "create",
                    "collection": "app.bsky.graph.follow",
                    "rkey": "x",
                    "record": {"subject": "alice.example"},
                },
            },
            "not a DID",
        ),
        ({"did": A, "time_us": 1, "kind": "account", "account": {"did": A}}, "'active'"),
        ({"did": A, "time_us": 1, "kind": "identity"}, "without an identity"),
        ({"did": A, "time_us": 2**63 - 1, "kind": "identity", "identity": {}}, "invalid 'time_us'"),
        (
            {
                "did": A,
                "time_us": 1,
                "kind": "commit",
                "commit": {"operation": "delete", "collection": "app.bsky.feed.like", "rkey": "a/b"},
            },
            "not an at:// record URI",
        ),
    ],
)
def test_malformed_events_are_quarantined_with_reason(
    store: Store, tmp_path: Path, event: dict[str, Any], reason: str
) -> None:
    report = ingest(store, [write(tmp_path, GOOD, event)])
    assert report.files[0].format == "jetstream"
    q = one(store, "SELECT line, reason FROM quarantine")
    assert q["line"] == 2 and reason in q["reason"], q
    assert store.count("account_observations") == 1


def test_bad_facet_offsets_keep_the_link_without_offsets(store: Store, tmp_path: Path) -> None:
    text = "日本語 https://example.jp"
    record = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "facets": [
            # byteStart 1 falls inside 日 (3 bytes): not on a character boundary.
            {
                "index": {"byteStart": 1, "byteEnd": 5},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.jp"}],
            },
            {
                "index": {"byteStart": 0, "byteEnd": 999},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": B}],
            },
        ],
    }
    ev = {
        "did": A,
        "time_us": 1732060800000000,
        "kind": "commit",
        "commit": {"operation": "create", "collection": "app.bsky.feed.post", "rkey": "3x", "record": record},
    }
    ingest(store, [write(tmp_path, ev)])
    p = one(store, "SELECT * FROM posts")
    assert [(li["url"], li["start"], li["end"]) for li in p["links"]] == [("https://example.jp", None, None)]
    assert [(m["handle"], m["id"], m["start"]) for m in p["mentions"]] == [(B, B, None)]
    # No createdAt: the time Jetstream saw the event stands in.
    assert p["created_at"] == datetime.fromtimestamp(1732060800, UTC)


@pytest.mark.parametrize(
    "obj",
    [
        None,
        [],
        "x",
        {"did": A, "time_us": "1", "kind": "commit"},
        {"did": A, "time_us": 1, "kind": "post"},
        {"data": {"id": "1", "text": "x"}, "includes": {}},
        {"id": "1", "account": {"acct": "a"}, "content": "<p>x</p>"},
        {"uri": P1, "cid": "b", "value": {"text": "x"}},
    ],
)
def test_sniff_rejects_other_payloads(obj: object) -> None:
    assert jetstream.sniff(obj) is False


def test_sniff_accepts_each_event_kind(sample: Path) -> None:
    kinds = {
        orjson.loads(line)["kind"]
        for line in sample.read_bytes().splitlines()
        if jetstream.sniff(orjson.loads(line))
    }
    assert kinds == {"commit", "identity", "account"}


@pytest.mark.parametrize("module", [atproto, jetstream])
def test_module_examples(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
