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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa

from kagami.store import Store


def chunks(path: Path, size: int) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) of newline-aligned chunks of a file."""
    line = 1
    rest = b""
    with path.open("rb") as f:
        while True:
            block = f.read(size)
            if not block:
                break
            data = rest + block
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            body, rest = data[: cut + 1], data[cut + 1 :]
            yield line, body
            line += body.count(b"\n")
    if rest:
        yield line, rest


def line_table(start: int, body: bytes, batch_rows: int = 16) -> tuple[pa.Table, list[tuple[int, int]]]:
    """The chunk's lines as an Arrow table (line, j, raw, sha) in small batches, so DuckDB works in parallel.

    ``j`` is a zero-copy view of each line with its terminator, for parsing; ``raw`` is the line without it,
    byte-exact, as the evidence store keeps it. Lines that are not valid UTF-8 are left out (the Python
    reader quarantines them). Also returns each line's (start, end) offsets without its terminator.
    """
    buf = np.frombuffer(body, np.uint8)
    ends = np.flatnonzero(buf == 10) + 1
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
    lengths = np.fromiter((e - a for a, e in spans), dtype=np.int64, count=n)
    raw_offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    data = b"".join(view[a:e] for a, e in spans)
    raw = pa.Array.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(raw_offsets), pa.py_buffer(data)])
    table = pa.table(
        {
            "line": pa.array(range(start, start + n), pa.int64()),
            "j": j,
            "raw": raw,
            "sha": pa.array(shas, pa.string()),
        }
    )
    try:
        j.validate(full=True)  # UTF-8 check in Arrow's C++, without building a Python str
    except pa.ArrowInvalid:
        good = []
        for i, (a, e) in enumerate(spans):
            try:
                body[a:e].decode("utf-8")
                good.append(i)
            except UnicodeDecodeError:
                pass
        table = table.take(pa.array(good, pa.int64()))
    return pa.Table.from_batches(table.to_batches(max_chunksize=batch_rows), table.schema), spans


def prepared(path: Path, size: int) -> Iterator[tuple[int, bytes, pa.Table, list[tuple[int, int]]]]:
    """Chunks with their line tables, each prepared in a worker thread while the previous one is loaded
    (hashing, numpy and file reads release the GIL, so the two overlap)."""
    it = chunks(path, size)

    def prep() -> tuple[int, bytes, pa.Table, list[tuple[int, int]]] | None:
        nxt = next(it, None)
        return None if nxt is None else (nxt[0], nxt[1], *line_table(*nxt))

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
