"""Column mappings: which column of a table holds which field of a post or an action.

A mapping is a JSON or TOML document (see ``docs/mappings/README.md``); it is validated up front, and
against each table's header before any row is read, so a mistake is reported once, naming the field or
column at fault, instead of as one quarantined row per line.

>>> m = load_mapping({"platform": "x", "columns": {"id": 0, "author_id": 1, "created_at": "ts"}})
>>> m.resolve(["message_id", "user_id", "ts"], "a.csv")
{'id': 0, 'author_id': 1, 'created_at': 2}
>>> try:
...     load_mapping({"platform": "x", "columns": {"id": 0}})
... except MappingError as exc:
...     print(str(exc)[:50])
mapping: mapping lacks required column 'author_id'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from kagami.ingest.csvrows import TableError
from kagami.model import ACTION_KINDS
from kagami.model.ids import PLATFORMS

POSTS = {"id", "author_id", "created_at"}
POSTS_OPTIONAL = {"author_handle", "text", "lang", "repost_of", "reply_to", "quote_of", "urls", "hashtags"}
POSTS_OPTIONAL |= {"mentions", "like_count", "repost_count", "reply_count", "quote_count"}
ACTIONS = {"actor_id", "target_id", "created_at"}
ACTIONS_OPTIONAL = {"id", "kind", "detail"}
ACCOUNT_TARGETS = {"follow", "unfollow", "account_status"}
KEYS = {"platform", "kind", "columns", "action", "list_separator", "time_format", "delimiter", "quotechar"}


class MappingError(TableError):
    """A column mapping that is malformed or names columns the table does not have."""


@dataclass(slots=True, frozen=True)
class Mapping:
    """A validated column mapping: which column holds each field, and how to read cells."""

    platform: str
    kind: str
    columns: dict[str, str | int]
    action: str | None = None
    list_separator: str = " "
    time_format: str | None = None
    delimiter: str | None = None
    quotechar: str | None = '"'

    def resolve(self, header: list[str], where: str) -> dict[str, int]:
        """Each mapped field's position in ``header``; MappingError names a column it lacks."""
        names = [h.strip() for h in header]
        out: dict[str, int] = {}
        for fld, col in self.columns.items():
            if isinstance(col, int):
                if col >= len(names):
                    raise MappingError(
                        f"{where}: {fld} is column {col}, but the table has {len(names)} columns"
                    )
                out[fld] = col
            elif col.strip() in names:
                out[fld] = names.index(col.strip())
            else:
                raise MappingError(
                    f"{where}: column {col!r} (mapped to {fld}) is not in the table; it has {names[:40]}"
                )
        return out


def load_mapping(spec: str | Path | dict[str, Any]) -> Mapping:
    """Read and validate a mapping file (``.json`` or ``.toml``) or an already parsed mapping."""
    where = "mapping" if isinstance(spec, dict) else str(spec)
    if isinstance(spec, dict):
        doc: Any = spec
    else:
        try:
            data = Path(spec).read_bytes()
            doc = tomllib.loads(data.decode()) if str(spec).endswith(".toml") else orjson.loads(data)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, orjson.JSONDecodeError) as exc:
            raise MappingError(f"{where}: cannot read the mapping: {exc}") from None

    def fail(msg: str) -> MappingError:
        return MappingError(f"{where}: {msg}")

    if not isinstance(doc, dict):
        raise fail("a mapping is an object with platform, kind and columns")
    if unknown := sorted(set(doc) - KEYS):
        raise fail(f"unknown keys {unknown}; allowed: {sorted(KEYS)}")
    platform, kind, cols = doc.get("platform"), doc.get("kind", "posts"), doc.get("columns")
    if platform not in PLATFORMS:
        raise fail(f"platform must be one of {list(PLATFORMS)}, not {platform!r}")
    if kind not in ("posts", "actions"):
        raise fail(f'kind must be "posts" or "actions", not {kind!r}')
    if not isinstance(cols, dict):
        raise fail('"columns" must map fields to column names or 0-based positions')
    required, optional = (POSTS, POSTS_OPTIONAL) if kind == "posts" else (ACTIONS, ACTIONS_OPTIONAL)
    for fld, col in cols.items():
        if fld not in required | optional:
            raise fail(f"unknown field {fld!r} in columns; {kind} take {sorted(required | optional)}")
        if isinstance(col, bool) or not (
            (isinstance(col, int) and col >= 0) or (isinstance(col, str) and col)
        ):
            raise fail(f"column of {fld} must be a header name or a 0-based position, not {col!r}")
    if missing := sorted(required - set(cols)):
        raise fail(f"mapping lacks required column {missing[0]!r} ({kind} need {sorted(required)})")
    action = doc.get("action")
    if kind == "actions" and (action is None) == ("kind" not in cols):
        raise fail('actions need exactly one of a "kind" column or a fixed "action"')
    if action is not None and action not in ACTION_KINDS:
        raise fail(f"action must be one of {list(ACTION_KINDS)}, not {action!r}")
    sep, fmt, delim = doc.get("list_separator", " "), doc.get("time_format"), doc.get("delimiter")
    quote = doc.get("quotechar", '"')
    quote = None if quote == "" else quote
    if not isinstance(sep, str) or not sep:
        raise fail("list_separator must be a non-empty string")
    if fmt is not None and not isinstance(fmt, str):
        raise fail("time_format must be a strftime pattern")
    for key, val in (("delimiter", delim), ("quotechar", quote)):
        if val is not None and not (isinstance(val, str) and len(val) == 1):
            raise fail(f"{key} must be one character, not {val!r}")
    return Mapping(platform, kind, dict(cols), action, sep, fmt, delim, quote)
