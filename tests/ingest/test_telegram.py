"""The Telegram Desktop export reader, through the real ingest path, on hand-made exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import ingest
from kagami.ingest.base import RecordError
from kagami.ingest.telegram import chat_peer, sniff, text_parts
from kagami.store import Store
from tests.ingest.helpers import post

CH = "channel1987654321"


def rows(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params)).fetchall()


@pytest.fixture
def channel(store: Store, fixtures: Path) -> Store:
    report = ingest(store, [fixtures / "telegram" / "result.json"])
    assert [(f.format, f.status) for f in report.files] == [("telegram", "loaded")]
    return store


def test_channel_messages_become_posts_and_service_messages_do_not(channel: Store) -> None:
    assert rows(channel, "SELECT id, kind FROM posts ORDER BY created_at") == [
        (f"{CH}/2", "post"),
        (f"{CH}/3", "post"),
        (f"{CH}/4", "repost"),
        (f"{CH}/5", "repost"),
        (f"{CH}/7", "reply"),
        (f"{CH}/9", "post"),
    ]
    assert rows(channel, "SELECT DISTINCT author_uid FROM posts") == [(f"telegram:{CH}",)]
    assert rows(channel, "SELECT raw_path FROM posts ORDER BY created_at LIMIT 1") == [("/messages/1",)]


def test_the_channel_is_an_account_dated_by_its_creation(channel: Store) -> None:
    got = rows(
        channel, "SELECT display_name, created_at, raw_path FROM account_observations WHERE id = ?", CH
    )
    assert len(got) == 1
    name, created, path = got[0]
    assert name == "選挙ウォッチ速報" and path == ""
    assert created.isoformat() == "2024-09-01T00:00:00+00:00"


def test_time_comes_from_date_unixtime_not_the_local_date(channel: Store) -> None:
    # The file says "date": "2024-10-20T10:00:00" (the exporter's JST clock); the epoch says 01:00 UTC.
    assert post(channel, f"{CH}/2")["created_at"].isoformat() == "2024-10-20T01:00:00+00:00"


def test_text_as_a_list_gives_text_links_hashtags_and_mentions(channel: Store) -> None:
    p = post(channel, f"{CH}/3")
    text = p["text"]
    assert text == (
        "投票所の変更について https://www.soumu.go.jp/senkyo/\n#衆院選 詳細はこちら @senkyo_info 必ず確認を"
    )
    assert [(x["normalized"], x["domain"]) for x in p["links"]] == [
        ("https://soumu.go.jp/senkyo", "soumu.go.jp"),
        ("https://example.jp/news?id=1", "example.jp"),  # a text_link: its href, tracking dropped
    ]
    assert [text[x["start"] : x["end"]] for x in p["links"]] == [
        "https://www.soumu.go.jp/senkyo/",
        "詳細はこちら",
    ]
    assert p["hashtags"] == ["衆院選"]
    (m,) = p["mentions"]
    assert (m["handle"], m["id"], text[m["start"] : m["end"]]) == ("senkyo_info", None, "@senkyo_info")


def test_forwards_are_reposts_of_the_source_channel(channel: Store) -> None:
    fwd = post(channel, f"{CH}/4")
    assert (fwd["kind"], fwd["ref_author_uid"], fwd["ref_uid"]) == (
        "repost",
        "telegram:channel1555000111",
        None,
    )
    assert fwd["text"] == "【速報】投票用紙が大量に廃棄されたとの情報 #不正選挙"
    assert fwd["hashtags"] == ["不正選挙"]
    assert fwd["media"] == [
        {"url": None, "kind": "photo", "key": "photos/photo_4@20-10-2024_12-00-00.jpg", "hash": None}
    ]
    assert fwd["like_count"] == 42  # every reaction kind counts
    hidden = post(channel, f"{CH}/5")
    assert (hidden["kind"], hidden["ref_author_uid"]) == ("repost", None)  # the original author hides it
    assert hidden["media"] == [{"url": None, "kind": "file", "key": "flyer.pdf", "hash": None}]
    (link,) = hidden["links"]
    assert (link["url"], link["expanded"], link["domain"]) == (
        "example.org/page",
        "http://example.org/page",
        "example.org",
    )
    names = rows(channel, "SELECT display_name FROM account_observations WHERE id = 'channel1555000111'")
    assert names == [("海外ニュース24",)]


def test_reply_mention_name_reactions_and_bot(channel: Store) -> None:
    reply = post(channel, f"{CH}/7")
    assert reply["reply_to_uid"] == f"telegram:{CH}/2"
    assert reply["reply_to_author_uid"] == f"telegram:{CH}"
    assert post(channel, f"{CH}/2")["like_count"] == 15
    named = post(channel, f"{CH}/9")
    assert named["text"] == "山田 太郎 さんの発言を訂正します。"
    assert [(m["handle"], m["id"], m["start"], m["end"]) for m in named["mentions"]] == [
        ("山田 太郎", "user5551234", 0, 5)
    ]
    assert named["source"] == "@vote_helper_bot"


def test_a_message_without_id_is_quarantined_and_the_rest_loads(channel: Store) -> None:
    (q,) = rows(channel, "SELECT line, raw_path, reason, reader, raw FROM quarantine")
    assert q[:4] == (0, "/messages/5", "message: missing 'id'", "telegram")
    assert orjson.loads(q[4])["text"] == "IDのないメッセージ"
    assert channel.count("posts") == 6


def test_full_export_reads_every_chat_and_left_chat(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "telegram" / "full_export.json"])
    assert rows(store, "SELECT id, kind, author_uid FROM posts ORDER BY id") == [
        ("channel1555000111/700", "post", "telegram:channel1555000111"),
        ("channel1700000001/11", "post", "telegram:user111"),
        ("channel1700000001/12", "reply", "telegram:user222"),
        ("channel1700000001/13", "repost", "telegram:user222"),
        ("user333/50001", "post", "telegram:user333"),
        ("user333/50002", "reply", "telegram:user999"),
    ]
    reply = post(store, "channel1700000001/12")
    assert (reply["reply_to_uid"], reply["reply_to_author_uid"]) == (
        "telegram:channel1700000001/11",
        "telegram:user111",
    )
    assert post(store, "channel1700000001/13")["ref_author_uid"] == f"telegram:{CH}"
    q = rows(store, "SELECT raw_path, reason FROM quarantine")
    assert q == [("/left_chats/list/1", "chat: missing numeric 'id'")]
    names = dict(rows(store, "SELECT id, display_name FROM accounts WHERE display_name IS NOT NULL"))
    assert names["channel1700000001"] == "地域ボランティア"
    assert names["channel1555000111"] == "Foreign Voice JP"
    assert names["user222"] == "鈴木"
    # The exporter's own personal_information is never loaded.
    assert rows(store, "SELECT count(*) FROM account_observations WHERE display_name LIKE '%調査%'") == [(0,)]


def test_reingest_adds_nothing(store: Store, fixtures: Path) -> None:
    first = ingest(store, [fixtures / "telegram"])
    assert first.counts.posts == 12 and first.counts.quarantined == 2
    again = ingest(store, [fixtures / "telegram"], force=True)
    c = again.counts
    assert (c.posts, c.accounts, c.actions, c.quarantined) == (0, 0, 0, 0)
    assert c.duplicates == first.counts.posts + first.counts.accounts + first.counts.quarantined


def test_old_export_without_unixtime_or_entities(store: Store, tmp_path: Path) -> None:
    chat = {
        "name": "Old",
        "type": "public_channel",
        "id": 42,
        "messages": [
            {"id": 1, "type": "message", "date": "2019-05-01T08:30:00", "from": "Old", "text": "古い形式"},
            {
                "id": 2,
                "type": "message",
                "date": "2019-05-01T08:31:00",
                "text": ["a ", {"type": "hashtag", "text": "#b"}],
            },
            {"id": 3, "type": "message", "date": "2019-05-01T08:32:00", "photo": "photos/p.jpg", "text": ""},
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False))
    ingest(store, [path])
    first = post(store, "channel42/1")
    assert first["created_at"].isoformat() == "2019-05-01T08:30:00+00:00"  # local time read as UTC
    assert first["author_uid"] == "telegram:channel42"  # a channel post with no from_id
    assert (first["text"], post(store, "channel42/2")["hashtags"]) == ("古い形式", ["b"])
    assert post(store, "channel42/3")["text"] is None


def test_a_chat_without_a_numeric_id_is_quarantined_whole(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "x", "type": "public_channel", "id": "abc", "messages": []}))
    report = ingest(store, [path])
    assert report.counts.quarantined == 1 and store.count("posts") == 0
    assert rows(store, "SELECT reason, raw_path FROM quarantine") == [("chat: missing numeric 'id'", "")]


def test_unknown_message_type_and_bad_entities_are_quarantined(store: Store, tmp_path: Path) -> None:
    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": "ok"},
        {"id": 2, "type": "mystery", "date_unixtime": "1700000001", "text": "?"},
        {"id": 3, "type": "message", "date_unixtime": "1700000002", "text": ["a", 5]},
        {"id": 4, "type": "message", "text": "no date"},
        "not an object",
    ]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "g", "type": "private_group", "id": 9, "messages": messages}))
    ingest(store, [path])
    assert rows(store, "SELECT id FROM posts") == [("chat9/1",)]
    got = dict(rows(store, "SELECT raw_path, reason FROM quarantine"))
    assert set(got) == {"/messages/1", "/messages/2", "/messages/3", "/messages/4"}
    assert "unknown type 'mystery'" in got["/messages/1"]
    assert "no readable date" in got["/messages/3"]


def test_sniff(fixtures: Path) -> None:
    assert sniff(json.loads((fixtures / "telegram" / "result.json").read_text()))
    assert sniff(json.loads((fixtures / "telegram" / "full_export.json").read_text()))
    assert not sniff(json.loads((fixtures / "mastodon" / "account.json").read_text()))
    assert not sniff({"messages": [], "id": 1})  # no chat type
    assert not sniff({"chats": []}) and not sniff([]) and not sniff(None)


def test_chat_peer_and_text_parts() -> None:
    assert chat_peer({"type": "public_channel", "id": 7}) == "channel7"
    assert chat_peer({"type": "private_group", "id": "7"}) == "chat7"
    assert chat_peer({"type": "bot_chat", "id": 7}) == "user7"
    with pytest.raises(RecordError):
        chat_peer({"type": "public_channel"})
    assert text_parts(None) == ("", [], [], [])
    text, links, tags, mentions = text_parts(
        [{"type": "plain", "text": "x "}, {"type": "email", "text": "a@b.jp"}]
    )
    assert (text, links, tags, mentions) == ("x a@b.jp", [], [], [])
