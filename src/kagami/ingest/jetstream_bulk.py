"""The bulk path for large Jetstream files: DuckDB parses and maps the common events in SQL.

Commit events (create, update, delete) of posts, reposts, likes, follows and profiles, commits of
collections Kagami does not model, and identity events are mapped by the SQL in ``sql/jetstream_*.sql``
when every field the mapping reads holds the JSON type the Python reader expects; every other line
(invalid JSON or UTF-8, account events, unusual shapes or types, keys written twice, anything DuckDB and
orjson might read differently) goes to the Python reader :func:`kagami.ingest.jetstream.handle`, the
reference mapping. Link normalisation and CID decoding stay in Python, once per distinct value. Tests
hold both paths to the same store on real records, a simulated world and hostile lines.

>>> sorted(TYPES)[:3], fill("{POST}")
(['avatar', 'collection', 'commit'], 'app.bsky.feed.post')
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from kagami.ingest import atproto
from kagami.ingest.base import Source
from kagami.ingest.bulk_lines import hand_back, prepared, settings
from kagami.ingest.jetstream import _MAX_US
from kagami.ingest.links import normalize_with_domain
from kagami.store import BatchCounts, Store
from kagami.store.keyed import LoadSource, Unique
from kagami.store.sqlfiles import statements

#: Chunks of 192 MB, as on the twarc2 path: a chunk of a busy stream then holds more posts and more
#: actions than a DuckDB row group, so they are written compressed straight to the file rather than
#: through the WAL. The scale-10 Bluesky file (0.76 GB): 25.8-29.0 s against 31.9-32.6 s with 64 MB
#: chunks, peak 2.9 against 2.3 GB; identical stores.
CHUNK_BYTES = 192 << 20
SQL_DIR = Path(__file__).with_name("sql")

_BLOB = {"ref": {"$link": "VARCHAR"}, "cid": "VARCHAR"}
_URI = {"uri": "VARCHAR"}
#: The fields read, as from_json types; lists are kept as JSON text and parsed once their types are checked.
EVENT = {
    "did": "VARCHAR", "time_us": "BIGINT", "kind": "VARCHAR",
    "commit": {
        **{k: "VARCHAR" for k in ("rev", "operation", "collection", "rkey")},
        "record": {
            **{k: "VARCHAR" for k in ("$type", "createdAt", "text", "subject", "displayName", "description")},
            **{k: "JSON" for k in ("tags", "facets", "avatar")},
            "langs": ["VARCHAR"], "reply": {"parent": _URI, "root": _URI},
            "embed": {
                "$type": "VARCHAR", "record": {"uri": "VARCHAR", "record": _URI}, "external": _URI,
                "images": "JSON", "video": _BLOB,
                "media": {"$type": "VARCHAR", "external": _URI, "images": "JSON", "video": _BLOB},
            },
        },
    },
    "identity": {"handle": "VARCHAR", "time": "VARCHAR"},
}  # fmt: skip
FACETS = [{"index": {"byteStart": "BIGINT", "byteEnd": "BIGINT"},
           "features": [{k: "VARCHAR" for k in ("$type", "uri", "tag", "did")}]}]  # fmt: skip
IMAGES = [{"image": _BLOB}]

_C, _R, _E = "$.commit.", "$.commit.record.", "$.commit.record.embed."
#: JSON types checked per line: name -> path (a field's type decides whether SQL may read it).
TYPES = {
    "root": "$", "did": "$.did", "time_us": "$.time_us", "commit": "$.commit",
    "collection": _C + "collection",
    "rkey": _C + "rkey", "rev": _C + "rev", "record": _C + "record", "created": _R + "createdAt",
    "text": _R + "text", "lang0": _R + "langs[0]", "tags": _R + "tags", "parent": _R + "reply.parent.uri",
    "root_uri": _R + "reply.root.uri", "facets": _R + "facets", "external": _E + "external.uri",
    "media_external": _E + "media.external.uri", "images": _E + "images", "media_images": _E + "media.images",
    "video_link": _E + 'video.ref."$link"', "video_cid": _E + "video.cid",
    "media_video_link": _E + 'media.video.ref."$link"', "media_video_cid": _E + "media.video.cid",
    "subject": _R + "subject", "subject_uri": _R + "subject.uri", "display_name": _R + "displayName",
    "description": _R + "description", "avatar": _R + "avatar", "identity": "$.identity",
    "handle": "$.identity.handle", "time": "$.identity.time",
}  # fmt: skip
#: Objects whose keys must be distinct (DuckDB reads a repeated key's first value, orjson its last).
KEYS = ["$", "$.commit", _C + "record", "$.identity", _R + "subject", _R + "reply", _R + "reply.parent",
        _R + "reply.root", _R + "embed"] + [_E + p for p in (
            "record", "record.record", "external", "video", "video.ref", "media", "media.external",
            "media.video", "media.video.ref")]  # fmt: skip
#: Times DuckDB and Python's fromisoformat read alike (other non-empty times go to Python).
TIME_RE = (
    r"(19|20)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
)
#: Text DuckDB's JSON parser accepts and orjson refuses: trailing commas, NaN and infinities, huge exponents.
GUARD = (
    r",[ \t\r\n]*[\]}]|[:,\[][ \t\r\n]*[-+]?(?i:nan|inf|infinity)[ \t\r\n]*[,}\]]"
    r"|[:,\[][ \t\r\n]*-?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]{3,}[ \t\r\n]*[,}\]]"
)


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + p + "'" for p in items) + "]"


_FILL = {
    "{EVENT}": json.dumps(EVENT, separators=(",", ":")),
    "{FACETS}": json.dumps(FACETS, separators=(",", ":")),
    "{IMAGES}": json.dumps(IMAGES, separators=(",", ":")),
    "{TYPE_PATHS}": _sql_list(list(TYPES.values())),
    "{TYPE_NAMES}": "struct_pack(" + ", ".join(f"{n} := t[{i}]" for i, n in enumerate(TYPES, 1)) + ")",
    "{KEY_PATHS}": _sql_list(KEYS),
    "{TIME_RE}": TIME_RE,
    "{GUARD}": GUARD,
    "{MAX_US}": str(_MAX_US),
    "{MODELLED}": ", ".join(f"'{c}'" for c in atproto.MODELLED),
    "{DELETABLE}": ", ".join(f"'{c}'" for c in atproto.DELETE_KINDS),
    "{POST}": atproto.POST,
    "{REPOST}": atproto.REPOST,
    "{LIKE}": atproto.LIKE,
    "{FOLLOW}": atproto.FOLLOW,
    "{PROFILE}": atproto.PROFILE,
}


def fill(sql: str) -> str:
    """The SQL with its ``{NAME}`` placeholders replaced by the constants above (never by input)."""
    for key, value in _FILL.items():
        sql = sql.replace(key, value)
    return sql


def _script(name: str) -> list[str]:
    return statements(fill((SQL_DIR / name).read_text(encoding="utf-8")))


def _run(con: duckdb.DuckDBPyConnection, script: list[str]) -> None:
    # No $parameters here: "$type" and "$link" are JSON keys; the source's values sit in _js_src.
    for stmt in script:
        con.execute(stmt).fetchall()


#: Records the loader reads (one line per payload), to count the copies left out as duplicates.
_STAGED_N = (
    "SELECT (SELECT count(*) FROM _js_posts_out) + (SELECT count(*) FROM _js_accounts_out) "
    "+ (SELECT count(*) FROM _js_actions_out)"
)


def _maps(con: duckdb.DuckDBPyConnection) -> tuple[pa.Table, pa.Table]:
    """Normalised URL and registered domain of each distinct link target; sha-256 of each distinct CID."""
    urls = [r[0] for r in con.execute("SELECT target FROM _js_urls").fetchall()]
    parts = [normalize_with_domain(u) for u in urls]
    cids = [r[0] for r in con.execute("SELECT cid FROM _js_cids").fetchall()]
    urlmap = pa.table(
        {
            "target": pa.array(urls, pa.string()),
            "normalized": pa.array([p[0] for p in parts], pa.string()),
            "domain": pa.array([p[1] for p in parts], pa.string()),
        }
    )
    cidmap = pa.table(
        {
            "cid": pa.array(cids, pa.string()),
            "hash": pa.array([atproto.cid_sha256(c) for c in cids], pa.string()),
        }
    )
    return urlmap, cidmap


def read_bulk(
    store: Store,
    source: Source,
    reader: tuple[str, str],
    fallback: Callable[[int, bytes], None],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, BatchCounts, dict[str, int]]:
    """Read a Jetstream JSONL file: common events in SQL, every other line through ``fallback(line, raw)``.

    Returns (last line number, counts of what SQL loaded, records SQL emitted per kind).
    """
    con = store.con
    total = BatchCounts()
    emitted = {"posts": 0, "accounts": 0, "actions": 0}
    stage = [*_script("jetstream_lines.sql"), *_script("jetstream_posts.sql")]
    mapping = _script("jetstream_map.sql")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _js_src AS SELECT ?::VARCHAR AS source_file, "
        "?::VARCHAR AS file_sha256, ?::VARCHAR AS reader, ?::VARCHAR AS reader_version",
        [source.name, source.sha256, reader[0], reader[1]],
    ).fetchall()
    last = 0
    # Commit per chunk but checkpoint once, at the end (the twarc2 path's 1 GB threshold made no difference
    # here: scale-10 Bluesky file 25.0 / 23.2 s against 24.8 / 23.2 s); staged tables have no meaningful row
    # order (positions are columns), and keeping it made staging ten times slower.

    try:
        with settings(store, checkpoint_threshold="16GB", preserve_insertion_order="false"):
            for start, body, table, spans in prepared(source.path, CHUNK_BYTES):
                con.register("_chunk", table)
                try:
                    _run(con, stage)
                    mapped = {r[0] for r in con.execute("SELECT line FROM _js_ev").fetchall()}
                    last = hand_back(start, body, spans, mapped, fallback)
                    if mapped:
                        urlmap, cidmap = _maps(con)
                        con.register("_js_urlmap", urlmap)
                        con.register("_js_cidmap", cidmap)
                        try:
                            _run(con, mapping)
                        finally:
                            con.unregister("_js_urlmap")
                            con.unregister("_js_cidmap")
                        chunk = {
                            kind: int(store.scalar(f"SELECT count(*) FROM {staged}"))  # noqa: S608
                            for kind, staged in (
                                ("posts", "_js_posts"),
                                ("accounts", "_js_accounts"),
                                ("actions", "_js_actions"),
                            )
                        }
                        for kind, n in chunk.items():
                            emitted[kind] += n
                        loads: dict[str, LoadSource] = {
                            "raw_payloads": Unique("_js_raw", stored=True),
                            "posts": "_js_posts_out",
                            "account_observations": Unique("_js_accounts_out", stored=True),
                            "actions": "_js_actions_out",
                        }
                        (staged_n,), *_ = con.execute(_STAGED_N).fetchall()
                        counts = store.load(loads)
                        # a line repeated in the chunk is loaded once; its other copies are duplicates
                        counts.duplicates += sum(chunk.values()) - staged_n
                        total.add(counts)
                finally:
                    con.unregister("_chunk")
                if progress is not None:
                    progress(len(body))
    finally:
        for view in VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for t in STAGED:
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return last, total, emitted


VIEWS = ("_js_raw", "_js_posts_out", "_js_actions_out", "_js_accounts_out")
STAGED = (
    "_js_src", "_js_parsed", "_js_ev", "_js_lists", "_js_badlists", "_js_feats", "_js_cards",
    "_js_media", "_js_urls", "_js_cids", "_js_fagg", "_js_magg", "_js_posts", "_js_actions", "_js_accounts",
    "_js_once",
)  # fmt: skip
