"""What every reader works with: the source file, the sink that batches records, and record errors.

A JSON reader is a module with ``NAME``, ``VERSION``, ``sniff(obj) -> bool`` and
``handle(obj, ref, sink) -> None``; the runner feeds it one parsed line (JSONL) or one whole document,
with the :class:`~kagami.model.RawRef` of those raw bytes. A tabular reader has ``read(source, sink,
options)`` instead and walks its own rows. Readers never write to the store: they call the sink.

Everything a reader emits for one line is held until the line is finished: if the reader raises, the
runner quarantines the whole line and nothing of it is loaded, so a store never holds half a payload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from kagami.model import Account, Action, Post, Quarantined, RawRef
from kagami.model.validate import problem
from kagami.store import Batch


class RecordError(ValueError):
    """A record that cannot be read; its message becomes the quarantine reason."""


#: Bytes read at a time when a file is hashed, into one reused buffer.
HASH_BLOCK = 8 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes. Reading and hashing release the GIL, so another thread can work
    while it runs (the runner prepares a large file's first chunks meanwhile)."""
    h = hashlib.sha256()
    buf = bytearray(HASH_BLOCK)
    view = memoryview(buf)
    with path.open("rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


@dataclass(slots=True, frozen=True)
class FileRef:
    """An input file before its hash is known: enough to decide how to read it."""

    path: Path
    size: int

    @classmethod
    def of(cls, path: str | Path) -> FileRef:
        p = Path(path).resolve()
        return cls(p, p.stat().st_size)


@dataclass(slots=True, frozen=True)
class Source:
    """One input file: the path as stored, its size and the sha256 of its bytes."""

    path: Path
    sha256: str
    size: int

    @classmethod
    def open(cls, path: str | Path) -> Source:
        ref = FileRef.of(path)
        return cls(ref.path, file_sha256(ref.path), ref.size)

    @property
    def name(self) -> str:
        return str(self.path)


#: What format detection needs of a file: its path and size (a :class:`Source` has them too).
Located = FileRef | Source


class Sink:
    """Collects a reader's records and flushes them to the store in bulk batches."""

    def __init__(
        self,
        source: Source,
        reader: str,
        version: str,
        flush: Callable[[Batch], None],
        *,
        batch_records: int = 100_000,
        batch_bytes: int = 128 << 20,
    ) -> None:
        self.source = source
        self.reader = reader
        self.version = version
        self._flush = flush
        self.batch_records = batch_records
        self.batch_bytes = batch_bytes
        self.batch = Batch()
        self._raw_bytes = 0
        self._pending: Batch = Batch()
        self.emitted = {"posts": 0, "accounts": 0, "actions": 0, "quarantined": 0}

    # -- raw payloads ---------------------------------------------------------------------------------
    def raw(self, data: bytes, line: int | None) -> RawRef:
        """Keep the raw bytes of one payload and return the reference records will carry."""
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self._pending.raw:
            self._pending.raw[sha] = data
        return RawRef(self.source.name, self.source.sha256, line, sha, None, self.reader, self.version)

    # -- records --------------------------------------------------------------------------------------
    def post(self, post: Post) -> None:
        self._pending.posts.append(post)

    def account(self, account: Account) -> None:
        self._pending.accounts.append(account)

    def action(self, action: Action) -> None:
        self._pending.actions.append(action)

    def quarantine(self, line: int | None, reason: str, raw: bytes, raw_path: str = "") -> None:
        """Set aside one unreadable line or record, with the reason and its raw bytes."""
        self._pending.quarantined.append(
            Quarantined(self.source.name, self.source.sha256, line, reason, raw, self.reader, raw_path)
        )

    # -- line boundaries --------------------------------------------------------------------------------
    def commit_line(self) -> None:
        """Accept everything emitted since the last boundary."""
        p, b = self._pending, self.batch
        b.posts.extend(p.posts)
        b.accounts.extend(p.accounts)
        b.actions.extend(p.actions)
        b.quarantined.extend(p.quarantined)
        for sha, data in p.raw.items():
            if sha not in b.raw:
                b.raw[sha] = data
                self._raw_bytes += len(data)
        self.emitted["posts"] += len(p.posts)
        self.emitted["accounts"] += len(p.accounts)
        self.emitted["actions"] += len(p.actions)
        self.emitted["quarantined"] += len(p.quarantined)
        self._pending = Batch()
        if len(b) >= self.batch_records or self._raw_bytes >= self.batch_bytes:
            self.flush()

    def pending_problem(self) -> str | None:
        """The first record emitted since the last boundary whose fields do not hold their types."""
        p = self._pending
        for rec in (*p.posts, *p.accounts, *p.actions):
            err = problem(rec)
            if err:
                return err
        return None

    def discard_line(self) -> None:
        """Drop everything emitted since the last boundary (the line is being quarantined)."""
        self._pending = Batch()

    def flush(self) -> None:
        if len(self.batch) or self.batch.raw:
            self._flush(self.batch)
        self.batch = Batch()
        self._raw_bytes = 0

    def close(self) -> None:
        self.commit_line()
        self.flush()


def with_time(ref: RawRef, retrieved_at: datetime | None) -> RawRef:
    """The same raw reference with its retrieval time set (when the payload says when it was fetched)."""
    return ref if retrieved_at is None else replace(ref, retrieved_at=retrieved_at)
