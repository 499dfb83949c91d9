"""The Mastodon reader, through the real ingest path: real API bodies and hand-made fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import ingest
from kagami.ingest.base import RecordError
from kagami.ingest.mastodon import canonical_acct, sniff
from kagami.store import Store
from tests.ingest.helpers import post

API = Path("formats/mastodon/api")
STATUS_1 = "https://mstdn.example.jp/users/sakura/statuses/113300000000000001"


def rows(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params)).fetchall()


# -- the real API bodies ----------------------------------------------------------------------------


def test_api_folder_loads_every_status_and_account(store: Store, shared_data: Path) -> None:
    folder = shared_data / API
    report = ingest(store, [folder])
    assert len(report.files) == len(list(folder.glob("*.json"))) == 141
    assert {(f.format, f.status) for f in report.files} == {("mastodon", "loaded"), ("", "skipped")}
    assert sum(f.status == "loaded" for f in report.files) == 115  # 26 are byte-identical copies
    assert store.count("quarantine") == 0
    assert rows(store, "SELECT kind, count(*) FROM posts GROUP BY kind ORDER BY kind") == [
        ("post", 66),
        ("quote", 3),
        ("reply", 2),
        ("repost", 5),
    ]
    assert store.count("account_observations") == 150
    assert sorted(r[0] for r in rows(store, "SELECT uid FROM accounts")) == [
        "mastodon:admin2@localhost:3000",
        "mastodon:admin@localhost:3000",
        "mastodon:mastodonpy_test@localhost:3000",
        "mastodon:mastodonpy_test_2@localhost:3000",
    ]
    # Every post is keyed by its ActivityPub uri, never by the instance-local id.
    assert rows(store, "SELECT count(*) FROM posts WHERE id NOT LIKE 'http://localhost:3000/ap/users/%'") == [
        (0,)
    ]
    # Mastodon's default avatar is .../avatars/original/missing.png; only one account has its own.
    assert dict(rows(store, "SELECT handle, default_avatar FROM accounts")) == {
        "mastodonpy_test@localhost:3000": False,
        "mastodonpy_test_2@localhost:3000": True,
        "admin@localhost:3000": True,
        "admin2@localhost:3000": True,
    }
    assert rows(store, "SELECT count(*) FROM posts WHERE text LIKE '%&#39;%' OR text LIKE '%<p>%'") == [(0,)]


def test_a_reblog_is_a_repost_and_loads_the_original_as_non_primary(store: Store, shared_data: Path) -> None:
    ingest(store, [shared_data / API / "test_status_reblog_unreblog_01_status.json"])
    base = "http://localhost:3000/ap/users/117020565966271181/statuses/"
    wrapper = post(store, base + "117020586027094262/activity")
    assert wrapper["kind"] == "repost" and wrapper["is_primary"]
    assert wrapper["ref_uid"] == "mastodon:" + base + "117020586019094258"
    assert wrapper["ref_author_uid"] == "mastodon:mastodonpy_test@localhost:3000"
    assert wrapper["text"] is None
    original = post(store, base + "117020586019094258")
    assert original["is_primary"] is False
    assert original["kind"] == "post" and original["text"] == "Toot!"
    assert original["raw_path"] == "/reblog"


def test_hashtags_and_entity_text(store: Store, shared_data: Path) -> None:
    api = shared_data / API
    ingest(store, [api / "test_hashtag_tl_00_status.json", api / "test_list_timeline_05_statuses.json"])
    tagged = rows(store, "SELECT text, hashtags FROM posts WHERE len(hashtags) > 0")
    assert tagged == [("#hoot (hashtag toot)", ["hoot"])]
    texts = [r[0] for r in rows(store, "SELECT text FROM posts WHERE raw_path LIKE '/%' ORDER BY raw_path")]
    assert "you can't say that on television" in texts
    assert "@mastodonpy_test beep beep I'm a jeep" in texts


def test_quote_reply_media_and_card_from_the_api(store: Store, shared_data: Path) -> None:
    names = ("post_with_quote_01", "reply_02", "delete_media_02", "card_01")
    ingest(store, [shared_data / API / f"test_status_{n}_status.json" for n in names])
    base = "http://localhost:3000/ap/users/117020565966271181/statuses/"
    quote = post(store, base + "117020582925004921")
    assert quote["kind"] == "quote" and quote["text"] == "yoooooooo"  # the "RE: <url>" fallback is left out
    assert quote["quote_of_uid"] == quote["ref_uid"] == "mastodon:" + base + "117020582917124092"
    assert quote["links"] == []
    reply = post(store, "http://localhost:3000/ap/users/117020565693913441/statuses/117020583258292382")
    assert reply["kind"] == "reply"
    assert reply["reply_to_uid"] == "mastodon:local/localhost:3000/117020583245459824"
    assert reply["reply_to_author_uid"] == "mastodon:mastodonpy_test_2@localhost:3000"  # from the mentions
    media = post(store, base + "117020606035908211")["media"]
    assert media == [
        {
            "url": "http://localhost:3000/system/media_attachments/files/117/020/606/032/533/890/original/"
            "5acd59c19f4b7d96.jpg",
            "kind": "image",
            "key": "117020606032533890",
            "hash": None,  # a blurhash is a preview, not a content hash
        }
    ]
    card = post(store, base + "117020609135389699")
    assert [(x["url"], x["domain"]) for x in card["links"]] == [("http://example.org/", "example.org")]
    assert card["source"] == "Mastodon.py test suite"


def test_cassettes_and_pickles_are_quarantined_not_read(store: Store, shared_data: Path) -> None:
    folder = shared_data / "formats" / "mastodon"
    report = ingest(store, [folder])
    unread = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".pkl"))
    assert len(unread) == 88
    by_name = {Path(f.path).name: f for f in report.files}
    quarantined = [n for n in unread if by_name[n].status == "quarantined"]
    # The rest are byte-identical copies of a quarantined file, skipped by their sha256.
    assert len(quarantined) == 83 and all(
        by_name[n].status == "skipped" for n in set(unread) - set(quarantined)
    )
    assert all(by_name[n].format == "unrecognised" for n in quarantined)
    reasons = dict(rows(store, "SELECT source_file, reason FROM quarantine"))
    assert len(reasons) == 83
    assert all("YAML" in reasons[str(folder / n)] for n in quarantined if n.endswith(".yaml"))
    assert "unpickling runs code" in reasons[str(folder / "test_scheduled_status_datetimeobjects.pkl")]
    assert rows(store, "SELECT DISTINCT reader FROM quarantine") == [("unrecognised",)]
    assert store.count("posts") == 76  # the api/ folder, and nothing from the cassettes


# -- hand-made fixtures -----------------------------------------------------------------------------


def test_japanese_status_with_links_tags_mentions_and_media(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "statuses.jsonl"])
    p = post(store, STATUS_1)
    assert p["text"] == (
        "期日前投票に行ってきました！\n会場は空いていました。 #選挙\n\n"
        "@kenji 詳細: https://www.soumu.go.jp/senkyo/?utm_source=mastodon & 投票率>50%"
    )
    assert p["author_uid"] == "mastodon:sakura@mstdn.example.jp"
    assert p["lang"] == "ja" and p["is_primary"] and p["kind"] == "post"
    assert p["hashtags"] == ["選挙"]
    assert p["mentions"] == [
        {"handle": "kenji@social.example.org", "id": "kenji@social.example.org", "start": None, "end": None}
    ]
    # The content link and the preview card are one link; the hashtag and mention anchors are not links.
    assert [(x["normalized"], x["domain"]) for x in p["links"]] == [
        ("https://soumu.go.jp/senkyo", "soumu.go.jp")
    ]
    assert [m["kind"] for m in p["media"]] == ["image"]
    assert (p["like_count"], p["repost_count"], p["reply_count"], p["quote_count"]) == (14, 2, 1, 1)
    assert p["url"] == "https://mstdn.example.jp/@sakura/113300000000000001"
    assert p["created_at"].isoformat() == "2024-10-20T03:15:00+00:00"


def test_fixture_reblog_quote_and_reply(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "statuses.jsonl"])
    boost = post(store, "https://social.example.org/users/kenji/statuses/113300000000000050/activity")
    assert (boost["kind"], boost["ref_uid"], boost["ref_author_uid"]) == (
        "repost",
        "mastodon:" + STATUS_1,
        "mastodon:sakura@mstdn.example.jp",
    )
    quote = post(store, "https://spam.example.net/users/botnet01/statuses/113300000000000060")
    assert quote["kind"] == "quote" and quote["quote_of_uid"] == "mastodon:" + STATUS_1
    assert quote["text"] == "これは組織的な不正の証拠だ。拡散希望！"
    assert quote["links"] == []
    reply = post(store, "https://mstdn.example.jp/users/Tanaka/statuses/113300000000000080")
    # The parent is on another line: its local id is kept, qualified by the instance that served it.
    assert reply["reply_to_uid"] == "mastodon:local/mstdn.example.jp/113300000000000001"
    assert reply["reply_to_author_uid"] == "mastodon:sakura@mstdn.example.jp"
    assert reply["author_uid"] == "mastodon:tanaka@mstdn.example.jp"
    # The reblogged and quoted copies did not displace the primary copy read first.
    assert post(store, STATUS_1)["is_primary"] is True


def test_hostile_html_is_kept_as_evidence_and_never_becomes_markup(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "statuses.jsonl"])
    p = post(store, "https://spam.example.net/users/botnet01/statuses/113300000000000070")
    assert p["text"] == "見てください\n\n<b>太字</b> クリック"  # escaped by the author: literal text
    for bad in ("<script", "alert", "onerror", "<img", "<iframe", "<style", "display:none"):
        assert bad not in p["text"]
    content = orjson.loads(store.payload(p["raw_sha256"]) or b"")["content"]
    assert '<script>alert("xss")</script>' in content and 'onerror="alert(1)"' in content
    assert p["links"] == [
        {
            "url": "javascript:alert(2)",
            "expanded": None,
            "normalized": None,
            "domain": None,
            "start": None,
            "end": None,
        }
    ]


def test_broken_line_and_broken_list_member_are_quarantined(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon"])
    got = rows(store, "SELECT source_file, line, raw_path, reason, raw FROM quarantine ORDER BY source_file")
    assert [(Path(r[0]).name, r[1], r[2]) for r in got] == [
        ("statuses.jsonl", 6, ""),
        ("timeline.json", 0, "/2"),
    ]
    assert "'uri'" in got[0][3]
    assert "unreadable time 'not a time'" in got[1][3]
    assert orjson.loads(got[1][4])["id"] == "113300000000000202"
    assert rows(store, "SELECT count(*) FROM posts WHERE raw_path IN ('/0', '/1')") == [(2,)]


def test_a_reply_on_the_same_page_resolves_to_the_parent_uri(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "timeline.json"])
    reply = post(store, "https://mstdn.example.jp/users/Tanaka/statuses/113300000000000201")
    assert (
        reply["reply_to_uid"] == "mastodon:https://social.example.org/users/kenji/statuses/113300000000000200"
    )
    assert reply["reply_to_author_uid"] == "mastodon:kenji@social.example.org"


def test_thread_context_resolves_across_ancestors_and_descendants(
    store: Store, fixtures: Path, tmp_path: Path
) -> None:
    page = json.loads((fixtures / "mastodon" / "timeline.json").read_text())
    path = tmp_path / "context.json"
    path.write_text(json.dumps({"ancestors": [page[0]], "descendants": [page[1]]}))
    ingest(store, [path])
    reply = post(store, "https://mstdn.example.jp/users/Tanaka/statuses/113300000000000201")
    assert reply["raw_path"] == "/descendants/0"
    assert (
        reply["reply_to_uid"] == "mastodon:https://social.example.org/users/kenji/statuses/113300000000000200"
    )


def test_account_observation(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "account.json"])
    cur = store.con.execute("SELECT * FROM account_observations")
    names = [d[0] for d in cur.description]
    (row,) = cur.fetchall()
    acc = dict(zip(names, row, strict=True))
    assert acc["uid"] == "mastodon:tanaka@mstdn.example.jp"
    assert acc["handle"] == "Tanaka@mstdn.example.jp" and acc["display_name"] == "田中"
    assert (acc["protected"], acc["default_avatar"]) == (True, True)
    assert (acc["followers"], acc["following"], acc["posts_count"]) == (40, 41, 100)
    assert acc["raw_path"] == ""


def test_profile_note_is_plain_text(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "mastodon" / "statuses.jsonl"])
    (desc,) = rows(store, "SELECT description FROM accounts WHERE uid = 'mastodon:sakura@mstdn.example.jp'")[
        0
    ]
    assert desc == "東京在住。選挙と&地域の話題\nリンク: sakura.example.jp"


def test_reingest_adds_nothing(store: Store, fixtures: Path) -> None:
    first = ingest(store, [fixtures / "mastodon"])
    assert first.counts.posts == 7 and first.counts.quarantined == 2
    again = ingest(store, [fixtures / "mastodon"])
    assert {f.status for f in again.files} == {"skipped"}
    forced = ingest(store, [fixtures / "mastodon"], force=True)
    c = forced.counts
    assert (c.posts, c.accounts, c.actions, c.quarantined) == (0, 0, 0, 0)
    assert c.duplicates > 0


def test_nesting_beyond_reason_is_refused(store: Store, fixtures: Path, tmp_path: Path) -> None:
    status = json.loads((fixtures / "mastodon" / "timeline.json").read_text())[0]
    for _ in range(20):
        status = {**status, "uri": status["uri"] + "/r", "reblog": status}
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(status))
    ingest(store, [path])
    assert store.count("posts") == 0
    assert "nested too deep" in rows(store, "SELECT reason FROM quarantine")[0][0]


# -- units ------------------------------------------------------------------------------------------


def test_sniff_claims_mastodon_shapes_only(fixtures: Path) -> None:
    page = json.loads((fixtures / "mastodon" / "timeline.json").read_text())
    account = json.loads((fixtures / "mastodon" / "account.json").read_text())
    assert sniff(page[0]) and sniff(page) and sniff(account) and sniff([account])
    assert sniff({"ancestors": [], "descendants": page})
    assert sniff({"accounts": [account], "statuses": [], "hashtags": []})
    assert not sniff([])
    assert not sniff({"ancestors": [], "descendants": {}})
    assert not sniff({"content": "x", "account": {}})  # no uri: not claimed
    assert not sniff(json.loads((fixtures / "telegram" / "result.json").read_text()))
    assert not sniff({"uri": "at://did:plc:x/app.bsky.feed.post/1", "author": {"handle": "a.bsky.social"}})
    assert not sniff("text") and not sniff(None) and not sniff([[page[0]]])


@pytest.mark.parametrize(
    ("acct", "url", "expected"),
    [
        ("sakura", "https://mstdn.example.jp/@sakura", "sakura@mstdn.example.jp"),
        ("Kenji@Social.Example.org", "https://ignored.example/@kenji", "Kenji@social.example.org"),
        ("a", "http://localhost:3000/@a", "a@localhost:3000"),
        ("b", "https://m.example:443/@b", "b@m.example"),
        ("@c@d.example", None, "c@d.example"),
    ],
)
def test_canonical_acct(acct: str, url: str | None, expected: str) -> None:
    assert canonical_acct(acct, url) == expected


def test_canonical_acct_needs_a_domain() -> None:
    with pytest.raises(RecordError):
        canonical_acct("local_only", None)
    with pytest.raises(RecordError):
        canonical_acct("x", "not a url")
