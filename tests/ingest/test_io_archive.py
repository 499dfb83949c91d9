"""The X information-operations archive reader, through the real ingest path."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kagami.ingest import ingest
from kagami.ingest.base import RecordError, Source
from kagami.ingest.io_archive import is_true, parse_list, sniff_source
from kagami.store import Store

HEADER = (
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
    "user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,"
    "tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,"
    "is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,"
    "retweet_count,hashtags,urls,user_mentions,poll_choices"
)
HASHED = "a3f1c9e2b7d54e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"


def _row(tweetid: str, text: str, time: str = "2019-01-17 10:43", quote: bool = True) -> str:
    """One archive row of a hashed account's original tweet."""
    quoted = '"' + text.replace('"', '""') + '"' if quote else text
    return (
        f"{tweetid},{HASHED},{HASHED},{HASHED},,,,12,301,2018-11-02,ja,ja,{quoted},{time},Twitter Web Client,"
        ",,,False,,,absent,absent,0,0,0,0,[],[],[],"
    )


@pytest.fixture
def sample(fixtures: Path) -> Path:
    return fixtures / "io_archive" / "sample.csv"


@pytest.fixture
def loaded(store: Store, sample: Path) -> Store:
    ingest(store, [sample])
    return store


def one(store: Store, sql: str, *params: object) -> tuple[object, ...]:
    row = store.con.execute(sql, list(params)).fetchone()
    assert row is not None, sql
    return tuple(row)


def test_detected_without_being_named(store: Store, sample: Path) -> None:
    report = ingest(store, [sample])
    (fr,) = report.files
    assert (fr.format, fr.status, fr.lines) == ("io_archive", "loaded", 37)
    assert (report.counts.posts, report.counts.quarantined) == (26, 3)
    assert sniff_source(Source.open(sample))


def test_bad_rows_are_quarantined_with_their_reason_and_bytes(loaded: Store, sample: Path) -> None:
    rows = loaded.con.execute("SELECT line, reason, raw, reader FROM quarantine ORDER BY line").fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        (12, "expected 31 fields as in the header, found 30"),
        (13, "tweet_time: unreadable time '2019-13-45 25:61'"),
        (14, "invalid UTF-8 (byte 0xff at line 14): invalid start byte; file must be UTF-8"),
    ]
    assert {r[3] for r in rows} == {"io_archive"}
    data = sample.read_bytes()
    header = data[: data.index(b"\r\n") + 2]
    physical = data.split(b"\n")
    assert rows[2][2] == header + physical[13] + b"\n"
    assert rows[0][2] == header + physical[11] + b"\n"
    assert b"\xff\xfe" in rows[2][2]
    # the rows around the bad ones still load
    assert one(loaded, "SELECT count(*) FROM posts WHERE id = '1085901234567899999'") == (0,)
    assert one(loaded, "SELECT count(*) FROM posts WHERE id = '1086011111111111111'") == (1,)


def test_raw_payload_is_header_and_record_bytes_exactly(loaded: Store, sample: Path) -> None:
    data = sample.read_bytes()
    header = data[: data.index(b"\r\n") + 2]
    start = data.index(b"\r\n1086000000000000001,") + 2
    record = data[start : data.index(b"\r\n", start) + 2]
    assert record.count(b"\n") == 5  # four newlines inside the quoted tweet, one terminator
    sha, line, path, reader = one(
        loaded, "SELECT raw_sha256, line, raw_path, reader FROM posts WHERE id = '1086000000000000001'"
    )
    assert (line, path, reader) == (7, "", "io_archive")
    assert sha == hashlib.sha256(header + record).hexdigest()
    assert loaded.payload(sha) == header + record
    assert one(loaded, "SELECT raw_sha256 FROM account_observations WHERE raw_sha256 = ?", sha) == (sha,)


def test_multiline_quoted_tweet_keeps_its_newlines_and_quotes(loaded: Store) -> None:
    (text,) = one(loaded, "SELECT text FROM posts WHERE id = '1086000000000000001'")
    assert text == (
        "【速報】\n選挙管理委員会が「不正はない」と発表。\n\nしかし本当でしょうか？ "
        '"公式発表" を鵜呑みにしないで。\n#選挙'
    )
    assert one(loaded, "SELECT line FROM posts WHERE id = '1086111111111111111'") == (26,)
    assert one(loaded, "SELECT line FROM posts WHERE id = '1086122222222222222'") == (29,)


def test_original_post_fields_and_japanese_round_trip(loaded: Store) -> None:
    row = one(
        loaded,
        "SELECT kind, author_uid, created_at, text, lang, hashtags, source, like_count, repost_count, "
        "reply_count, quote_count, url, [l.normalized FOR l IN links], [l.domain FOR l IN links] "
        "FROM posts WHERE id = '1085813251542138880'",
    )
    assert row == (
        "post",
        "x:1023456789012345678",
        datetime(2019, 1, 17, 10, 43, tzinfo=UTC),
        "沖縄県民投票は外国勢力に操られている。真実を拡散してください #選挙 #沖縄 https://t.co/aB3dE5fG7h",
        "ja",
        ["選挙", "沖縄"],
        "TweetDeck",
        311,
        1204,
        17,
        9,
        "https://x.com/i/web/status/1085813251542138880",
        ["https://example.jp/news/2019/01/17?id=42"],
        ["example.jp"],
    )


def test_retweet_quote_and_reply(loaded: Store) -> None:
    rt = one(
        loaded,
        "SELECT kind, author_uid, ref_uid, ref_author_uid, hashtags, mentions FROM posts "
        "WHERE id = '1085820097715449856'",
    )
    assert rt == (
        "repost",
        f"x:{HASHED}",
        "x:1085813251542138880",
        "x:1023456789012345678",
        ["選挙", "沖縄"],  # written in the bare [a, b] style
        [{"handle": "", "id": "1023456789012345678", "start": None, "end": None}],
    )
    quote = one(loaded, "SELECT kind, ref_uid, quote_of_uid FROM posts WHERE id = '1085912345678901234'")
    assert quote == ("quote", "x:1085901234567890123", "x:1085901234567890123")
    reply = one(
        loaded,
        "SELECT kind, ref_uid, reply_to_uid, reply_to_author_uid FROM posts WHERE id = '1085830011223344556'",
    )
    assert reply == ("reply", "x:1085813251542138880", "x:1085813251542138880", "x:1023456789012345678")
    # a spreadsheet's "1086044444444444444.0" is the id without ".0"
    assert one(loaded, "SELECT reply_to_uid FROM posts WHERE id = '1086088888888888888'") == (
        "x:1086044444444444444",
    )
    assert one(loaded, "SELECT kind, count(*) FROM posts WHERE kind = 'repost' GROUP BY kind") == (
        "repost",
        7,
    )


def test_list_styles_urls_with_commas_and_mixed_mentions(loaded: Store) -> None:
    (urls,) = one(loaded, "SELECT [l.url FOR l IN links] FROM posts WHERE id = '1086100000000000000'")
    assert urls == ["https://example.org/a,b?x=1", "https://example.org/it's"]
    (mentions,) = one(loaded, "SELECT [m.id FOR m IN mentions] FROM posts WHERE id = '1086170000000000003'")
    assert mentions == ["1023456789012345678", HASHED]
    assert one(loaded, "SELECT hashtags, links FROM posts WHERE id = '1086111111111111111'") == ([], [])


def test_account_observations_are_dated_by_the_tweet(loaded: Store) -> None:
    obs = one(
        loaded,
        "SELECT handle, display_name, created_at, description, location, url, followers, following "
        "FROM account_observations WHERE id = '1023456789012345678' "
        "AND observed_at = TIMESTAMPTZ '2019-01-17 10:43:00+00'",
    )
    assert obs == (
        "sakura_news_jp",
        "さくらニュース速報",
        datetime(2010, 1, 1, tzinfo=UTC),
        "沖縄と日本の真実を伝えます。広告なし、忖度なし。",
        "東京都",
        "https://t.co/Xy7dQ2aBcD",
        12034,
        512,
    )
    assert one(loaded, "SELECT count(*) FROM account_observations") == (26,)
    hashed = one(
        loaded, "SELECT handle, observations, created_at, first_seen FROM accounts WHERE id = ?", HASHED
    )
    assert hashed == (HASHED, 6, datetime(2018, 11, 2, tzinfo=UTC), datetime(2019, 1, 17, 11, 10, tzinfo=UTC))
    assert one(loaded, "SELECT count(*) FROM accounts WHERE observations > 0") == (5,)


def test_long_text_over_the_csv_default_field_limit_loads_intact(loaded: Store) -> None:
    (text,) = one(loaded, "SELECT text FROM posts WHERE id = '1086155555555555555'")
    body = 'The long manifesto goes on, and on, with "quotes", commas, and 漢字. ' * 2100
    assert text == "長文" + body + "終わり"
    assert len(text) > 131072


def test_ingesting_twice_adds_nothing(store: Store, sample: Path) -> None:
    first = ingest(store, [sample])
    counts = {t: store.count(t) for t in ("posts", "account_observations", "raw_payloads", "quarantine")}
    again = ingest(store, [sample], force=True)
    assert (again.counts.posts, again.counts.accounts, again.counts.quarantined) == (0, 0, 0)
    assert again.counts.duplicates == first.counts.posts + first.counts.accounts + 3 + 2
    assert {t: store.count(t) for t in counts} == counts
    assert ingest(store, [sample]).files[0].status == "skipped"


def test_one_megabyte_text_and_hostile_rows(store: Store, tmp_path: Path) -> None:
    big = "外国の干渉 " * 170_000 + "end"  # over 1 MB of UTF-8
    lines = [
        HEADER,
        _row("1", big),
        _row("2", "NUL\x00inside"),
        _row("3", "fine after NUL"),
        "5," + ",".join(["x"] * 30),
        '4,"never closed,x',
        _row("6", "last, unquoted".replace(",", ""), quote=False),
    ]
    path = tmp_path / "hostile.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    report = ingest(store, [path])
    assert report.files[0].format == "io_archive"
    assert [r[0] for r in store.con.execute("SELECT id FROM posts ORDER BY id").fetchall()] == ["1", "3", "6"]
    assert one(store, "SELECT text = ?, length(text) FROM posts WHERE id = '1'", big) == (True, len(big))
    quarantined = store.con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall()
    assert quarantined == [
        (3, "NUL byte in record (line 3): not text"),
        (5, "tweet_time: unreadable time 'x'"),
        (6, "quoted field never closed before the end of the file; line set aside alone"),
    ]
    assert one(store, "SELECT line FROM posts WHERE id = '6'") == (7,)


def test_bom_and_table_without_the_archive_columns(store: Store, tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER + "\r\n" + _row("7", "BOMの後") + "\r\n").encode())
    ingest(store, [bom])
    assert one(store, "SELECT text, line FROM posts WHERE id = '7'") == ("BOMの後", 2)
    (sha,) = one(store, "SELECT sha256 FROM raw_payloads")
    assert store.payload(sha) == bom.read_bytes()  # header (BOM included) and the one row: the whole file
    other = tmp_path / "other.csv"
    other.write_text("tweetid,userid,tweet_text\n1,2,hi\n")
    assert not sniff_source(Source.open(other))
    report = ingest(store, [other])
    assert report.files[0].status == "quarantined"


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("", []),
        ("[]", []),
        ("['a', 'b']", ["a", "b"]),
        ("[a, b]", ["a", "b"]),
        ("[\"it's\", 'x\\'y']", ["it's", "x'y"]),
        ("['\\u9078\\u6319']", ["選挙"]),
        ("a, b", ["a", "b"]),
        ("[1084, '9f86']", ["1084", "9f86"]),
    ],
)
def test_parse_list(cell: str, items: list[str]) -> None:
    assert parse_list(cell) == items


@pytest.mark.parametrize("cell", ["['a', 'b'", "['unterminated]", "['a'x]", "a]"])
def test_parse_list_refuses_malformed_cells(cell: str) -> None:
    with pytest.raises(RecordError):
        parse_list(cell, "hashtags")


def test_parse_list_is_linear_on_deep_nesting() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    assert parse_list(deep) == ["[" * 199_999 + "]" * 199_999]


def test_is_true() -> None:
    assert [is_true(v) for v in ("True", "False", "true", "1", "0", "")] == [
        True,
        False,
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(RecordError, match="not a boolean"):
        is_true("maybe")


def test_an_undecodable_header_sets_the_file_aside(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad_header.csv"
    path.write_bytes(HEADER.encode() + b"\xff\n" + _row("1", "x").encode() + b"\n")
    report = ingest(store, [path])
    assert (report.files[0].format, report.counts.posts, report.counts.quarantined) == ("io_archive", 0, 1)
    assert one(store, "SELECT line, reason, raw FROM quarantine") == (
        0,
        "unreadable header (line 1): invalid UTF-8 (byte 0xff at line 1): invalid start byte; "
        "file must be UTF-8",
        path.read_bytes(),
    )


def test_progress_reports_every_byte(store: Store, sample: Path) -> None:
    seen: list[int] = []
    ingest(store, [sample], progress=lambda name, n, size: seen.append(n))
    assert sum(seen) == sample.stat().st_size
