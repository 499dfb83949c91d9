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

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from kagami.ingest.base import Source
from kagami.ingest.bulk_lines import hand_back, prepared, settings
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
    try:
        with settings(store, checkpoint_threshold="16GB"):
            for start, body, table, spans in prepared(source.path, CHUNK_BYTES):
                con.register("_chunk", table)
                try:
                    run_script(con, lines_sql)
                    simple = {r[0] for r in con.execute("SELECT line FROM _tw_pages").fetchall()}
                    last = hand_back(start, body, spans, simple, fallback)
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
