"""Turn lists of typed records into Arrow tables, column by column, for bulk loading.

Records are converted with one list comprehension per column (no per-row inserts); the tables' column
order matches the store's DDL so a batch loads with a single ``INSERT ... SELECT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from kagami.model import Account, Action, Post, Quarantined, RawRef
from kagami.store.payloads import pack

TS = pa.timestamp("us", tz="UTC")
LINK = pa.struct(
    [
        ("url", pa.string()),
        ("expanded", pa.string()),
        ("normalized", pa.string()),
        ("domain", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
    ]
)
MENTION = pa.struct(
    [("handle", pa.string()), ("id", pa.string()), ("start", pa.int64()), ("end", pa.int64())]
)
MEDIA = pa.struct([("url", pa.string()), ("kind", pa.string()), ("key", pa.string()), ("hash", pa.string())])


def _uid(platform: str, native: str | None) -> str | None:
    return None if native is None else f"{platform}:{native}"


def _prov(refs: Sequence[RawRef], paths: Sequence[str]) -> dict[str, pa.Array]:
    return {
        "source_file": pa.array([r.source_file for r in refs], pa.string()),
        "file_sha256": pa.array([r.file_sha256 for r in refs], pa.string()),
        "line": pa.array([r.line for r in refs], pa.int64()),
        "raw_sha256": pa.array([r.sha256 for r in refs], pa.string()),
        "raw_path": pa.array(list(paths), pa.string()),
        "retrieved_at": pa.array([r.retrieved_at for r in refs], TS),
        "reader": pa.array([r.reader for r in refs], pa.string()),
        "reader_version": pa.array([r.reader_version for r in refs], pa.string()),
    }


def _structs(rows: Sequence[Sequence[Any]], typ: pa.DataType) -> pa.Array:
    """Lists of slotted dataclasses as list<struct>; empty lists stay empty (not null)."""
    names = [f.name for f in typ]
    out = [[{n: getattr(x, n) for n in names} for x in row] if row else [] for row in rows]
    return pa.array(out, pa.list_(typ))


def posts_table(posts: Sequence[Post]) -> pa.Table:
    cols: dict[str, pa.Array] = {
        "uid": pa.array([f"{p.platform}:{p.id}" for p in posts], pa.string()),
        "platform": pa.array([p.platform for p in posts], pa.string()),
        "id": pa.array([p.id for p in posts], pa.string()),
        "author_uid": pa.array([_uid(p.platform, p.author_id) for p in posts], pa.string()),
        "created_at": pa.array([p.created_at for p in posts], TS),
        "text": pa.array([p.text for p in posts], pa.string()),
        "lang": pa.array([p.lang for p in posts], pa.string()),
        "kind": pa.array([p.kind for p in posts], pa.string()),
        "ref_uid": pa.array([_uid(p.platform, p.ref_id) for p in posts], pa.string()),
        "ref_author_uid": pa.array([_uid(p.platform, p.ref_author_id) for p in posts], pa.string()),
        "reply_to_uid": pa.array([_uid(p.platform, p.reply_to_id) for p in posts], pa.string()),
        "reply_to_author_uid": pa.array([_uid(p.platform, p.reply_to_author_id) for p in posts], pa.string()),
        "quote_of_uid": pa.array([_uid(p.platform, p.quote_of_id) for p in posts], pa.string()),
        "conversation_id": pa.array([p.conversation_id for p in posts], pa.string()),
        "links": _structs([p.links for p in posts], LINK),
        "hashtags": pa.array([p.hashtags for p in posts], pa.list_(pa.string())),
        "mentions": _structs([p.mentions for p in posts], MENTION),
        "media": _structs([p.media for p in posts], MEDIA),
        "like_count": pa.array([p.like_count for p in posts], pa.int64()),
        "repost_count": pa.array([p.repost_count for p in posts], pa.int64()),
        "reply_count": pa.array([p.reply_count for p in posts], pa.int64()),
        "quote_count": pa.array([p.quote_count for p in posts], pa.int64()),
        "view_count": pa.array([p.view_count for p in posts], pa.int64()),
        "source": pa.array([p.source for p in posts], pa.string()),
        "edit_ids": pa.array([p.edit_ids for p in posts], pa.list_(pa.string())),
        "withheld_in": pa.array([p.withheld_in for p in posts], pa.list_(pa.string())),
        "url": pa.array([p.url for p in posts], pa.string()),
        "is_primary": pa.array([p.primary for p in posts], pa.bool_()),
    }
    cols.update(_prov([p.raw for p in posts], [p.raw_path for p in posts]))
    return pa.table(cols)


def accounts_table(accounts: Sequence[Account]) -> pa.Table:
    a = accounts
    cols: dict[str, pa.Array] = {
        "uid": pa.array([f"{x.platform}:{x.id}" for x in a], pa.string()),
        "platform": pa.array([x.platform for x in a], pa.string()),
        "id": pa.array([x.id for x in a], pa.string()),
        "handle": pa.array([x.handle for x in a], pa.string()),
        "display_name": pa.array([x.display_name for x in a], pa.string()),
        "created_at": pa.array([x.created_at for x in a], TS),
        "description": pa.array([x.description for x in a], pa.string()),
        "location": pa.array([x.location for x in a], pa.string()),
        "url": pa.array([x.url for x in a], pa.string()),
        "avatar_url": pa.array([x.avatar_url for x in a], pa.string()),
        "default_avatar": pa.array([x.default_avatar for x in a], pa.bool_()),
        "verified": pa.array([x.verified for x in a], pa.bool_()),
        "protected": pa.array([x.protected for x in a], pa.bool_()),
        "followers": pa.array([x.followers for x in a], pa.int64()),
        "following": pa.array([x.following for x in a], pa.int64()),
        "posts_count": pa.array([x.posts_count for x in a], pa.int64()),
        "bot": pa.array([x.bot for x in a], pa.bool_()),
        "observed_at": pa.array([x.observed_at or x.raw.retrieved_at for x in a], TS),
    }
    cols.update(_prov([x.raw for x in a], [x.raw_path for x in a]))
    return pa.table(cols)


def actions_table(actions: Sequence[Action]) -> pa.Table:
    a = actions
    cols: dict[str, pa.Array] = {
        "uid": pa.array([f"{x.platform}:{x.id}" for x in a], pa.string()),
        "platform": pa.array([x.platform for x in a], pa.string()),
        "id": pa.array([x.id for x in a], pa.string()),
        "kind": pa.array([x.kind for x in a], pa.string()),
        "actor_uid": pa.array([_uid(x.platform, x.actor_id) for x in a], pa.string()),
        "target_uid": pa.array([_uid(x.platform, x.target_id) for x in a], pa.string()),
        "target_kind": pa.array([x.target_kind for x in a], pa.string()),
        "created_at": pa.array([x.created_at for x in a], TS),
        "detail": pa.array([x.detail for x in a], pa.string()),
    }
    cols.update(_prov([x.raw for x in a], [x.raw_path for x in a]))
    return pa.table(cols)


def quarantine_table(items: Sequence[Quarantined]) -> pa.Table:
    return pa.table(
        {
            "file_sha256": pa.array([q.file_sha256 for q in items], pa.string()),
            "line": pa.array([q.line if q.line is not None else 0 for q in items], pa.int64()),
            "raw_path": pa.array([q.raw_path for q in items], pa.string()),
            "source_file": pa.array([q.source_file for q in items], pa.string()),
            "reader": pa.array([q.reader for q in items], pa.string()),
            "reason": pa.array([q.reason for q in items], pa.string()),
            "raw": pa.array([q.raw for q in items], pa.binary()),
        }
    )


def raw_table(payloads: dict[str, bytes]) -> pa.Table:
    """Raw payloads by sha256, each as the store keeps it (packed when long: :mod:`kagami.store.payloads`)."""
    keys = list(payloads)
    packed = [pack(payloads[k]) for k in keys]
    return pa.table(
        {
            "sha256": pa.array(keys, pa.string()),
            "size": pa.array([len(payloads[k]) for k in keys], pa.int64()),
            "payload": pa.array([p for p, _ in packed], pa.large_binary()),
            "encoding": pa.array([e for _, e in packed], pa.string()),
        }
    )
