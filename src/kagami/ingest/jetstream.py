"""Bluesky Jetstream events (JSON Lines, one event a line) as posts, engagements and profile observations.

``time_us`` is when Jetstream saw the event: it becomes the payload's retrieval time and stands in for a
record's missing ``createdAt``. A deletion's id is the deleted record's URI with ``#delete@{rev}`` (the
repo revision, the same on every Jetstream instance), so it never collides with the creation. Events of
collections Kagami does not model (blocks, lists, feed generators, ...) are skipped without a trace.

>>> ref = RawRef("e.jsonl", "f" * 64, 1, "0" * 64, None, NAME, VERSION)
>>> ev = {"did": "did:plc:a", "time_us": 1725911162329308, "kind": "commit",
...       "commit": {"rev": "3l3qo2vutsw2b", "operation": "delete", "collection": "app.bsky.feed.like",
...                  "rkey": "3l3qo2vuowo2b"}}
>>> act = _delete(ev["commit"], "did:plc:a", 1725911162329308, ref)
>>> sniff(ev), act.kind, act.id
(True, 'unlike', 'at://did:plc:a/app.bsky.feed.like/3l3qo2vuowo2b#delete@3l3qo2vutsw2b')
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kagami.ingest.atproto import DELETE_KINDS, PLATFORM, POST, REPOST, at_uri, emit, from_record, split_uri
from kagami.ingest.base import RecordError, Sink, with_time
from kagami.ingest.common import parse_time, require_str, to_int, to_str
from kagami.model import Account, Action, RawRef

NAME = "jetstream"
VERSION = "1"
#: The SQL path the runner uses for whole files (common events in SQL, the rest through ``handle``).
BULK = "kagami.ingest.jetstream_bulk"

KINDS = ("commit", "identity", "account")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_US = 253_402_300_800_000_000  # 10000-01-01: past it no datetime can hold the time


def sniff(obj: Any) -> bool:
    """A Jetstream event: a DID, a microsecond timestamp and one of the three event kinds."""
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("did"), str)
        and type(obj.get("time_us")) is int
        and obj.get("kind") in KINDS
    )


def _delete(commit: dict[str, Any], did: str, time_us: int, ref: RawRef) -> Action:
    """The action a commit deleting a record of a modelled collection stands for."""
    collection = str(commit["collection"])
    uri = at_uri(did, collection, str(commit["rkey"]))
    split_uri(uri)  # a collection or rkey with a slash in it makes no record URI
    stamp = to_str(commit.get("rev")) or str(time_us)
    # A deleted post or repost is a post uid; a like or follow's target is the action it withdraws.
    target_kind = "post" if collection in (POST, REPOST) else "action"
    when = _EPOCH + timedelta(microseconds=time_us)
    kind = DELETE_KINDS[collection]
    return Action(PLATFORM, f"{uri}#delete@{stamp}", kind, did, uri, target_kind, when, ref, "/commit")


def _commit(obj: dict[str, Any], did: str, time_us: int, ref: RawRef, sink: Sink) -> None:
    commit = obj.get("commit")
    if not isinstance(commit, dict):
        raise RecordError("jetstream commit event without a commit object")
    collection = require_str(commit, "collection", "jetstream commit")
    rkey = require_str(commit, "rkey", "jetstream commit")
    operation = commit.get("operation")
    when = ref.retrieved_at
    if operation in ("create", "update"):
        if "record" not in commit:
            raise RecordError(f"jetstream {operation} of {collection} without a record")
        emit(sink, [from_record(at_uri(did, collection, rkey), commit["record"], ref, "/commit", when)])
    elif operation == "delete":
        if collection in DELETE_KINDS:
            sink.action(_delete(commit, did, time_us, ref))
    else:
        raise RecordError(f"jetstream commit with unknown operation {str(operation)[:40]!r}")


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Emit the records of one Jetstream event."""
    if not isinstance(obj, dict):
        raise RecordError("jetstream event is not a JSON object")
    did = require_str(obj, "did", "jetstream event")
    if not did.startswith("did:"):
        raise RecordError(f"jetstream event: 'did' is not a DID: {did[:80]!r}")
    time_us = to_int(obj.get("time_us"))
    if time_us is None or not 0 <= time_us < _MAX_US:
        raise RecordError("jetstream event: missing or invalid 'time_us'")
    ref = with_time(ref, _EPOCH + timedelta(microseconds=time_us))
    kind = obj.get("kind")
    if kind == "commit":
        _commit(obj, did, time_us, ref, sink)
    elif kind == "identity":
        ident = obj.get("identity")
        if not isinstance(ident, dict):
            raise RecordError("jetstream identity event without an identity object")
        handle_ = to_str(ident.get("handle"))
        if handle_ and handle_ != "handle.invalid":
            seen = parse_time(ident.get("time")) or ref.retrieved_at
            sink.account(Account(PLATFORM, did, ref, "/identity", handle=handle_, observed_at=seen))
    elif kind == "account":
        acct = obj.get("account")
        if not isinstance(acct, dict) or not isinstance(acct.get("active"), bool):
            raise RecordError("jetstream account event without an account object and its 'active' flag")
        status = to_str(acct.get("status")) or ("active" if acct["active"] else "inactive")
        seq = to_int(acct.get("seq"))
        key = f"{did}#account@{seq if seq is not None else time_us}"
        when = parse_time(acct.get("time")) or ref.retrieved_at
        sink.action(
            Action(PLATFORM, key, "account_status", did, did, "account", when, ref, "/account", status)
        )
    else:
        raise RecordError(f"jetstream event of unknown kind {str(kind)[:40]!r}")
