"""X API v2 as twarc2 writes it: every real capture, both reading paths, entities and references."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from kagami.ingest import ingest
from kagami.store import Store
from tests.ingest.helpers import page, snapshot, tweet, user

REAL = "formats/twarc2"


@pytest.fixture
def twarc2_dir(shared_data: Path) -> Path:
    return shared_data / REAL


def test_every_real_capture_loads(twarc2_dir: Path, store: Store) -> None:
    files = sorted(p for p in twarc2_dir.iterdir() if p.name != "LICENSE")
    assert len(files) == 28  # 27 captures and one empty file
    report = ingest(store, files)
    by_name = {Path(f.path).name: f for f in report.files}
    assert all(f.status in ("loaded", "empty") for f in report.files)
    assert by_name["empty.json"].status == "empty"
    assert all(f.format == "twarc2" for n, f in by_name.items() if n != "empty.json")
    # the one broken streaming line is quarantined with file and line; the other seven load
    q = store.con.execute("SELECT source_file, line, reason FROM quarantine").fetchall()
    assert len(q) == 1
    assert q[0][0].endswith("streaming_output_with_error.jsonl") and q[0][1] == 8
    assert q[0][2].startswith("invalid JSON")
    streamed = store.scalar(
        "SELECT count(*) FROM posts WHERE source_file LIKE '%streaming_output_with_error%' AND is_primary"
    )
    assert streamed == 7
    kinds = dict(store.con.execute("SELECT kind, count(*) FROM posts GROUP BY kind").fetchall())
    assert set(kinds) == {"post", "repost", "quote", "reply"}
    assert store.scalar("SELECT count(*) FROM accounts") > 1000


def test_both_paths_give_the_same_store(twarc2_dir: Path) -> None:
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [twarc2_dir], bulk=False)
    ingest(sql, [twarc2_dir], bulk=True)
    assert snapshot(py) == snapshot(sql)


def test_retweet_quote_reply_and_entities(twarc2_dir: Path, store: Store) -> None:
    ingest(store, [twarc2_dir / "noflat.jsonl"])
    rt = store.con.execute(
        "SELECT text, ref_uid, ref_author_uid FROM posts WHERE kind = 'repost' AND is_primary LIMIT 1"
    ).fetchone()
    assert rt is not None and rt[0].startswith("RT @") and rt[1].startswith("x:")
    # the author of what was retweeted comes from includes.tweets
    original = store.con.execute("SELECT author_uid FROM posts WHERE uid = ?", [rt[1]]).fetchone()
    assert original is not None and original[0] == rt[2]
    # entity offsets are code points into the text as stored
    for text, tag, start, end in store.con.execute(
        'SELECT text, h.handle, h.start, h."end" FROM (SELECT text, unnest(mentions) AS h FROM posts) '
    ).fetchall():
        assert text[start:end] == "@" + tag
    links = store.con.execute(
        'SELECT text, l.url, l.start, l."end", l.domain FROM (SELECT text, unnest(links) AS l FROM posts)'
    ).fetchall()
    assert links
    for text, url, start, end, domain in links:
        assert text[start:end] == url
        assert domain is None or "." in domain


def test_edits_withheld_media_compliance(twarc2_dir: Path, store: Store) -> None:
    ingest(store, [twarc2_dir])
    edits = store.scalar("SELECT edit_ids FROM posts WHERE id = '1576994789110992896'")
    assert edits == ["1576994746135764992", "1576994789110992896"]
    assert store.scalar("SELECT count(*) FROM posts WHERE list_contains(withheld_in, 'IN')") > 0
    media = store.scalar("SELECT media FROM posts WHERE id = '1558553189766631429'")
    assert media[0]["key"] == "7_1558552952549277696" and media[0]["kind"] == "video"
    acts = store.con.execute("SELECT kind, target_kind, detail FROM actions ORDER BY detail").fetchall()
    assert ("compliance", "post_or_account", "delete:deactivated") in acts
    # tweet counts and list pages keep their raw payload and load no records
    assert store.scalar("SELECT posts + accounts FROM sources WHERE path LIKE '%counts.jsonl'") == 0
    assert (
        store.scalar(
            "SELECT count(*) FROM raw_payloads WHERE sha256 = (SELECT raw_sha256 FROM posts LIMIT 1)"
        )
        == 1
    )


def test_raw_payload_is_byte_exact(twarc2_dir: Path, store: Store) -> None:
    import hashlib

    path = twarc2_dir / "two_tweets.jsonl"
    ingest(store, [path])
    sha, line = store.con.execute("SELECT raw_sha256, line FROM posts LIMIT 1").fetchone()  # type: ignore[misc]
    payload = store.payload(sha)
    assert payload is not None and hashlib.sha256(payload).hexdigest() == sha
    assert payload == path.read_bytes().splitlines()[line - 1]
    # a page this long is kept packed, smaller than the line, and comes back as the line
    stored, encoding, size = store.con.execute(
        "SELECT payload, encoding, size FROM raw_payloads WHERE sha256 = ?", [sha]
    ).fetchone()  # type: ignore[misc]
    assert (encoding, size) == ("zstd", len(payload)) and len(stored) < size


def test_default_avatar_and_retrieved_at(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "x.jsonl"
    own = user("2", "b", profile_image_url="https://pbs.twimg.com/profile_images/2/a_normal.jpg")
    p.write_bytes(orjson.dumps(page([tweet("10", "1", "こんにちは")], [user("1", "a"), own])) + b"\n")
    ingest(store, [p])
    got = dict(store.con.execute("SELECT handle, default_avatar FROM account_observations").fetchall())
    assert got == {"a": True, "b": False}
    assert str(store.scalar("SELECT retrieved_at FROM posts")) == "2025-07-21 00:00:00+00:00"


@pytest.mark.parametrize("bulk", [True, False])
def test_a_bad_tweet_in_a_page_goes_alone(tmp_path: Path, bulk: bool) -> None:
    """A tweet without an id is set aside with its JSON pointer; the rest of the page loads."""
    p = tmp_path / "x.jsonl"
    bad = {"text": "no id", "author_id": "1"}
    p.write_bytes(orjson.dumps(page([tweet("10", "1", "ok"), bad], [user("1", "a")])) + b"\n")
    s = Store(":memory:")
    ingest(s, [p], bulk=bulk)
    assert s.con.execute("SELECT id FROM posts").fetchall() == [("10",)]
    assert s.con.execute("SELECT line, raw_path, reason FROM quarantine").fetchall() == [
        (1, "/data/1", "/data/1: tweet without id")
    ]
