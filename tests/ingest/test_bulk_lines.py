"""The bulk readers' line tables: raw bytes are views into the chunk, exactly the lines' bytes."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import duckdb
import numpy as np
import pytest

from kagami.ingest import bulk_lines
from kagami.ingest.bulk_lines import binary_views, line_table


def test_views_are_the_slices() -> None:
    """Values of every length around the 12 bytes a view holds inline, anywhere in the body."""
    rng = random.Random(7)
    body = bytes(rng.randrange(256) for _ in range(5000))
    bounds = [(0, 0), (0, 12), (0, 13), (4988, 5000), (4987, 5000), (5000, 5000), (10, 11)]
    for _ in range(300):
        a = rng.randrange(5000)
        bounds.append((a, min(5000, a + rng.choice([0, 1, 11, 12, 13, 14, rng.randrange(400)]))))
    starts = np.array([a for a, _ in bounds], np.int64)
    ends = np.array([e for _, e in bounds], np.int64)
    views = binary_views(body, starts, ends)
    views.validate(full=True)
    assert views.to_pylist() == [body[a:e] for a, e in bounds]


def test_past_32_bit_offsets_the_values_are_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_lines, "VIEW_LIMIT", 10)
    body = b"0123456789abcdef"
    out = binary_views(body, np.array([0, 3, 15]), np.array([2, 15, 16]))
    assert str(out.type) == "large_binary" and out.to_pylist() == [b"01", body[3:15], b"f"]


def test_line_table_keeps_each_line_byte_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_lines, "batch_rows", lambda n, b: 2)  # several batches
    lines = [b'{"a":1}', b"", b' {"b":[1,2]} ', "日本語の投稿".encode() * 3, b"\xff not utf-8", b"x" * 13]
    body = b"\r\n".join(lines[:3]) + b"\n" + b"\n".join(lines[3:]) + b"\n"
    table, spans = line_table(41, body)
    assert table.column("j").num_chunks == 3
    assert [body[a:e] for a, e in spans] == lines
    valid = [i for i in range(len(lines)) if i != 4]
    assert table.column("line").to_pylist() == [41 + i for i in valid]
    assert table.column("raw").to_pylist() == [lines[i] for i in valid]
    assert table.column("sha").to_pylist() == [hashlib.sha256(lines[i]).hexdigest() for i in valid]
    assert table.column("j").to_pylist()[0] == '{"a":1}\r\n'


@pytest.mark.parametrize("block", [1, 3, 7, 1 << 20])
def test_newline_ends_across_blocks(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    monkeypatch.setattr(bulk_lines, "NL_BLOCK", block)
    rng = np.random.default_rng(block)
    for size in (0, 1, 2, 3, 7, 50, 1000):
        body = rng.choice(np.frombuffer(b"ab\n\r", np.uint8), size).tobytes()
        got = bulk_lines.newline_ends(body)
        assert got.dtype == np.int64
        assert got.tolist() == [i + 1 for i, c in enumerate(body) if c == 10]


def test_batches_share_a_chunk_between_threads() -> None:
    mb = 1 << 20
    sizes = [(0, 0), (1, 10), (1024, 20 * mb), (1327, 192 * mb), (16384, 192 * mb), (16385, 20 * mb)]
    assert [bulk_lines.batch_rows(n, b) for n, b in sizes] == [128, 128, 128, 165, 2048, 2048]
    # long lines: no more than BATCH_BYTES a batch on average, and never an empty batch
    assert [bulk_lines.batch_rows(n, b) for n, b in [(192, 192 * mb), (2, 192 * mb), (1, 1 << 40)]] == [
        32,
        1,
        1,
    ]


def block_chunks(data: bytes, size: int) -> list[bytes]:
    """Chunks cut as :func:`bulk_lines.chunks` says, read the plain way: from each chunk's start, ``size``
    bytes cut after their last newline; where they hold none, the next ``size`` bytes too, and so on."""
    out, pos = [], 0
    while pos < len(data):
        end = pos
        while True:
            block = data[end : end + size]
            cut = block.rfind(b"\n")
            if cut >= 0 or not block:
                end = end + cut + 1 if cut >= 0 else len(data)
                break
            end += len(block)
        out.append(data[pos:end])
        pos = end
    return out


@pytest.mark.parametrize("peek", [1, 2, 8, 1 << 20])
@pytest.mark.parametrize("size", [1, 3, 16, 1000])
def test_chunks_cover_the_file_at_line_ends(
    tmp_path: Path, size: int, peek: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks read at their exact length (the last newline found in the block's last ``peek`` bytes) or
    the slow way are newline-aligned, number their lines, and cut where a block reader cuts (first
    chunks smaller, doubling up to ``size``, too)."""
    monkeypatch.setattr(bulk_lines, "PEEK", peek)
    rng = random.Random(size * 7 + peek)
    for _ in range(50):
        pieces = [
            rng.choice([b"\n", b"\r\n", b"x" * rng.randrange(50), b"\n\n"]) for _ in range(rng.randrange(40))
        ]
        data = b"".join(pieces)
        path = tmp_path / "f.jsonl"
        path.write_bytes(data)
        got = list(bulk_lines.chunks(path, size))
        assert [body for _, body in got] == block_chunks(data, size)
        ramped = [body for _, body in bulk_lines.chunks(path, size, first=max(size // 4, 1))]
        assert b"".join(ramped) == data and all(body.endswith(b"\n") for body in ramped[:-1])
        assert b"".join(body for _, body in got) == data
        assert all(body.endswith(b"\n") for _, body in got[:-1]) and all(body for _, body in got)
        assert [start for start, _ in got] == [
            1 + data[: sum(len(b) for _, b in got[:i])].count(b"\n") for i in range(len(got))
        ]


def test_chunks_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the platform has no ``os.pread`` (Windows), chunks are read by seeking: the same cuts."""
    rng = random.Random(5)
    data = b"".join(rng.choice([b"\n", b"\r\n", b"y" * rng.randrange(40)]) for _ in range(400))
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    monkeypatch.setattr(bulk_lines, "PEEK", 8)
    with_pread = list(bulk_lines.chunks(path, 64, first=16))
    monkeypatch.delattr(bulk_lines.os, "pread")
    assert list(bulk_lines.chunks(path, 64, first=16)) == with_pread
    assert [body for _, body in bulk_lines.chunks(path, 64)] == block_chunks(data, 64)


def test_ahead_databases_are_distinct_and_detached() -> None:
    """Two files loading at once on one database each get an in-memory database of their own, whose two
    tables are taken in turn; both are detached when their file ends, whatever happened."""
    con = duckdb.connect()

    def attached() -> set[str]:
        return {n for (n,) in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}

    before = attached()
    with bulk_lines.ahead(con, "_t") as one, bulk_lines.ahead(con, "_t") as two:
        names = [one(), one(), one(), two()]
        assert names[0] == names[2] != names[1] and names[0].split(".")[0] != names[3].split(".")[0]
        for name in names[:2]:
            con.execute(f"CREATE TABLE {name} AS SELECT 1 AS x")
        assert len(attached() - before) == 2
    assert attached() == before
    with pytest.raises(RuntimeError), bulk_lines.ahead(con, "_t"):
        raise RuntimeError("a failed file")
    assert attached() == before


def test_long_lines_come_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_lines, "BATCH_BYTES", 120)
    body = b"".join(b'{"n":%d,"pad":"%s"}\n' % (i, b"x" * 40) for i in range(10))
    table, _ = line_table(1, body)
    assert [len(b) for b in table.to_batches()] == [2] * 5
    assert table.column("line").to_pylist() == list(range(1, 11))
