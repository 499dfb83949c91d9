"""The bulk path for large twarc2 files: DuckDB parses and maps pages in SQL, Python only splits chunks.

Lines that are plain response pages (``data`` a non-empty list of tweets with string ids and texts,
well-formed ``includes``, timestamps DuckDB reads) are mapped here, in parameter-free SQL over staged
tables; every other line (invalid JSON or UTF-8, streaming or flattened tweets, user pages, compliance,
fields of JSON types ``from_json`` would cast, keys the mapping reads written twice, anything DuckDB and
orjson parse differently) goes to the Python reader :func:`kagami.ingest.twarc2.handle`, the reference
mapping. Tests hold both paths to the same result on every real capture and on hostile lines.

Keys written twice are found by the parse itself: the lines whose text and types pass are written to a
temporary file and parsed by ``read_json``, which stops at a key of the mapping written twice in an
object the mapping reads (where from_json reads the first copy and orjson the last). Only a chunk where
that happens pays for the slower check, key lists of every object, and loses nothing: a key written
twice anywhere else is one that neither reader reads.

The SQL only uses joins, window functions and list functions that Spark SQL also has.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import duckdb
import pyarrow as pa

from kagami.ingest.base import Source
from kagami.ingest.bulk_lines import ahead, hand_back, prepared_with, settings
from kagami.ingest.links import normalize_with_domain
from kagami.store import BatchCounts, Store
from kagami.store.keyed import LoadSource, Unique
from kagami.store.sqlfiles import run_script, sections

#: Chunks of 192 MB: a chunk of the benchmark's pages then holds more posts than a DuckDB row group
#: (122,880), so its posts are written compressed straight to the file instead of through the WAL; 1M
#: posts 6-13% faster than with 128 MB, peak memory 3.2-3.3 GB instead of 2.7 GB (2 rounds each).
CHUNK_BYTES = 192 << 20
#: WAL size at which DuckDB checkpoints while a file loads (see read_bulk).
CHECKPOINT_EVERY = "1GB"

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


def duck_type(schema: Any) -> str:
    """The DuckDB type ``from_json`` gives a JSON structure (``read_json`` takes types, not structures).

    >>> duck_type({"a": ["VARCHAR"], "b": {"c": "BIGINT"}})
    'STRUCT("a" VARCHAR[], "b" STRUCT("c" BIGINT))'
    """
    if isinstance(schema, dict):
        return "STRUCT(" + ", ".join(f'"{k}" {duck_type(v)}' for k, v in schema.items()) + ")"
    if isinstance(schema, list):
        return duck_type(schema[0]) + "[]"
    return str(schema)


def fill(sql: str) -> str:
    """The SQL with its ``{NAME}`` placeholders replaced by the constants above (never by input)."""
    paths = list(read_paths(json.loads(PAGE)))
    guard = " OR ".join(f"regexp_matches(j, '{g}')" for g in GUARD)
    fills = {
        "{PAGE}": PAGE,
        "{PAGE_TYPE}": duck_type(json.loads(PAGE)),
        "{GUARD}": guard,
        "{TIME_RE}": TIME_RE,
    }
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


def write_typed(
    path: Path, start: int, body: bytes, spans: list[tuple[int, int]], lines: list[tuple[int, str]]
) -> int:
    r"""Write each of ``lines`` (number, sha256) of the chunk to ``path`` as ``{"n":line,"s":sha,"p":bytes}``
    (valid JSON: the lines parsed); return the longest such record, in bytes.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "t.ndjson"
    ...     write_typed(p, 5, b'{"a":1}\n\n{"b":2}\r\n', [(0, 7), (8, 8), (9, 16)], [(5, "ab"), (7, "cd")])
    ...     p.read_bytes()
    29
    b'{"n":5,"s":"ab","p":{"a":1}}\n{"n":7,"s":"cd","p":{"b":2}}\n'
    """
    view = memoryview(body)
    longest = 0
    with path.open("wb") as f:
        for n, sha in lines:
            a, e = spans[n - start]
            head = b'{"n":%d,"s":"%s","p":' % (n, sha.encode("ascii"))
            f.writelines((head, view[a:e], b"}\n"))
            longest = max(longest, len(head) + e - a + 2)
    return longest


class Typed(NamedTuple):
    """A chunk's typed lines (those whose text and types both readers read alike), and the file they are
    written to for ``read_json`` with the longest record's size (no file where there are none)."""

    lines: list[int]
    path: Path | None = None
    longest: int = 0


def typed_lines(
    con: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    folder: Path,
    chunk: tuple[int, bytes, pa.Table, list[tuple[int, int]]],
) -> Typed:
    """Find a chunk's typed lines (section typed, on ``con``'s own ``_chunk``) and write them to a file in
    ``folder``. Run in the worker thread on a cursor of its own, while the previous chunk loads."""
    start, body, table, spans = chunk
    con.register("_chunk", table)
    try:
        run_script(con, sql["typed"])
        rows = con.execute("SELECT line, sha FROM _tw_typed ORDER BY line").fetchall()
    finally:
        con.unregister("_chunk")
    lines = [r[0] for r in rows]
    if not lines:
        return Typed(lines)
    path = folder / f"{start}.ndjson"
    return Typed(lines, path, write_typed(path, start, body, spans, rows))


def parse(con: duckdb.DuckDBPyConnection, sql: dict[str, str], typed: Typed, into: str | None = None) -> bool:
    """Stage a chunk's typed lines parsed, as the table ``into`` (a fixed name, never input; by default
    the temp table ``_tw_parsed``): by ``read_json`` from their file (removed after), or where it stops (a
    key of the mapping written twice) by the checked parse on ``con``'s ``_chunk``. Returns whether
    ``read_json`` did it."""
    target = into or "_tw_parsed"
    if not all(part.isidentifier() for part in target.split(".")):
        raise ValueError(f"not a table name: {target!r}")
    table = "TEMP TABLE _tw_parsed" if into is None else f"TABLE {into}"
    sql = {k: sql[k].replace("{PARSED}", table) for k in ("parse", "parse_checked")}
    if typed.path is not None:
        try:
            size = min(typed.longest + 1, 2**32 - 1)  # a longer line fails here, then the checked parse
            run_script(con, sql["parse"], {"path": str(typed.path), "max_size": size})
            (n,), *_ = con.execute(f"SELECT count(*) FROM {target}").fetchall()  # noqa: S608 - checked
            if n == len(typed.lines):
                return True
        except (duckdb.InvalidInputException, UnicodeDecodeError):
            pass  # the message quotes the object, cut at a byte: sometimes mid-character
        finally:
            typed.path.unlink()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _tw_typed AS SELECT unnest($lines::BIGINT[]) AS line",
        {"lines": typed.lines},
    ).fetchall()
    run_script(con, sql["parse_checked"])
    return False


def url_table(urls: list[str]) -> pa.Table:
    """Normalised form and registered domain of each distinct URL target (run in a thread, while DuckDB
    stages the chunk's pages: the normalisation is Python, and DuckDB releases the GIL)."""
    parts = [normalize_with_domain(u) for u in urls]
    return pa.table(
        {
            "target": pa.array(urls, pa.string()),
            "normalized": pa.array([p[0] for p in parts], pa.string()),
            "domain": pa.array([p[1] for p in parts], pa.string()),
        }
    )


def _stage(
    con: duckdb.DuckDBPyConnection, sql: dict[str, str], parsed: str, urls: ThreadPoolExecutor
) -> tuple[set[int], Future[pa.Table]]:
    """Stage the chunk registered as ``_chunk``, parsed by the worker thread into the table ``parsed``;
    return the plain pages' lines and the URL table being built for them."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW _tw_parsed AS FROM {parsed}")
    run_script(con, sql["stage"])
    targets = [r[0] for r in con.execute("SELECT DISTINCT target FROM _tw_urls").fetchall()]
    urlmap = urls.submit(url_table, targets)
    run_script(con, sql["pages"])
    return {r[0] for r in con.execute("SELECT line FROM _tw_pages").fetchall()}, urlmap


def _map_and_load(
    store: Store, sql: dict[str, str], params: dict[str, str], urlmap: Future[pa.Table]
) -> tuple[BatchCounts, int, int]:
    """Map the staged pages and load them; return the counts and the posts and accounts emitted."""
    con = store.con
    run_script(con, sql["plain"], params)
    con.register("_tw_urlmap", urlmap.result())
    try:
        run_script(con, sql["links"], params)
    finally:
        con.unregister("_tw_urlmap")
    # records of a line repeated in the chunk are staged once but emitted once a line
    (posts, accounts, staged_n), *_ = con.execute(_EMITTED).fetchall()
    staged: dict[str, LoadSource] = {
        "raw_payloads": Unique("_tw_raw", stored=True),
        "posts": "_tw_posts",
        "account_observations": Unique("_tw_accounts", stored=True),
    }
    counts = store.load(staged)
    counts.duplicates += posts + accounts - staged_n  # the repeated lines' copies
    return counts, posts, accounts


#: The in-memory database the worker thread parses chunks into, attached while a file loads.
SCRATCH = "_kagami_twarc2"

#: The temporary folders of the typed lines' files: this prefix, then the process id.
FOLDER_PREFIX = "kagami-twarc2-"


def sweep_folders(tmp: Path | None = None) -> list[Path]:
    """Remove the typed lines' folders that processes no longer running left behind (an ingest killed
    with SIGKILL cannot clean up: up to two chunks' files); return them. Other processes' are kept.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (Path(d) / "kagami-twarc2-999999999-x").mkdir()
    ...     (Path(d) / f"kagami-twarc2-{os.getpid()}-y").mkdir()
    ...     [p.name for p in sweep_folders(Path(d))], sorted(p.name[-1] for p in Path(d).iterdir())
    (['kagami-twarc2-999999999-x'], ['y'])
    """
    gone: list[Path] = []
    if os.name != "posix":  # elsewhere os.kill would not only check
        return gone
    for folder in (tmp or Path(tempfile.gettempdir())).glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def _running(pid: int) -> bool:
    """Whether a process of that id runs (signal 0 only checks; on POSIX, where the sweep runs)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's
    return True


#: A chunk as the worker thread prepares it: first line, bytes, line table, line spans, and the table that
#: holds its typed lines parsed.
Prepared: TypeAlias = tuple[int, bytes, pa.Table, list[tuple[int, int]], str]


@contextmanager
def _pipeline(
    con: duckdb.DuckDBPyConnection, path: Path, sql: dict[str, str]
) -> Iterator[tuple[Generator[Prepared, None, None], ThreadPoolExecutor]]:
    """The file's chunks, each prepared, its typed lines found and parsed in the worker thread (on a cursor
    of its own, with its own temp tables) while the previous one loads, and a thread for URL normalisation.

    The worker parses into the in-memory database :data:`SCRATCH` (:func:`bulk_lines.ahead`), which the
    loading thread reads as the view ``_tw_parsed``. Everything the threads use outlives them: the chunks
    are closed (their worker stopped) first."""
    sweep_folders()
    with (
        ahead(con, SCRATCH) as slot,
        ThreadPoolExecutor(max_workers=1) as urls,
        tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-") as folder,
        con.cursor() as worker,
    ):

        def then(start: int, body: bytes, table: pa.Table, spans: list[tuple[int, int]]) -> str:
            typed = typed_lines(worker, sql, Path(folder), (start, body, table, spans))
            into = slot()
            worker.register("_chunk", table)
            try:
                parse(worker, sql, typed, into)
            finally:
                worker.unregister("_chunk")
            return into

        try:
            with closing(prepared_with(path, CHUNK_BYTES, then)) as items:
                yield items, urls
        finally:
            con.execute("DROP VIEW IF EXISTS _tw_parsed")


class Started(NamedTuple):
    """A file's chunks being prepared (:func:`start`), for :func:`read_bulk` to load."""

    items: Iterator[Prepared]
    urls: ThreadPoolExecutor
    lines_sql: dict[str, str]


@contextmanager
def start(store: Store, path: Path) -> Iterator[Started]:
    """Begin preparing ``path``'s chunks under the load's settings: the first chunk is ready and the
    worker thread is on the second when this yields. The runner starts it while the file's sha256 is
    still being computed in a thread of its own: the loading itself needs the hash, the preparing does not.

    Commit per chunk, checkpoint about once a GB of WAL: checkpointing after every chunk rewrote the
    file, and once at the end left the committed data past the memory limit to spill to temp files first
    (1M posts in 128 MB chunks: 0.6 GB spilled, 3.2 GB peak; with 1GB none, 2.6-2.8 GB, no slower). Staged
    rows carry their places as columns (line, position), so no statement needs their order."""
    lines_sql = {k: fill(v) for k, v in sections(SQL_DIR / "twarc2_lines.sql").items()}
    with (
        settings(store, checkpoint_threshold=CHECKPOINT_EVERY, preserve_insertion_order="false"),
        _pipeline(store.con, path, lines_sql) as (items, urls),
    ):
        first = next(items, None)
        yield Started(itertools.chain(() if first is None else (first,), items), urls, lines_sql)


def read_bulk(
    store: Store,
    source: Source,
    reader: tuple[str, str],
    fallback: Callable[[int, bytes], None],
    progress: Callable[[int], None] | None = None,
    started: Started | None = None,
) -> tuple[int, BatchCounts, dict[str, int]]:
    """Read a twarc2 JSONL file: plain pages in SQL, every other line through ``fallback(line, raw)``.
    ``started``: what :func:`start` began for this file (started here when not given).

    Returns (last line number, counts of what SQL loaded, records SQL emitted per kind).
    """
    if started is None:
        with start(store, source.path) as own:
            return read_bulk(store, source, reader, fallback, progress, own)
    con = store.con
    total = BatchCounts()
    emitted = {"posts": 0, "accounts": 0}
    params = {
        "source_file": source.name,
        "file_sha256": source.sha256,
        "reader": reader[0],
        "reader_version": reader[1],
    }
    lines_sql, urls = started.lines_sql, started.urls
    map_sql = sections(SQL_DIR / "twarc2_map.sql")
    last = 0
    try:
        for start_line, body, table, spans, parsed in started.items:
            con.register("_chunk", table)
            try:
                simple, urlmap = _stage(con, lines_sql, parsed, urls)
                last = hand_back(start_line, body, spans, simple, fallback)
                if simple:
                    counts, posts, accounts = _map_and_load(store, map_sql, params, urlmap)
                    total.add(counts)
                    emitted["posts"] += posts
                    emitted["accounts"] += accounts
            finally:
                con.unregister("_chunk")
            if progress is not None:
                progress(len(body))
    finally:
        con.execute("DROP VIEW IF EXISTS _tw_raw")
        for t in STAGED:
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return last, total, emitted


#: The temp tables the loading thread stages (the worker thread's go with its cursor).
STAGED = (
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
