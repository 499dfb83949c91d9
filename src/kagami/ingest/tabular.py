"""Any CSV, TSV or Parquet table of posts or actions, read through a declared column mapping.

The mapping is a JSON or TOML file given as ``--format tabular --mapping FILE``::

    {"platform": "x", "kind": "posts",
     "columns": {"id": "message_id", "author_id": "user_id", "created_at": "timestamp", "urls": "urls"},
     "list_separator": " ", "time_format": null, "delimiter": null, "quotechar": "\\""}

A column is named by its header or by its 0-based position (for layouts where, as in
coordination-network-toolkit's CSV, "the names of the columns don't matter but the order does").
Posts need ``id``, ``author_id`` and ``created_at``; actions (likes, follows) need ``actor_id``,
``target_id``, ``created_at`` and either a ``kind`` column or a fixed ``"action"``. Times are read with
``time_format`` when given, else as ISO 8601 or Unix seconds; a URL without a scheme (``youtu.be/x``) is
normalised as https. A CSV row's raw payload is the header and the row's bytes (see
:mod:`kagami.ingest.csvrows`); a Parquet row's is ``orjson.dumps`` of the row as a dict, its line the
1-based row number. Never sniffed: a table's meaning is declared, not guessed.

>>> to_time("1547769600.5", None).isoformat()
'2019-01-18T00:00:00.500000+00:00'
>>> _link("youtu.be/x").normalized
'https://youtu.be/x'
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from kagami.ingest.base import Located, RecordError, Sink, Source
from kagami.ingest.common import parse_time
from kagami.ingest.csvrows import RowHandler, clean_id, emit, quarantine_file, read_csv, to_count
from kagami.ingest.links import make_link
from kagami.ingest.mapping import ACCOUNT_TARGETS, Mapping, MappingError, load_mapping
from kagami.model import ACTION_KINDS, Account, Action, Link, Mention, Post, RawRef

NAME = "tabular"
VERSION = "1"
Cells = Callable[[str], Any]


def sniff_source(source: Located) -> bool:
    """Never: a generic table is read only when asked for, with its mapping."""
    return False


def to_time(value: Any, fmt: str | None) -> datetime:
    """A cell as an aware UTC time: a datetime, ``fmt`` (strftime), ISO 8601 or Unix seconds."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and fmt:
        try:
            dt = datetime.strptime(value.strip(), fmt)
        except ValueError:
            raise RecordError(f"created_at: {value[:60]!r} does not match time_format {fmt!r}") from None
        return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    out = parse_time(value)
    if out is None and isinstance(value, str):
        try:
            out = parse_time(float(value))
        except ValueError:
            out = None
    if out is None:
        raise RecordError(f"created_at: unreadable time {str(value)[:60]!r}")
    return out


def _items(value: Any, sep: str) -> list[str]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(sep)
    return [s for s in (str(p).strip() for p in parts if p is not None) if s]


def _link(url: str) -> Link:
    if "://" in url:
        return make_link(url)
    link = make_link("https://" + url)
    link.url = url
    return link


def _post(m: Mapping, cell: Cells, ref: RawRef, sink: Sink) -> None:
    pid, author = clean_id(cell("id"), "id"), clean_id(cell("author_id"), "author_id")
    if not pid or not author:
        raise RecordError(f"{'id' if not pid else 'author_id'} is empty")
    at = to_time(cell("created_at"), m.time_format)
    repost, quote = clean_id(cell("repost_of"), "repost_of"), clean_id(cell("quote_of"), "quote_of")
    reply = clean_id(cell("reply_to"), "reply_to")
    kind, ref_id = next(
        ((k, i) for k, i in (("repost", repost), ("quote", quote), ("reply", reply)) if i), ("post", None)
    )
    text, lang = cell("text"), cell("lang")
    sink.post(
        Post(
            platform=m.platform,
            id=pid,
            author_id=author,
            created_at=at,
            text=None if text is None else str(text),
            raw=ref,
            lang=None if lang is None else str(lang),
            kind=kind,
            ref_id=ref_id,
            reply_to_id=reply,
            quote_of_id=quote,
            links=[_link(u) for u in _items(cell("urls"), m.list_separator)],
            hashtags=[h.lstrip("#") for h in _items(cell("hashtags"), m.list_separator) if h.lstrip("#")],
            mentions=[Mention(h.lstrip("@")) for h in _items(cell("mentions"), m.list_separator)],
            like_count=to_count(cell("like_count")),
            repost_count=to_count(cell("repost_count")),
            reply_count=to_count(cell("reply_count")),
            quote_count=to_count(cell("quote_count")),
        )
    )
    handle = cell("author_handle")
    if handle is not None and str(handle).strip().lstrip("@"):
        handle = str(handle).strip().lstrip("@")
        sink.account(Account(platform=m.platform, id=author, raw=ref, handle=handle, observed_at=at))


def _action(m: Mapping, cell: Cells, ref: RawRef, sink: Sink) -> None:
    kind = str(cell("kind") or m.action or "").strip().lower()
    if kind not in ACTION_KINDS:
        raise RecordError(f"kind: unknown action {kind[:40]!r}; known: {', '.join(ACTION_KINDS)}")
    actor, target = clean_id(cell("actor_id"), "actor_id"), clean_id(cell("target_id"), "target_id")
    if not actor or not target:
        raise RecordError(f"{'actor_id' if not actor else 'target_id'} is empty")
    at = to_time(cell("created_at"), m.time_format)
    key = clean_id(cell("id"), "id")
    if key is None:
        key = hashlib.sha256(f"{actor}\x1f{target}\x1f{at.isoformat()}".encode()).hexdigest()[:32]
    detail = cell("detail")
    target_kind = "account" if kind in ACCOUNT_TARGETS else "post"
    sink.action(
        Action(
            m.platform,
            f"{kind}:{key}",
            kind,
            actor,
            target,
            target_kind,
            at,
            ref,
            detail=None if detail is None else str(detail),
        )
    )


def _handler(m: Mapping, idx: dict[str, int], sink: Sink) -> Callable[[list[Any], RawRef], None]:
    emit_one = _post if m.kind == "posts" else _action

    def handle(values: list[Any], ref: RawRef) -> None:
        def cell(fld: str) -> Any:
            i = idx.get(fld)
            v = None if i is None else values[i]
            return None if v == "" else v

        emit_one(m, cell, ref, sink)

    return handle


def _json_default(obj: Any) -> Any:
    if isinstance(obj, bytes | bytearray):
        return base64.b64encode(obj).decode()
    return str(obj)


def _read_parquet(source: Source, sink: Sink, m: Mapping, progress: Callable[[int], None] | None) -> int:
    try:
        pf = pq.ParquetFile(source.path)
    except (pa.ArrowException, OSError) as exc:
        quarantine_file(source, sink, f"unreadable Parquet file: {exc}")
        return 0
    names = list(pf.schema_arrow.names)
    handle = _handler(m, m.resolve(names, source.name), sink)
    row = reported = 0
    for group in range(pf.num_row_groups):
        first, size = row + 1, pf.metadata.row_group(group).num_rows
        try:
            for batch in pf.iter_batches(batch_size=4096, row_groups=[group]):
                for values in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                    row += 1
                    raw = orjson.dumps(dict(zip(names, values, strict=True)), default=_json_default)
                    emit(sink, row, raw, partial(handle, list(values)))
        except (pa.ArrowException, OSError) as exc:
            sink.quarantine(
                row + 1,
                f"unreadable Parquet row group {group} (rows {row + 1}-{first + size - 1}): {exc}",
                b"",
            )
            sink.commit_line()
        row = first + size - 1
        if progress is not None:
            done = source.size * row // max(pf.metadata.num_rows, 1)
            progress(done - reported)
            reported = done
    return row


def read(
    source: Source, sink: Sink, options: dict[str, Any], progress: Callable[[int], None] | None = None
) -> int:
    """Read one table through ``options["mapping"]``; return the lines (CSV) or rows (Parquet) read."""
    spec = options.get("mapping")
    if not spec:
        raise MappingError("the tabular format needs a column mapping: --format tabular --mapping FILE")
    m = load_mapping(spec)
    with source.path.open("rb") as f:
        magic = f.read(4)
    if magic == b"PAR1" or source.path.suffix.lower() == ".parquet":
        return _read_parquet(source, sink, m, progress)
    delimiter = m.delimiter or ("\t" if source.path.suffix.lower() == ".tsv" else ",")

    def prepare(header: list[str]) -> RowHandler:
        return _handler(m, m.resolve(header, source.name), sink)

    return read_csv(source, sink, progress, prepare, delimiter, m.quotechar)
