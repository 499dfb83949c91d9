"""Ingest files into the store: detect each file's format, read it, quarantine what cannot be read.

Idempotent by construction: records are keyed by platform-qualified ids, raw payloads by their sha256 and
quarantined lines by (file sha256, line, path); a file read to the end is marked ``complete`` and skipped
next time. A run killed half-way leaves the file ``partial``; running again re-reads it, the keys skip
what was already loaded, and the store ends exactly as after one uninterrupted run.
"""

from __future__ import annotations

import importlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

from kagami.ingest.base import FileRef, RecordError, Sink, Source, file_sha256
from kagami.ingest.detect import Detection, detect
from kagami.store import Batch, BatchCounts, Store

#: File names skipped when a directory is expanded (named explicitly, they are read like any file).
IGNORED_NAMES = ("LICENSE", "LICENCE", "COPYING", "README", "NOTICE")
QUARANTINE_FILE_BYTES = 8 << 20

Progress = Callable[[int], None]


@dataclass(slots=True)
class FileReport:
    """What one file gave."""

    path: str
    format: str
    status: str  # loaded | skipped (already complete) | quarantined (unreadable as a whole) | empty
    sha256: str = ""
    lines: int = 0
    counts: BatchCounts = field(default_factory=BatchCounts)
    reason: str = ""


@dataclass(slots=True)
class IngestReport:
    """What a whole ``ingest`` call did; ``counts`` holds the records new to the store."""

    files: list[FileReport] = field(default_factory=list)
    counts: BatchCounts = field(default_factory=BatchCounts)
    elapsed_s: float = 0.0
    run_id: str = ""

    @property
    def quarantined(self) -> int:
        return self.counts.quarantined


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files under directories named (sorted, hidden and licence files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                if f.name.upper().split(".")[0] in IGNORED_NAMES:
                    continue
                out.append(f)
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")
    return out


def _lines(path: Path, progress: Progress | None) -> Iterator[tuple[int, bytes]]:
    """Every line without its terminator, numbered from 1 as an editor shows them (blank ones too)."""
    done = 0
    with path.open("rb", buffering=1 << 20) as f:
        for n, line in enumerate(f, 1):
            done += len(line)
            if progress is not None and n % 2000 == 0:
                progress(done)
                done = 0
            yield n, line.rstrip(b"\r\n")
    if progress is not None:
        progress(done)


def _handle(reader: ModuleType, obj: Any, ref: Any, sink: Sink, line: int | None, raw: bytes) -> None:
    try:
        reader.handle(obj, ref, sink)
    except RecordError as exc:
        sink.discard_line()
        sink.quarantine(line, str(exc), raw)
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
        RecursionError,
        ArithmeticError,
    ) as exc:
        sink.discard_line()
        sink.quarantine(line, f"unreadable record ({type(exc).__name__}: {exc})", raw)
    else:
        err = sink.pending_problem()
        if err:
            sink.discard_line()
            sink.quarantine(line, f"unreadable record ({err})", raw)
    sink.commit_line()


def read_line(reader: ModuleType, sink: Sink, n: int, raw: bytes) -> None:
    """Parse and read one JSONL line; invalid JSON is quarantined with the parser's message."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        sink.quarantine(n, f"invalid JSON: {exc}", raw)
        sink.commit_line()
        return
    _handle(reader, obj, sink.raw(raw, n), sink, n, raw)


def read_jsonl(reader: ModuleType, source: Source, sink: Sink, progress: Progress | None) -> int:
    lines = 0
    for n, raw in _lines(source.path, progress):
        lines = n
        if raw.strip():
            read_line(reader, sink, n, raw)
    return lines


def read_document(reader: ModuleType, source: Source, sink: Sink, doc: Any, progress: Progress | None) -> int:
    raw = source.path.read_bytes()
    _handle(reader, doc, sink.raw(raw, None), sink, None, raw)
    if progress is not None:
        progress(source.size)
    return raw.count(b"\n") + 1


class Ingestor:
    """Reads files into one store; ``ingest`` is the one-call form."""

    def __init__(
        self,
        store: Store,
        *,
        options: dict[str, Any] | None = None,
        batch_records: int = 100_000,
        bulk: bool = True,
    ):
        self.store = store
        self.bulk = bulk
        self.options = options or {}
        self.batch_records = batch_records

    def ingest_file(
        self, path: Path, forced: str | None = None, progress: Progress | None = None, force: bool = False
    ) -> FileReport:
        """Read one file, or skip it when a run already read it to the end (same sha256).

        The file's sha256 is computed in a thread of its own while its format is detected and, for a
        reader with a bulk path that can start early, while its first chunks are prepared: the hash is
        needed before anything is written, not before the file is read."""
        ref = FileRef.of(path)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kagami-sha256") as hasher:
            digest = hasher.submit(file_sha256, ref.path)
            if not force and self.store.completed(str(ref.path), ref.size):
                # most likely a re-run: decide on the hash before detection (which may parse a document)
                known = Source(ref.path, digest.result(), ref.size)
                skipped = self._skipped(known, self.store.source_status(known.sha256), progress)
                if skipped is not None:
                    return skipped
            det = detect(ref, forced)
            with ExitStack() as early:
                started = early.enter_context(self._early(det, ref))
                source = Source(ref.path, digest.result(), ref.size)
                return self._ingest_file(source, det, progress, force, started, early.close)

    def _skipped(self, source: Source, status: str | None, progress: Progress | None) -> FileReport | None:
        """The report of a file a run already read to the end (``status``: its sources row's), or None."""
        if status != "complete":
            return None
        if progress is not None:
            progress(source.size)
        return FileReport(source.name, "", "skipped", source.sha256, reason="already ingested (same sha256)")

    def _early(self, det: Detection, ref: FileRef) -> AbstractContextManager[Any]:
        """The bulk reader's preparation of the file's first chunks, started now, or nothing."""
        bulk = self._bulk_module(det)
        start = getattr(bulk, "start", None) if bulk is not None else None
        return nullcontext() if start is None else start(self.store, ref.path)

    def _bulk_module(self, det: Detection) -> ModuleType | None:
        name = getattr(det.reader, "BULK", None) if det.mode == "jsonl" else None
        return importlib.import_module(name) if name is not None and self.bulk else None

    def _ingest_file(
        self,
        source: Source,
        det: Detection,
        progress: Progress | None,
        force: bool,
        started: Any,
        read: Callable[[], None],
    ) -> FileReport:
        """``started``: what the bulk reader began early (or None); ``read()`` ends it once the file is
        read, before the file is marked complete (its load settings, such as the checkpoint threshold,
        must not outlive the load)."""
        status = self.store.source_status(source.sha256)
        if not force and (skipped := self._skipped(source, status, progress)) is not None:
            return skipped
        fmt = det.reader.NAME if det.reader is not None else det.mode
        now = datetime.now(UTC)
        if status is None:
            self.store.mark_source(source.sha256, path=source.name, size=source.size, first_ingested_at=now)
        self.store.mark_source(source.sha256, format=fmt, status="partial", accounts_refreshed=False)
        report = FileReport(source.name, fmt, "loaded", source.sha256)
        version = getattr(det.reader, "VERSION", "")
        reader_name = getattr(det.reader, "NAME", det.mode)

        def flush(batch: Batch) -> None:
            report.counts.add(self.store.write_batch(batch))

        sink = Sink(source, reader_name, version, flush, batch_records=self.batch_records)
        report.lines = self._read(det, source, sink, progress, report, started)
        read()
        sink.close()
        self.store.mark_source(
            source.sha256,
            status="complete",
            reader_version=version,
            lines=report.lines,
            posts=sink.emitted["posts"],
            accounts=sink.emitted["accounts"],
            actions=sink.emitted["actions"],
            quarantined=sink.emitted["quarantined"],
            completed_at=datetime.now(UTC),
        )
        return report

    def _read(
        self,
        det: Detection,
        source: Source,
        sink: Sink,
        progress: Progress | None,
        report: FileReport,
        started: Any = None,
    ) -> int:
        if det.mode == "empty":
            report.status = "empty"
            return 0
        if det.mode == "unrecognised" or det.reader is None:
            report.status = "quarantined"
            report.reason = det.reason
            with source.path.open("rb") as f:
                head = f.read(QUARANTINE_FILE_BYTES)
            note = (
                "" if source.size <= QUARANTINE_FILE_BYTES else f" (first {QUARANTINE_FILE_BYTES} bytes kept)"
            )
            sink.quarantine(None, det.reason + note, head)
            if progress is not None:
                progress(source.size)
            return 0
        if det.mode == "jsonl":
            bulk = self._bulk_module(det)
            if bulk is not None:
                return self._read_bulk(det.reader, bulk, source, sink, progress, report, started)
            return read_jsonl(det.reader, source, sink, progress)
        if det.mode == "document":
            return read_document(det.reader, source, sink, det.document, progress)
        lines: int = det.reader.read(source, sink, self.options, progress)
        return lines

    def _read_bulk(
        self,
        reader: ModuleType,
        bulk: ModuleType,
        source: Source,
        sink: Sink,
        progress: Progress | None,
        report: FileReport,
        started: Any = None,
    ) -> int:
        """A reader's SQL path: it loads plain lines itself and hands the others back, one by one
        (``started``: what the reader's ``start`` began for this file, when it has one)."""
        extra = {} if started is None else {"started": started}
        lines, counts, emitted = bulk.read_bulk(
            self.store,
            source,
            (reader.NAME, reader.VERSION),
            lambda n, raw: read_line(reader, sink, n, raw),
            progress,
            **extra,
        )
        report.counts.add(counts)
        for kind, n in emitted.items():
            sink.emitted[kind] += n
        return int(lines)

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        forced: str | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        force: bool = False,
    ) -> IngestReport:
        """Ingest every file; ``progress(path, bytes_done_delta, file_size)`` is called as it goes."""
        started = time.perf_counter()
        t0 = datetime.now(UTC)
        report = IngestReport(run_id=uuid.uuid4().hex)
        for path in expand(paths):
            cb = None
            if progress is not None:
                size = path.stat().st_size
                name = str(path)
                cb = lambda n, name=name, size=size: progress(name, n, size)  # noqa: E731
            fr = self.ingest_file(path, forced, cb, force)
            report.files.append(fr)
            report.counts.add(fr.counts)
        self.store.refresh_accounts(incremental=True)
        report.elapsed_s = time.perf_counter() - started
        c = report.counts
        self.store.con.execute(
            "INSERT INTO ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                report.run_id,
                t0,
                datetime.now(UTC),
                len(report.files),
                c.posts,
                c.accounts,
                c.actions,
                c.quarantined,
                c.duplicates,
                report.elapsed_s,
            ],
        )
        return report


def ingest(store: Store, paths: Iterable[str | Path], **kwargs: Any) -> IngestReport:
    """Ingest ``paths`` into ``store`` (see :class:`Ingestor`)."""
    options = kwargs.pop("options", None)
    bulk = kwargs.pop("bulk", True)
    return Ingestor(store, options=options, bulk=bulk).ingest(paths, **kwargs)


__all__ = ["FileReport", "IngestReport", "Ingestor", "expand", "ingest"]
