r"""What both bulk readers (:mod:`kagami.ingest.twarc2_bulk`, :mod:`kagami.ingest.jetstream_bulk`) do
around their SQL: cut a file into newline-aligned chunks, turn each into an Arrow table of its lines
(prepared in a worker thread while the previous chunk loads), hand the lines SQL did not map to the
Python reader, and hold DuckDB settings for the length of a file.

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as d:
...     p = Path(d) / "a.jsonl"
...     _ = p.write_bytes(b'{"a":1}\n\n{"b":2}')
...     [(start, body) for start, body in chunks(p, size=64)]
[(1, b'{"a":1}\n\n'), (3, b'{"b":2}')]
>>> handed = []
>>> hand_back(1, b'x\n\ny\n', [(0, 1), (2, 2), (3, 4)], {1}, lambda n, raw: handed.append((n, raw)))
3
>>> handed
[(3, b'y')]
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeAlias, TypeVar

import duckdb
import numpy as np
import pyarrow as pa

from kagami.store import Store
from kagami.store.payloads import packed_column

T = TypeVar("T")

#: The first chunk's least size (later ones double up to the reader's own size): the loading thread waits
#: for the worker only while the first chunk is prepared. With a first chunk of 192 MB it waited 1.4 s of
#: 23.6 s on the benchmark's 1M posts, when the file's hash still ran before anything else.
FIRST_CHUNK = 24 << 20
#: A larger file's first chunk is this share of it: the file's sha256 runs in its own thread while the
#: first chunk is prepared, and nothing loads before the hash is known, so a large file's first chunk can
#: be as large as what the worker prepares meanwhile (see :func:`first_chunk`).
FIRST_SHARE = 16
#: ... but no larger than this (167 MB on the 2.67 GB scale-10 X file gained nothing and held 0.1 GB more).
FIRST_MAX = 96 << 20


def first_chunk(file_size: int, size: int) -> int:
    """The first chunk's size for a file of ``file_size`` bytes read in chunks of ``size``.

    On the 1M-post benchmark's 1.5 GB file (94 MB instead of 24 MB) the time before loading starts went
    from 1.4 s (1.5 cores busy) to 1.1 s (2.0 cores), and the ingest from 17.3–17.5 s to 16.7–17.1 s
    (three alternated pairs); the 2.67 GB scale-10 X file: no difference.

    >>> mb = 1 << 20
    >>> first_chunk(100 * mb, 192 * mb) // mb, first_chunk(1515 * mb, 192 * mb) // mb
    (24, 94)
    >>> first_chunk(4000 * mb, 192 * mb) // mb, first_chunk(4000 * mb, 8 * mb) // mb
    (96, 8)
    """
    return min(size, FIRST_MAX, max(FIRST_CHUNK, file_size // FIRST_SHARE))


#: Views address their bytes with 32-bit offsets.
VIEW_LIMIT = 2**31


def chunks(path: Path, size: int, first: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) of newline-aligned chunks of a file: each ends at the last newline within
    ``size`` bytes of its start (where there is none, at the last newline of the next ``size`` bytes that
    hold one; the last chunk at the file's end).

    With ``first``, the chunks start at that size and double up to ``size``: the loading thread waits
    only for a small first chunk to be prepared, and each later one is ready about when it is wanted.
    """
    for line, body, _ in _chunks_ends(path, size, first):
        yield line, body


def _chunks_ends(path: Path, size: int, first: int | None) -> Iterator[tuple[int, bytes, np.ndarray]]:
    """As :func:`chunks`, with each chunk's :func:`newline_ends` (found once, for the line numbers and the
    line table both)."""
    line, pos = 1, 0
    block = min(first or size, size)
    with path.open("rb") as f:
        while body := _chunk_at(f, pos, block):
            ends = newline_ends(body)
            yield line, body, ends
            line += len(ends)
            pos += len(body)
            block = min(block * 2, size)


#: Bytes compared at a time by :func:`newline_ends`.
NL_BLOCK = 1 << 20


def newline_ends(body: bytes) -> np.ndarray:
    r"""The offset just past each b"\n" in ``body`` (int64), found a block at a time in one scratch mask.

    ``np.flatnonzero(buf == 10)`` over a 192 MB chunk allocated a 192 MB mask each time, fresh pages the
    kernel zeroed (0.8 CPU-s of the 1M-post benchmark's page clearing); ``bytes.count`` then read the chunk
    once more for the next chunk's line number.

    >>> newline_ends(b"a\nbc\n\nd").tolist(), newline_ends(b"").tolist()
    ([2, 5, 6], [])
    """
    buf = np.frombuffer(body, np.uint8)
    mask = np.empty(min(len(buf), NL_BLOCK), np.bool_)
    parts = [np.empty(0, np.int64)]
    for a in range(0, len(buf), NL_BLOCK):
        part = buf[a : a + NL_BLOCK]
        m = mask[: len(part)]
        np.equal(part, 10, out=m)
        parts.append(np.flatnonzero(m).astype(np.int64) + (a + 1))
    return np.concatenate(parts)


#: How far back from a chunk's end its last newline is looked for first (see :func:`_chunk_at`).
PEEK = 4 << 20


def _read_at(f: BinaryIO, n: int, pos: int) -> bytes:
    """Up to ``n`` bytes of ``f`` from ``pos``: ``os.pread`` where there is one (POSIX), else seek, read."""
    if hasattr(os, "pread"):
        return os.pread(f.fileno(), n, pos)
    f.seek(pos)
    return f.read(n)


def _chunk_at(f: BinaryIO, pos: int, size: int) -> bytes:
    """The chunk that starts at ``pos``, as :func:`chunks` cuts it (b'' at the file's end).

    Where that newline lies in the last :data:`PEEK` bytes of the block (nearly always), the chunk is read
    once, at its exact length: reading the block and joining the previous block's unfinished line to it
    allocated and copied every byte twice (1.5 GB of X pages: 740k page faults and 1.9 s, against 370k
    and 1.1 s)."""
    peek = min(size, PEEK)
    tail = _read_at(f, peek, pos + size - peek)
    cut = tail.rfind(b"\n") if len(tail) == peek else -1
    if cut >= 0:
        n = size - peek + cut + 1
        body = _read_at(f, n, pos)
        if len(body) == n:  # else the file shrank meanwhile: the slow way below says what is there
            return body
    data, at = b"", pos
    while block := _read_at(f, size, at):
        cut = block.rfind(b"\n")
        if cut >= 0:
            return data + block[: cut + 1]
        data += block
        at += len(block)
    return data


#: Bytes of lines a batch holds at most (the lines of one batch are one DuckDB vector, parsed together).
BATCH_BYTES = 32 << 20


def batch_rows(n: int, nbytes: int) -> int:
    """Rows per batch of a chunk's line table of ``n`` lines and ``nbytes`` bytes: about eight batches, so
    that DuckDB's threads share the chunk, at least 128 lines and at most 2048 (one DuckDB vector), but
    never more than :data:`BATCH_BYTES` of lines on average (very long lines come a few at a time).

    Batches of 16 lines, as before, cost the 1M-post benchmark (twarc2 pages of about 150 KB a line, 1,327
    lines a 192 MB chunk) 1.2M more page faults and 0.9 s, and the scale-10 Bluesky file (Jetstream events
    of about 700 bytes, 2048 a batch now) 1.5 s; 256 lines a batch left too few batches for two threads.

    >>> mb = 1 << 20
    >>> batch_rows(1327, 192 * mb), batch_rows(166, 24 * mb), batch_rows(300_000, 192 * mb)
    (165, 128, 2048)
    >>> batch_rows(192, 192 * mb), batch_rows(19, 192 * mb), batch_rows(0, 0)
    (32, 3, 128)
    """
    rows = min(2048, max(128, n // 8))
    return max(1, min(rows, BATCH_BYTES * n // max(nbytes, 1))) if n else rows


def line_table(
    start: int, body: bytes, ends: np.ndarray | None = None
) -> tuple[pa.Table, list[tuple[int, int]]]:
    r"""The chunk's lines as an Arrow table (line, j, raw, sha, z) in :func:`batch_rows` batches, so DuckDB
    works in parallel.

    ``j`` is a zero-copy view of each line with its terminator, for parsing; ``raw`` is the line without it,
    byte-exact (zero-copy too: views into the chunk), and ``z`` its packed form where the store keeps it
    packed (a long line: :mod:`kagami.store.payloads`), else NULL. Lines that are not valid UTF-8 are left
    out (the Python reader quarantines them). Also returns each line's (start, end) offsets without its
    terminator. ``ends``: the chunk's :func:`newline_ends`, where the caller has them already.

    >>> t, spans = line_table(7, b'{"a":1}\r\n\nan invalid \xff line\n{"b":"a longer line"}')
    >>> t.column("line").to_pylist(), t.column("raw").to_pylist(), spans
    ([7, 8, 10], [b'{"a":1}', b'', b'{"b":"a longer line"}'], [(0, 7), (9, 9), (10, 27), (28, 49)])
    >>> t.column("z").null_count
    3
    """
    ends = newline_ends(body) if ends is None else ends
    if len(ends) == 0 or ends[-1] != len(body):
        ends = np.append(ends, len(body))
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    n = len(ends)
    j = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(body))
    # line bodies: each line without its trailing run of CR/LF bytes
    view = memoryview(body)
    spans: list[tuple[int, int]] = []
    shas: list[str] = []
    for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True):
        e = b
        while e > a and body[e - 1] in (10, 13):
            e -= 1
        spans.append((a, e))
        shas.append(hashlib.sha256(view[a:e]).hexdigest())
    keep = np.arange(n)
    try:
        j.validate(full=True)  # UTF-8 check in Arrow's C++, without building a Python str
    except pa.ArrowInvalid:
        keep = np.array([i for i, (a, e) in enumerate(spans) if _utf8(view[a:e])], np.int64)
        j = j.take(pa.array(keep, pa.int64()))
    bounds = np.array(spans, np.int64).reshape(n, 2)[keep]
    table = pa.table(
        {
            "line": pa.array(keep + start, pa.int64()),
            "j": j,
            "raw": binary_views(body, bounds[:, 0], bounds[:, 1]),
            "sha": pa.array([shas[i] for i in keep.tolist()], pa.string()),
            "z": packed_column(body, bounds[:, 0], bounds[:, 1]),
        }
    )
    batches = table.to_batches(max_chunksize=batch_rows(table.num_rows, len(body)))
    return pa.Table.from_batches(batches, table.schema), spans


def _utf8(data: memoryview) -> bool:
    try:
        str(data, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def binary_views(body: bytes, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """``body[starts[i]:ends[i]]`` for each i as an Arrow binary view array, without copying the bytes.

    A view is 16 bytes: the length, then up to 12 bytes of the value itself, or for a longer value its
    first 4 bytes, the buffer's index (0) and the value's offset in it (Arrow's columnar format). A body
    of 2 GiB or more is past those offsets: then the values are copied.

    >>> binary_views(b"short|a value longer than twelve", np.array([0, 6]), np.array([5, 32])).to_pylist()
    [b'short', b'a value longer than twelve']
    """
    n = len(starts)
    if len(body) >= VIEW_LIMIT:  # past 32-bit offsets (one line that long): a copy
        values = b"".join(body[a:e] for a, e in zip(starts.tolist(), ends.tolist(), strict=True))
        offsets = np.concatenate(([0], np.cumsum(ends - starts))).astype(np.int64)
        return pa.Array.from_buffers(
            pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(values)]
        )
    buf = np.frombuffer(body, np.uint8)
    lengths = (ends - starts).astype(np.int32)
    views = np.zeros((n, 16), np.uint8)
    views[:, 0:4] = lengths.view(np.uint8).reshape(n, 4)
    if n and len(buf):
        at = np.minimum(starts[:, None] + np.arange(12)[None, :], len(buf) - 1)
        views[:, 4:16] = np.where(np.arange(12)[None, :] < lengths[:, None], buf[at], 0)
    long = lengths > 12
    place = np.zeros((n, 2), np.int32)  # buffer index 0, offset
    place[:, 1] = starts
    views[long, 8:16] = place[long].view(np.uint8).reshape(-1, 8)
    return pa.Array.from_buffers(pa.binary_view(), n, [None, pa.py_buffer(views), pa.py_buffer(body)])


def prepared(path: Path, size: int) -> Iterator[tuple[int, bytes, pa.Table, list[tuple[int, int]]]]:
    """Chunks with their line tables, each prepared in a worker thread while the previous one is loaded
    (hashing, numpy and file reads release the GIL, so the two overlap)."""
    for start, body, table, spans, _ in prepared_with(path, size, lambda *_: None):
        yield start, body, table, spans


#: What :func:`prepared_with` runs in the worker thread on each chunk: ``then(start, body, table, spans)``.
Then: TypeAlias = Callable[[int, bytes, pa.Table, list[tuple[int, int]]], T]


def prepared_with(
    path: Path, size: int, then: Then[T]
) -> Generator[tuple[int, bytes, pa.Table, list[tuple[int, int]], T], None, None]:
    """As :func:`prepared`, and ``then``'s result for each chunk, also computed in the worker thread (a
    reader's own work on the next chunk, e.g. DuckDB statements on a cursor of its own, which release the
    GIL, overlaps the statements of the chunk being loaded)."""
    it = _chunks_ends(path, size, first_chunk(path.stat().st_size, size))

    def prep() -> tuple[int, bytes, pa.Table, list[tuple[int, int]], T] | None:
        nxt = next(it, None)
        if nxt is None:
            return None
        start, body, ends = nxt
        table, spans = line_table(start, body, ends=ends)
        return start, body, table, spans, then(start, body, table, spans)

    with ThreadPoolExecutor(max_workers=1) as pool:
        fut = pool.submit(prep)
        while (item := fut.result()) is not None:
            fut = pool.submit(prep)
            yield item


def hand_back(
    start: int,
    body: bytes,
    spans: list[tuple[int, int]],
    mapped: set[int],
    fallback: Callable[[int, bytes], None],
) -> int:
    """Pass every non-blank line of the chunk that SQL did not map to ``fallback(line, raw)``; return the
    chunk's last line number."""
    for i, (a, b) in enumerate(spans):
        if start + i not in mapped and body[a:b].strip():
            fallback(start + i, body[a:b])
    return start + len(spans) - 1


#: Numbers the in-memory databases :func:`ahead` attaches, so that two files loading at once in one
#: process (two stores on one database file share attached databases) never meet.
_AHEAD = itertools.count()


@contextmanager
def ahead(con: duckdb.DuckDBPyConnection, prefix: str) -> Iterator[Callable[[], str]]:
    """An in-memory database attached as ``prefix`` and a number of its own for the length of a file,
    where the worker thread stages the next chunk while the loading thread reads the current one:
    attached databases are shared by a connection's cursors, temp tables are not. Yields a function that
    names the next of its two tables, taken in turn (one being read, one being written:
    :func:`prepared_with` starts preparing a chunk only once the loading thread has finished the one two
    before it)."""
    name = f"{prefix}_{next(_AHEAD)}"
    if not name.isidentifier():
        raise ValueError(f"not a database name: {name!r}")
    con.execute(f"ATTACH ':memory:' AS {name}")
    turn = itertools.count()
    try:
        yield lambda: f"{name}.main.chunk_{next(turn) % 2}"
    finally:
        con.execute(f"DETACH DATABASE IF EXISTS {name}")


@contextmanager
def settings(store: Store, **values: str) -> Iterator[None]:
    """DuckDB settings for the length of a file, restored after it (each chunk commits, and a checkpoint
    threshold of 16GB keeps DuckDB from rewriting the file after every one)."""
    saved = {k: store.scalar(f"SELECT current_setting('{k}')") for k in values}
    for k, v in values.items():
        store.con.execute(f"SET {k} = $v", {"v": v})
    try:
        yield
    finally:
        for k, v in saved.items():
            store.con.execute(f"SET {k} = $v", {"v": v})
