"""The bulk path for large twarc2 files: DuckDB parses and maps pages in SQL, Python only splits chunks.

Lines that are plain response pages (``data`` a non-empty list of tweets with string ids and texts,
well-formed ``includes``, timestamps DuckDB reads) are mapped here, in parameter-free SQL over staged
tables; every other line (invalid JSON or UTF-8, streaming or flattened tweets, user pages, compliance,
fields of JSON types ``from_json`` would cast, keys written twice, anything DuckDB and orjson parse
differently) goes to the Python reader :func:`kagami.ingest.twarc2.handle`, the reference mapping.
A test holds both paths to the same result on every real capture.

The SQL only uses joins, window functions and list functions that Spark SQL also has.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from kagami.ingest.base import Source
from kagami.ingest.links import normalize_with_domain
from kagami.store import BatchCounts, Store
from kagami.store.keyed import LoadSource, Unique
from kagami.store.sqlfiles import run_script

CHUNK_BYTES = 128 << 20

_TWEET = (
    '{"id":"VARCHAR","text":"VARCHAR","author_id":"VARCHAR","created_at":"VARCHAR","lang":"VARCHAR",'
    '"conversation_id":"VARCHAR","source":"VARCHAR","in_reply_to_user_id":"VARCHAR",'
    '"referenced_tweets":[{"type":"VARCHAR","id":"VARCHAR"}],'
    '"entities":{"urls":[{"start":"BIGINT","end":"BIGINT","url":"VARCHAR","expanded_url":"VARCHAR",'
    '"unwound_url":"VARCHAR"}],"hashtags":[{"tag":"VARCHAR"}],'
    '"mentions":[{"start":"BIGINT","end":"BIGINT","username":"VARCHAR","id":"VARCHAR"}]},'
    '"attachments":{"media_keys":["VARCHAR"]},'
    '"public_metrics":{"retweet_count":"BIGINT","reply_count":"BIGINT","like_count":"BIGINT",'
    '"quote_count":"BIGINT","impression_count":"BIGINT"},'
    '"edit_history_tweet_ids":["VARCHAR"],"withheld":{"country_codes":["VARCHAR"]}}'
)
_USER = (
    '{"id":"VARCHAR","username":"VARCHAR","name":"VARCHAR","created_at":"VARCHAR","description":"VARCHAR",'
    '"location":"VARCHAR","url":"VARCHAR","profile_image_url":"VARCHAR","verified":"BOOLEAN",'
    '"protected":"BOOLEAN","public_metrics":{"followers_count":"BIGINT","following_count":"BIGINT",'
    '"tweet_count":"BIGINT"}}'
)
PAGE = (
    f'{{"data":[{_TWEET}],"includes":{{"users":[{_USER}],"tweets":[{_TWEET}],'
    '"media":[{"media_key":"VARCHAR","type":"VARCHAR","url":"VARCHAR","preview_image_url":"VARCHAR"}]},'
    '"__twarc":{"retrieved_at":"VARCHAR"}}'
)
SQL_DIR = Path(__file__).with_name("sql")


_W = r"[ \t\r\n]*"
_ODD = r"[-+]?(?i:nan|inf|infinity)[ \t\r\n]*[,}\]]|-?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]{3}"
#: Text DuckDB's JSON parser reads and orjson refuses (trailing commas, NaN and infinities, numbers past a
#: double), and object values past 64 bits (from_json reads NULL, Python a number). Each pattern starts with
#: the one character it follows, which RE2 scans for fast. Matches in strings only cost a trip to Python.
GUARD = (
    r"," + _W + r"([\]}]|" + _ODD + r"|-?[0-9]{100})",  # a trailing comma, or a list's next element
    r":" + _W + r"(" + _ODD + r"|-?[0-9]{19})",  # an object's value
    r"\[" + _W + r"(" + _ODD + r"|-?[0-9]{100})",  # a list's first element
)
#: Times DuckDB and Python's fromisoformat read alike (other times go to Python).
TIME_RE = (
    r"(19|20)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
)


def read_paths(schema: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(JSON path, type) of every field the mapping reads, in a line's ``json_structure``.

    >>> list(read_paths({"a": ["VARCHAR"], "b": {"c": "BIGINT"}}))
    [('$', 'OBJECT'), ('$.a', 'LIST'), ('$.a[0]', 'VARCHAR'), ('$.b', 'OBJECT'), ('$.b.c', 'BIGINT')]
    """
    if isinstance(schema, dict):
        yield path, "OBJECT"
        for key, sub in schema.items():
            yield from read_paths(sub, f"{path}.{key}")
    elif isinstance(schema, list):
        yield path, "LIST"
        yield from read_paths(schema[0], f"{path}[0]")
    else:
        yield path, schema


def fill(sql: str) -> str:
    """The SQL with its ``{NAME}`` placeholders replaced by the constants above (never by input)."""
    paths = list(read_paths(json.loads(PAGE)))
    guard = " OR ".join(f"regexp_matches(j, '{g}')" for g in GUARD)
    fills = {"{PAGE}": PAGE, "{GUARD}": guard, "{TIME_RE}": TIME_RE}
    for kind in ("OBJECT", "LIST", "VARCHAR", "BIGINT", "BOOLEAN"):
        fills[f"{{{kind}_PATHS}}"] = "[" + ", ".join(f"'{p}'" for p, k in paths if k == kind) + "]"
    for key, value in fills.items():
        sql = sql.replace(key, value)
    return sql


#: Records emitted per kind, each payload's counted once for every line that holds it; records staged.
_EMITTED = """
SELECT (SELECT count(*) FROM _tw_posts p JOIN _tw_pages g ON g.sha = p.raw_sha256),
       (SELECT count(*) FROM _tw_accounts a JOIN _tw_pages g ON g.sha = a.raw_sha256),
       (SELECT count(*) FROM _tw_posts) + (SELECT count(*) FROM _tw_accounts)
"""


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[tuple[int, bytes]]:
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


def _urlmap(store: Store) -> pa.Table:
    """Normalised form and registered domain of each distinct URL target, computed once per chunk."""
    urls = [r[0] for r in store.con.execute("SELECT DISTINCT target FROM _tw_urls").fetchall()]
    parts = [normalize_with_domain(u) for u in urls]
    return pa.table(
        {
            "target": pa.array(urls, pa.string()),
            "normalized": pa.array([p[0] for p in parts], pa.string()),
            "domain": pa.array([p[1] for p in parts], pa.string()),
        }
    )


def read_bulk(
    store: Store,
    source: Source,
    reader: tuple[str, str],
    fallback: Callable[[int, bytes], None],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, BatchCounts, dict[str, int]]:
    """Read a twarc2 JSONL file: plain pages in SQL, every other line through ``fallback(line, raw)``.

    Returns (last line number, counts of what SQL loaded, records SQL emitted per kind).
    """
    con = store.con
    total = BatchCounts()
    emitted = {"posts": 0, "accounts": 0}
    params = {
        "source_file": source.name,
        "file_sha256": source.sha256,
        "reader": reader[0],
        "reader_version": reader[1],
    }
    lines_sql = fill(_sql("twarc2_lines.sql"))
    map_sql = _sql("twarc2_map.sql")
    last = 0
    # Commit per chunk but checkpoint once, at the end: checkpointing after every chunk rewrote the file.
    threshold = store.scalar("SELECT current_setting('checkpoint_threshold')")
    con.execute("SET checkpoint_threshold = '16GB'")
    try:
        for start, body, table, spans in prepared(source.path, CHUNK_BYTES):
            con.register("_chunk", table)
            try:
                run_script(con, lines_sql)
                simple = {r[0] for r in con.execute("SELECT line FROM _tw_pages").fetchall()}
                for i, (a, b) in enumerate(spans):
                    if start + i not in simple and body[a:b].strip():
                        fallback(start + i, body[a:b])
                last = start + len(spans) - 1
                if simple:
                    con.register("_tw_urlmap", _urlmap(store))
                    run_script(con, map_sql, params)
                    con.unregister("_tw_urlmap")
                    # records of a line repeated in the chunk are staged once but emitted once a line
                    (posts, accounts, staged_n), *_ = con.execute(_EMITTED).fetchall()
                    emitted["posts"] += posts
                    emitted["accounts"] += accounts
                    staged: dict[str, LoadSource] = {
                        "raw_payloads": Unique("_tw_raw", stored=True),
                        "posts": "_tw_posts",
                        "account_observations": Unique("_tw_accounts", stored=True),
                    }
                    counts = store.load(staged)
                    counts.duplicates += posts + accounts - staged_n  # the repeated lines' copies
                    total.add(counts)
            finally:
                con.unregister("_chunk")
            if progress is not None:
                progress(len(body))
    finally:
        con.execute("SET checkpoint_threshold = $t", {"t": threshold})
        con.execute("DROP VIEW IF EXISTS _tw_raw")
        for t in STAGED:
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return last, total, emitted


STAGED = (
    "_tw_parsed",
    "_tw_users",
    "_tw_bad",
    "_tw_pages",
    "_tw_once",
    "_tw_tweets",
    "_tw_urls",
    "_tw_authors",
    "_tw_links",
    "_tw_media",
    "_tw_posts",
    "_tw_accounts",
)
