"""A line repeated in a file (the same payload twice) reads the same through the bulk SQL paths as through
the Python readers: the same store, the same counts, and its records keep the first line's number."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from kagami.ingest import Ingestor, jetstream_bulk, twarc2_bulk
from kagami.store import Store
from tests.ingest.helpers import page, snapshot, tweet, user
from tests.ingest.test_jetstream_bulk import post


def twarc2_lines() -> list[bytes]:
    pages = []
    for p in range(6):
        orig = tweet(f"{p}0", "7", f"元の投稿 {p}")
        rt = tweet(
            f"{p}1", "8", f"RT @u: 元の投稿 {p}", referenced_tweets=[{"type": "retweeted", "id": orig["id"]}]
        )
        pages.append(
            orjson.dumps(
                page([rt, tweet(f"{p}2", "9", f"投稿 {p}")], [user("8", "u8"), user("9", "u9")], [orig])
            )
        )
    return pages


def jetstream_lines() -> list[bytes]:
    return [orjson.dumps(post(text=f"投稿 {i}")) for i in range(6)]


@pytest.mark.parametrize("fmt", ["twarc2", "jetstream"])
@pytest.mark.parametrize("chunk", [1 << 20, 700])
def test_a_repeated_line_reads_as_in_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, chunk: int
) -> None:
    lines = twarc2_lines() if fmt == "twarc2" else jetstream_lines()
    # line 3 again at lines 5 and 8, line 1 again at the end
    data = [lines[0], lines[1], lines[2], lines[3], lines[2], lines[4], lines[5], lines[2], lines[0]]
    path = tmp_path / f"{fmt}.jsonl"
    path.write_bytes(b"\n".join(data) + b"\n")
    module = twarc2_bulk if fmt == "twarc2" else jetstream_bulk
    monkeypatch.setattr(module, "CHUNK_BYTES", chunk)  # one chunk, or a line or two a chunk
    py, sql = Store(":memory:"), Store(":memory:")
    by_py = Ingestor(py, bulk=False).ingest([path]).counts
    by_sql = Ingestor(sql, bulk=True).ingest([path]).counts
    assert snapshot(py) == snapshot(sql)
    assert (by_py.posts, by_py.accounts, by_py.duplicates) == (
        by_sql.posts,
        by_sql.accounts,
        by_sql.duplicates,
    )
    assert by_sql.duplicates > 0 and sql.count("raw_payloads") == len(lines)
    # every record of the repeated payload keeps the first line that holds it
    sha = sql.scalar("SELECT raw_sha256 FROM posts WHERE line = 3 LIMIT 1")
    assert sql.con.execute("SELECT DISTINCT line FROM posts WHERE raw_sha256 = ?", [sha]).fetchall() == [(3,)]
    again = Ingestor(sql, bulk=True).ingest([path], force=True).counts
    assert (again.posts, again.accounts, again.actions) == (0, 0, 0)
    assert snapshot(py) == snapshot(sql)
