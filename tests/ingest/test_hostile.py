"""Adversaries write what we ingest: hostile text is stored faithfully, broken payloads are quarantined,
and nothing else on the file is lost. Both reading paths are held to it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from kagami.ingest import ingest
from kagami.store import Store
from tests.ingest.helpers import page, snapshot, tweet, user

HOSTILE = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)> & &amp; </textarea>',
    "formula": '=HYPERLINK("http://evil.example","click") +cmd|\' /C calc\'!A0 @SUM(1)',
    "controls": "bell\x07 nul\x00 esc\x1b[31m red \r\n cr \x7f del",
    "bidi": "\u202egnp.exe\u202c and \u2066isolate\u2069 \u200f",
    "zero_width": "選\u200b挙\u200c不\u200d正\ufeff",
    "emoji": "🇯🇵👨‍👩‍👧 🤖 x̸̢",
    "sql": "'); DROP TABLE posts; --",
    "huge": "あ" * 1_000_000,
}


def write_hostile(path: Path) -> dict[int, str]:
    """Hostile-but-valid pages mixed with unreadable lines; returns the bad lines' expected reasons."""
    lines: list[bytes] = []
    for i, text in enumerate(HOSTILE.values()):
        users = [user(str(100 + i), f"u{i}", description=text, name=text)]
        lines.append(orjson.dumps(page([tweet(str(1000 + i), str(100 + i), text)], users)))
    bad: dict[int, str] = {}
    lines.append(b'{"data": [{"id": "1", "text": "\xff\xfe broken utf-8"}]}')
    bad[len(lines)] = "invalid JSON"
    lines.append(b"[" * 5000 + b"]" * 5000)
    bad[len(lines)] = "invalid JSON"
    lines.append(b'{"data": [{"id": "2", "text": "\\ud800 lone surrogate", "author_id": "1"}]}')
    bad[len(lines)] = "invalid JSON"
    lines.append(b'{"data": [{"id": "3", "text": NaN}]}')
    bad[len(lines)] = "invalid JSON"
    lines.append(b'{"data": [{"id": "4", "text": "cut off')
    bad[len(lines)] = "invalid JSON"
    lines.append(orjson.dumps(page([tweet("2000", "200", "after the bad lines")], [user("200", "last")])))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return bad


@pytest.mark.parametrize("bulk", [True, False])
def test_hostile_content_is_stored_faithfully(tmp_path: Path, bulk: bool) -> None:
    path = tmp_path / "hostile.jsonl"
    bad = write_hostile(path)
    s = Store(":memory:")
    report = ingest(s, [path], bulk=bulk)
    texts = dict(s.con.execute("SELECT id, text FROM posts").fetchall())
    for i, text in enumerate(HOSTILE.values()):
        assert texts[str(1000 + i)] == text  # byte for byte, never escaped, stripped or interpreted
    assert texts["2000"] == "after the bad lines"
    names = dict(s.con.execute("SELECT id, display_name FROM accounts").fetchall())
    assert names["100"] == HOSTILE["html"]
    q = s.con.execute("SELECT line, reason, raw FROM quarantine ORDER BY line").fetchall()
    assert [(line, reason.split(":")[0]) for line, reason, _ in q] == sorted(bad.items())
    raw_lines = path.read_bytes().split(b"\n")
    for line, _, raw in q:
        assert raw == raw_lines[line - 1]  # the quarantined bytes are the line, exactly
    assert report.counts.quarantined == len(bad)
    assert report.counts.posts == len(HOSTILE) + 1


def test_hostile_file_same_store_on_both_paths(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    write_hostile(path)
    a, b = Store(":memory:"), Store(":memory:")
    ingest(a, [path], bulk=True)
    ingest(b, [path], bulk=False)
    assert snapshot(a) == snapshot(b)


def test_mistyped_fields_are_kept_as_text(tmp_path: Path) -> None:
    """A field that should be a string but holds an object keeps its JSON text; nothing is evaluated."""
    path = tmp_path / "typed.jsonl"
    t = tweet("1", "9", "ok", lang={"$ne": 1}, source=["<b>x</b>"])
    path.write_bytes(orjson.dumps(page([t], [user("9", "h", name={"first": "<i>"})])) + b"\n")
    s = Store(":memory:")
    ingest(s, [path], bulk=False)
    assert s.con.execute("SELECT lang, source FROM posts").fetchall() == [('{"$ne":1}', '["<b>x</b>"]')]
    assert s.scalar("SELECT display_name FROM accounts") == '{"first":"<i>"}'


@pytest.mark.parametrize("bulk", [True, False])
def test_counts_past_64_bits_are_null_not_a_crash(tmp_path: Path, bulk: bool) -> None:
    """A like count of 2**63 (or a 30-digit follower count) does not fit the store's BIGINT: the value is
    dropped (NULL, as DuckDB's JSON reader reads it), the post and the rest of the file load."""
    path = tmp_path / "big.jsonl"
    big = tweet("1", "9", "big numbers", public_metrics={"like_count": "@LIKES", "retweet_count": 5})
    huge = user("9", "h", public_metrics={"followers_count": "@FOLLOWERS", "following_count": 3})
    first = orjson.dumps(page([big], [huge]))  # orjson writes no integer past 64 bits: splice them in
    first = first.replace(b'"@LIKES"', str(2**63).encode()).replace(b'"@FOLLOWERS"', b"1" + b"0" * 30)
    lines = [first, orjson.dumps(page([tweet("2", "9", "next")], [user("9", "h")]))]
    path.write_bytes(b"\n".join(lines) + b"\n")
    s = Store(":memory:")
    ingest(s, [path], bulk=bulk)
    rows = s.con.execute("SELECT id, like_count, repost_count FROM posts ORDER BY id").fetchall()
    assert rows == [("1", None, 5), ("2", None, None)]
    assert s.scalar("SELECT count(*) FROM quarantine") == 0
