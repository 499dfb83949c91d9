"""The generic table reader (CSV, TSV, Parquet) through a declared column mapping."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kagami.ingest import ingest
from kagami.ingest.base import Source
from kagami.ingest.mapping import MappingError, load_mapping
from kagami.ingest.tabular import sniff_source
from kagami.store import Store

ROOT = Path(__file__).resolve().parents[2]
CNT_MAPPING = ROOT / "docs" / "mappings" / "coordination_network_toolkit.json"


def one(store: Store, sql: str, *params: object) -> tuple[object, ...]:
    row = store.con.execute(sql, list(params)).fetchone()
    assert row is not None, sql
    return tuple(row)


def write_mapping(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.fixture
def cnt(fixtures: Path) -> Path:
    return fixtures / "tabular" / "cnt_messages.csv"


@pytest.fixture
def cnt_loaded(store: Store, cnt: Path) -> Store:
    ingest(store, [cnt], forced="tabular", options={"mapping": str(CNT_MAPPING)})
    return store


def test_coordination_network_toolkit_csv_with_the_shipped_mapping(store: Store, cnt: Path) -> None:
    report = ingest(store, [cnt], forced="tabular", options={"mapping": str(CNT_MAPPING)})
    (fr,) = report.files
    assert (fr.format, fr.status, fr.lines) == ("tabular", "loaded", 13)
    assert (report.counts.posts, report.counts.accounts, report.counts.quarantined) == (8, 8, 2)
    kinds = store.con.execute("SELECT kind, count(*) FROM posts GROUP BY kind ORDER BY kind").fetchall()
    assert kinds == [("post", 4), ("reply", 1), ("repost", 3)]
    repost = one(
        store, "SELECT author_uid, ref_uid, created_at, line FROM posts WHERE id = '1085820097715449856'"
    )
    assert repost == (
        "x:a3f1c9e2b7d54e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
        "x:1085813251542138880",
        datetime(2019, 1, 17, 11, 10, tzinfo=UTC),
        3,
    )
    reply = one(store, "SELECT kind, ref_uid, reply_to_uid FROM posts WHERE id = '1085830011223344556'")
    assert reply == ("reply", "x:1085813251542138880", "x:1085813251542138880")


def test_cnt_bad_rows_are_quarantined(cnt_loaded: Store) -> None:
    rows = cnt_loaded.con.execute("SELECT line, reason, reader FROM quarantine ORDER BY line").fetchall()
    assert rows == [
        (10, "created_at: unreadable time 'yesterday'", "tabular"),
        (12, "expected 8 fields as in the header, found 7", "tabular"),
    ]


def test_unix_second_strings_and_digits_that_are_not_numbers(store: Store, tmp_path: Path) -> None:
    data = tmp_path / "times.csv"
    data.write_bytes(
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
        "1,u1,a,,,x,1700000003,\n"
        "2,u1,a,,,x, 1547769600 ,\n"
        "3,u1,a,,,x,1547769600.5,\n"
        "4,u1,a,,,x,²,\n"
        "5,u1,a,,,x,20190117,\n".encode()
    )
    ingest(store, [data], forced="tabular", options={"mapping": str(CNT_MAPPING)})
    times = store.con.execute("SELECT id, created_at FROM posts ORDER BY id").fetchall()
    assert times == [
        ("1", datetime(2023, 11, 14, 22, 13, 23, tzinfo=UTC)),
        ("2", datetime(2019, 1, 18, tzinfo=UTC)),
        ("3", datetime(2019, 1, 18, 0, 0, 0, 500000, tzinfo=UTC)),
        ("5", datetime(2019, 1, 17, tzinfo=UTC)),  # ISO 8601's basic date form
    ]
    rows = store.con.execute("SELECT line, reason FROM quarantine").fetchall()
    assert rows == [(5, "created_at: unreadable time '²'")]


def test_cnt_texts_times_links_and_handles(cnt_loaded: Store) -> None:
    text, created, line = one(
        cnt_loaded, "SELECT text, created_at, line FROM posts WHERE id = '1086000000000000001'"
    )
    assert text == '【速報】\n選挙管理委員会が「不正はない」と発表。\nしかし "公式発表" を鵜呑みにしないで。'
    assert created == datetime(2019, 1, 18, 0, 0, 0, 500000, tzinfo=UTC)  # fractional Unix seconds
    assert line == 5
    # the same article, shared with and without scheme and tracking, is one normalised link
    norms = cnt_loaded.con.execute(
        "SELECT id, [l.normalized FOR l IN links] FROM posts "
        "WHERE id IN ('1085813251542138880', '1085820097715449856', '1086077777777777777') ORDER BY id"
    ).fetchall()
    assert norms == [
        ("1085813251542138880", ["https://example.jp/news/2019/01/17?id=42"]),
        ("1085820097715449856", ["https://example.jp/news/2019/01/17?id=42"]),
        ("1086077777777777777", ["https://youtu.be/dQw4w9WgXcQ"]),
    ]
    (urls,) = one(cnt_loaded, "SELECT [l.url FOR l IN links] FROM posts WHERE id = '1086077777777777777'")
    assert urls == ["youtu.be/dQw4w9WgXcQ"]  # kept as written
    (two,) = one(cnt_loaded, "SELECT [l.domain FOR l IN links] FROM posts WHERE id = '1086044444444444444'")
    assert two == ["example.cn", "bit.ly"]
    handles = cnt_loaded.con.execute("SELECT DISTINCT handle FROM account_observations ORDER BY 1").fetchall()
    assert [h[0] for h in handles] == [
        "a3f1c9e2b7d54e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
        "fresh_acct_0419",
        "huaxia_voice",
        "panda_fan_88",
        "sakura_news_jp",
    ]
    assert one(cnt_loaded, "SELECT text FROM posts WHERE id = '1086077777777777777'") == (
        "投票に行く前に、この動画を見てください。",
    )
    (raw,) = one(cnt_loaded, "SELECT raw FROM quarantine WHERE line = 12")
    assert isinstance(raw, bytes) and "谢谢分享，支持！".encode() in raw


def test_cnt_raw_payload_is_byte_exact(cnt_loaded: Store, cnt: Path) -> None:
    physical = cnt.read_bytes().split(b"\n")
    expected = b"\n".join([physical[0], *physical[4:7]]) + b"\n"
    (sha,) = one(cnt_loaded, "SELECT raw_sha256 FROM posts WHERE id = '1086000000000000001'")
    assert sha == hashlib.sha256(expected).hexdigest()
    assert cnt_loaded.payload(sha) == expected


def test_cnt_ingest_twice_adds_nothing(store: Store, cnt: Path) -> None:
    options = {"mapping": str(CNT_MAPPING)}
    ingest(store, [cnt], forced="tabular", options=options)
    counts = {t: store.count(t) for t in ("posts", "account_observations", "raw_payloads", "quarantine")}
    again = ingest(store, [cnt], forced="tabular", options=options, force=True)
    assert (again.counts.posts, again.counts.accounts, again.counts.quarantined) == (0, 0, 0)
    assert again.counts.duplicates == 18
    assert {t: store.count(t) for t in counts} == counts


def test_likes_tsv_with_named_columns_and_toml_mapping(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "likes.toml"
    mapping.write_text(
        'platform = "bsky"\nkind = "actions"\naction = "like"\ntime_format = "%Y/%m/%d %H:%M:%S"\n'
        '[columns]\nactor_id = "liker"\ntarget_id = "post"\ncreated_at = "when"\n'
    )
    table = tmp_path / "likes.tsv"
    table.write_bytes(
        b"\xef\xbb\xbfliker\tpost\twhen\r\n"
        b"did:plc:aaa\tat://did:plc:zzz/app.bsky.feed.post/3k\t2024/07/01 09:00:00\r\n"
        b"did:plc:bbb\tat://did:plc:zzz/app.bsky.feed.post/3k\t2024/07/01 09:00:02\r\n"
        b"did:plc:ccc\tat://did:plc:zzz/app.bsky.feed.post/3k\t2024-07-01\r\n"
    )
    report = ingest(store, [table], forced="tabular", options={"mapping": str(mapping)})
    assert report.counts.actions == 2
    rows = store.con.execute(
        "SELECT uid, kind, actor_uid, target_uid, target_kind, created_at, line FROM actions ORDER BY line"
    ).fetchall()
    key = hashlib.sha256(
        b"did:plc:aaa\x1fat://did:plc:zzz/app.bsky.feed.post/3k\x1f2024-07-01T09:00:00+00:00"
    ).hexdigest()[:32]
    assert rows[0] == (
        f"bsky:like:{key}",
        "like",
        "bsky:did:plc:aaa",
        "bsky:at://did:plc:zzz/app.bsky.feed.post/3k",
        "post",
        datetime(2024, 7, 1, 9, 0, tzinfo=UTC),
        2,
    )
    assert one(store, "SELECT line, reason FROM quarantine") == (
        4,
        "created_at: '2024-07-01' does not match time_format '%Y/%m/%d %H:%M:%S'",
    )
    again = ingest(store, [table], forced="tabular", options={"mapping": str(mapping)}, force=True)
    assert again.counts.actions == 0


def test_follows_with_a_kind_column_and_ids(store: Store, tmp_path: Path) -> None:
    mapping = write_mapping(
        tmp_path / "m.json",
        {
            "platform": "x",
            "kind": "actions",
            "columns": {
                "id": "event",
                "kind": "type",
                "actor_id": "src",
                "target_id": "dst",
                "created_at": "t",
            },
        },
    )
    table = tmp_path / "follows.csv"
    table.write_text(
        "event,type,src,dst,t\n"
        "e1,follow,1,2,2019-01-17T10:43:00Z\n"
        "e2,Unfollow,1,2,2019-01-18T10:43:00+09:00\n"
        "e3,poke,1,2,2019-01-18T10:43:00Z\n"
    )
    ingest(store, [table], forced="tabular", options={"mapping": mapping})
    rows = store.con.execute("SELECT uid, kind, target_kind, created_at FROM actions ORDER BY uid").fetchall()
    assert rows == [
        ("x:follow:e1", "follow", "account", datetime(2019, 1, 17, 10, 43, tzinfo=UTC)),
        ("x:unfollow:e2", "unfollow", "account", datetime(2019, 1, 18, 1, 43, tzinfo=UTC)),
    ]
    (reason,) = one(store, "SELECT reason FROM quarantine WHERE line = 4")
    assert isinstance(reason, str) and reason.startswith("kind: unknown action 'poke'")


def _parquet(path: Path) -> list[dict[str, Any]]:
    big = "長い投稿 " * 210_000  # over 1 MB
    table = pa.table(
        {
            "id": pa.array([101, 102, None, 104], pa.int64()),
            "user": ["u1", "u2", "u3", "u1"],
            "ts": pa.array(
                [datetime(2024, 7, 1, 9, m, tzinfo=UTC) for m in range(4)], pa.timestamp("us", tz="UTC")
            ),
            "text": ["こんにちは", big, "no id", "RT"],
            "links": pa.array([["https://www.nhk.or.jp/news/"], [], None, []], pa.list_(pa.string())),
            "rt": pa.array([None, None, None, 101], pa.int64()),
            "thumb": pa.array([b"\x00\x01", None, None, None], pa.binary()),
        }
    )
    pq.write_table(table, path, row_group_size=2)
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def test_parquet_posts(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "posts.parquet"
    rows = _parquet(path)
    mapping = write_mapping(
        tmp_path / "p.json",
        {
            "platform": "mastodon",
            "columns": {
                "id": "id",
                "author_id": "user",
                "created_at": "ts",
                "text": "text",
                "urls": "links",
                "repost_of": "rt",
            },
        },
    )
    report = ingest(store, [path], forced="tabular", options={"mapping": mapping})
    assert (report.files[0].lines, report.counts.posts, report.counts.quarantined) == (4, 3, 1)
    got = store.con.execute("SELECT id, kind, ref_uid, line, created_at FROM posts ORDER BY id").fetchall()
    assert got == [
        ("101", "post", None, 1, datetime(2024, 7, 1, 9, 0, tzinfo=UTC)),
        ("102", "post", None, 2, datetime(2024, 7, 1, 9, 1, tzinfo=UTC)),
        ("104", "repost", "mastodon:101", 4, datetime(2024, 7, 1, 9, 3, tzinfo=UTC)),
    ]
    assert one(store, "SELECT text = ? FROM posts WHERE id = '102'", rows[1]["text"]) == (True,)
    assert one(store, "SELECT text, [l.domain FOR l IN links] FROM posts WHERE id = '101'") == (
        "こんにちは",
        ["nhk.or.jp"],
    )
    (sha,) = one(store, "SELECT raw_sha256 FROM posts WHERE id = '101'")
    expected = (
        b'{"id":101,"user":"u1","ts":"2024-07-01T09:00:00+00:00","text":"\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab'
        b'\xe3\x81\xa1\xe3\x81\xaf","links":["https://www.nhk.or.jp/news/"],"rt":null,"thumb":"AAE="}'
    )
    assert orjson.loads(expected)["id"] == rows[0]["id"]
    assert store.payload(sha) == expected
    assert sha == hashlib.sha256(expected).hexdigest()
    assert one(store, "SELECT line, reason FROM quarantine") == (3, "id is empty")
    again = ingest(store, [path], forced="tabular", options={"mapping": mapping}, force=True)
    assert (again.counts.posts, again.counts.quarantined) == (0, 0)


def test_unreadable_parquet_is_set_aside_whole(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    report = ingest(store, [path], forced="tabular", options={"mapping": str(CNT_MAPPING)})
    assert report.counts.quarantined == 1
    line, reason, raw = one(store, "SELECT line, reason, raw FROM quarantine")
    assert line == 0 and raw == path.read_bytes()
    assert isinstance(reason, str) and reason.startswith("unreadable Parquet file:")


def test_a_corrupt_row_group_costs_only_its_rows(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "half.parquet"
    table = pa.table({"id": [1, 2, 3, 4, 5, 6], "user": list("abcdef"), "ts": [1_700_000_000] * 6})
    pq.write_table(table, path, row_group_size=2, compression="none")
    offset = pq.ParquetFile(path).metadata.row_group(1).column(0).data_page_offset
    data = bytearray(path.read_bytes())
    data[offset : offset + 8] = b"\xff" * 8  # the second row group's first page header
    path.write_bytes(bytes(data))
    mapping = write_mapping(
        tmp_path / "m.json",
        {"platform": "x", "columns": {"id": "id", "author_id": "user", "created_at": "ts"}},
    )
    report = ingest(store, [path], forced="tabular", options={"mapping": mapping})
    assert (report.files[0].lines, report.counts.posts) == (6, 4)
    got = store.con.execute("SELECT id, line FROM posts ORDER BY line").fetchall()
    assert got == [("1", 1), ("2", 2), ("5", 5), ("6", 6)]
    line, reason = one(store, "SELECT line, reason FROM quarantine")
    assert line == 3 and isinstance(reason, str)
    assert reason.startswith("unreadable Parquet row group 1 (rows 3-4): ")


def test_tsv_without_quoting_keeps_quote_marks(store: Store, tmp_path: Path) -> None:
    mapping = write_mapping(
        tmp_path / "m.json",
        {
            "platform": "telegram",
            "quotechar": None,
            "columns": {"id": 0, "author_id": 1, "created_at": 2, "text": 3},
        },
    )
    table = tmp_path / "msgs.tsv"
    table.write_text('id\tchannel\tdate\ttext\n7\t-100123\t1700000000\t"Quoted" start, no closing\n')
    ingest(store, [table], forced="tabular", options={"mapping": mapping})
    assert one(store, "SELECT uid, author_uid, text FROM posts") == (
        "telegram:7",
        "telegram:-100123",
        '"Quoted" start, no closing',
    )


def test_a_header_without_the_mapped_column_stops_with_a_clear_error(store: Store, tmp_path: Path) -> None:
    mapping = write_mapping(
        tmp_path / "m.json",
        {"platform": "x", "columns": {"id": "id", "author_id": "user_id", "created_at": "t"}},
    )
    table = tmp_path / "t.csv"
    table.write_text("id,author,t\n1,2,2020-01-01\n")
    with pytest.raises(MappingError, match=r"column 'user_id' \(mapped to author_id\) is not in the table"):
        ingest(store, [table], forced="tabular", options={"mapping": mapping})
    assert store.source_status(Source.open(table).sha256) == "partial"  # re-read once the mapping is fixed
    with pytest.raises(MappingError, match="needs a column mapping"):
        ingest(store, [table], forced="tabular")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"platform": "x", "columns": {"id": "a", "created_at": "c"}}, "lacks required column 'author_id'"),
        ({"platform": "x", "columns": {"id": "a", "author_id": "b", "created_at": "c", "txt": "d"}}, "'txt'"),
        ({"platform": "tiktok", "columns": {}}, "platform must be one of"),
        ({"platform": "x", "kind": "likes", "columns": {}}, 'kind must be "posts" or "actions"'),
        (
            {"platform": "x", "kind": "actions", "columns": {"actor_id": 0, "target_id": 1, "created_at": 2}},
            "kind",
        ),
        ({"platform": "x", "columns": {"id": -1, "author_id": 1, "created_at": 2}}, "0-based position"),
        (
            {"platform": "x", "columns": {"id": 0, "author_id": 1, "created_at": 2}, "delimiter": "||"},
            "one char",
        ),
        (
            {"platform": "x", "columns": {"id": 0, "author_id": 1, "created_at": 2}, "colums": {}},
            "unknown keys",
        ),
        ([1, 2], "a mapping is an object"),
    ],
)
def test_mapping_validation(tmp_path: Path, doc: Any, message: str) -> None:
    with pytest.raises(MappingError, match=message.replace("(", r"\(")):
        load_mapping(write_mapping(tmp_path / "bad.json", doc))


def test_mapping_file_errors_and_sniffing(tmp_path: Path, fixtures: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(MappingError, match="cannot read the mapping"):
        load_mapping(broken)
    assert load_mapping(CNT_MAPPING).columns["created_at"] == 6
    assert not sniff_source(Source.open(fixtures / "tabular" / "cnt_messages.csv"))
