"""CSV and TSV records with their exact bytes and first line, and the cell helpers table readers share.

Python's csv module forgets where a record starts and which bytes it came from, so records are found
here by scanning the bytes the way csv does (a quote opens a quoted field only at the start of a field,
``""`` inside one is a literal quote); each record is then decoded as UTF-8 and split by csv on its own.
A row's raw payload is the header record's bytes followed by the row's bytes, both exactly as in the
file (BOM and line endings included), so every payload is a self-describing two-record CSV.

>>> [(r.line, r.data) for r in records([b'a,b\\r\\n', b'1,"x\\n', b'y"\\n', b'2,z'])]
[(1, b'a,b\\r\\n'), (2, b'1,"x\\ny"\\n'), (4, b'2,z')]
>>> split(b'1,"x\\r\\ny",\\xe9\\xa1\\x94\\r\\n', 2)
['1', 'x\\r\\ny', '顔']
>>> clean_id("1084.0"), clean_id(" 9f86d081 "), clean_id("")
('1084', '9f86d081', None)
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from kagami.ingest.base import RecordError, Sink, Source
from kagami.model import RawRef

#: A quoted field may run over many lines, but no further than this before its line is set aside.
MAX_RECORD_BYTES = 64 << 20
QUARANTINE_FILE_BYTES = 8 << 20
PROGRESS_BYTES = 1 << 20
BOM = b"\xef\xbb\xbf"
MAX_COUNT = 10**18  # metrics beyond this are not counts (and would not fit the store's BIGINT)

RowHandler = Callable[[list[str], RawRef], None]


class TableError(ValueError):
    """A table whose layout does not fit what its reader was told (raised: nothing can be read)."""


@dataclass(slots=True, frozen=True)
class Record:
    """One record's bytes as in the file and its first physical line; ``error`` if it is not a record."""

    line: int
    data: bytes
    error: str | None = None


def _in_quotes_after(line: bytes, in_quotes: bool, delim: bytes, quote: bytes) -> bool:
    """Whether a quoted field is still open at the end of ``line``."""
    if not in_quotes and quote not in line:
        return False
    opener = delim + quote
    at_start, i = not in_quotes, 0
    while True:
        if in_quotes:
            j = line.find(quote, i)
            if j < 0:
                return True
            if line.startswith(quote, j + 1):
                i = j + 2
                continue
            in_quotes, at_start, i = False, False, j + 1
        elif at_start and line.startswith(quote, i):
            in_quotes, i = True, i + 1
        else:
            j = line.find(opener, i)
            if j < 0:
                return False
            in_quotes, i = True, j + 2


def records(
    lines: Iterable[bytes],
    delimiter: str = ",",
    quotechar: str | None = '"',
    max_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Record]:
    """Group physical lines (with their terminators) into records.

    A quote never closed (before the end of the file or within ``max_bytes``) costs only its own line:
    that line comes out with ``error`` set and reading resumes at the line after it.
    """
    delim, quote = delimiter.encode(), (quotechar or "").encode()
    numbered = enumerate(lines, 1)
    back: deque[tuple[int, bytes]] = deque()
    while True:
        first = back.popleft() if back else next(numbered, None)
        if first is None:
            return
        buf, size = [first], len(first[1])
        open_ = bool(quote) and _in_quotes_after(first[1], False, delim, quote)
        while open_ and size <= max_bytes:
            item = back.popleft() if back else next(numbered, None)
            if item is None:
                break
            buf.append(item)
            size += len(item[1])
            open_ = _in_quotes_after(item[1], True, delim, quote)
        if not open_:
            yield Record(first[0], b"".join(b for _, b in buf))
            continue
        where = "before the end of the file" if size <= max_bytes else f"within {max_bytes} bytes"
        yield Record(first[0], first[1], f"quoted field never closed {where}; line set aside alone")
        back.extendleft(reversed(buf[1:]))


def split(data: bytes, line: int, delimiter: str = ",", quotechar: str | None = '"') -> list[str]:
    """Decode one record (UTF-8, BOM allowed) and split it into fields; raises RecordError."""
    if b"\x00" in data:
        at = line + data[: data.index(b"\x00")].count(b"\n")
        raise RecordError(f"NUL byte in record (line {at}): not text")
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        at = line + data[: exc.start].count(b"\n")
        raise RecordError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at line {at}): {exc.reason}; file must be UTF-8"
        ) from None
    if csv.field_size_limit() < MAX_RECORD_BYTES:
        csv.field_size_limit(MAX_RECORD_BYTES)
    quoting: Literal[0, 3] = csv.QUOTE_MINIMAL if quotechar else csv.QUOTE_NONE
    body = text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    try:
        rows = list(csv.reader([body], delimiter=delimiter, quotechar=quotechar, quoting=quoting))
    except csv.Error as exc:
        raise RecordError(f"malformed CSV record: {exc}") from None
    if len(rows) != 1:
        raise RecordError(f"record splits into {len(rows)} rows (a stray carriage return?)")
    return rows[0]


def quarantine_file(source: Source, sink: Sink, reason: str) -> None:
    """Set a whole unreadable file aside (its first bytes kept), as the runner does for unknown files."""
    with source.path.open("rb") as f:
        head = f.read(QUARANTINE_FILE_BYTES)
    note = "" if source.size <= QUARANTINE_FILE_BYTES else f" (first {QUARANTINE_FILE_BYTES} bytes kept)"
    sink.quarantine(None, reason + note, head)
    sink.commit_line()


def emit(sink: Sink, line: int, raw: bytes, handle: Callable[[RawRef], None]) -> None:
    """Run ``handle`` on one row's raw reference; a row it cannot read is quarantined alone."""
    try:
        handle(sink.raw(raw, line))
    except RecordError as exc:
        sink.discard_line()
        sink.quarantine(line, str(exc), raw)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        sink.discard_line()
        sink.quarantine(line, f"unreadable row ({type(exc).__name__}: {exc})", raw)
    sink.commit_line()


class _Lines:
    """A file's physical lines, counted, with progress reported about every megabyte."""

    def __init__(self, source: Source, progress: Callable[[int], None] | None) -> None:
        self.source, self.progress, self.count, self.pending = source, progress, 0, 0

    def __iter__(self) -> Iterator[bytes]:
        with self.source.path.open("rb", buffering=1 << 20) as f:
            for line in f:
                self.count += 1
                self.pending += len(line)
                if self.pending >= PROGRESS_BYTES:
                    self.report()
                yield line

    def report(self) -> None:
        if self.progress is not None and self.pending:
            self.progress(self.pending)
        self.pending = 0


def read_csv(
    source: Source,
    sink: Sink,
    progress: Callable[[int], None] | None,
    prepare: Callable[[list[str]], RowHandler],
    delimiter: str = ",",
    quotechar: str | None = '"',
) -> int:
    """Read a headed CSV: ``prepare(header)`` returns the row handler; return the lines read.

    An unreadable header sets the whole file aside; ``prepare`` may raise TableError to refuse it.
    """
    lines = _Lines(source, progress)
    recs = records(lines, delimiter, quotechar)
    header = next((r for r in recs if r.data.strip()), None)
    try:
        if header is not None and header.error:
            raise RecordError(header.error)
        names = None if header is None else split(header.data, header.line, delimiter, quotechar)
    except RecordError as exc:
        quarantine_file(source, sink, f"unreadable header (line {header.line if header else 1}): {exc}")
        names = None
    if header is not None and names is not None:
        handle = prepare(names)
        for rec in recs:
            if rec.data.strip():
                _one(sink, header.data, rec, len(names), handle, delimiter, quotechar)
    lines.report()
    return lines.count


def _one(
    sink: Sink,
    head: bytes,
    rec: Record,
    width: int,
    handle: RowHandler,
    delimiter: str,
    quotechar: str | None,
) -> None:
    raw = head + rec.data
    if rec.error:
        sink.quarantine(rec.line, rec.error, raw)
        sink.commit_line()
        return

    def run(ref: RawRef) -> None:
        values = split(rec.data, rec.line, delimiter, quotechar)
        if len(values) != width:
            raise RecordError(f"expected {width} fields as in the header, found {len(values)}")
        handle(values, ref)

    emit(sink, rec.line, raw, run)


_FLOAT_ID = re.compile(r"\d+\.0+")
_SCI_ID = re.compile(r"[\d.]+[eE][+-]?\d+")


def clean_id(value: Any, what: str = "id") -> str | None:
    """An id from a cell: digits, a hash or an integer; ``123.0`` (a spreadsheet's float) loses its ``.0``.

    An id in scientific notation (``1.08e+18``) has lost its digits and cannot be recovered: RecordError.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 2**53:
            raise RecordError(f"{what}: id stored as an inexact float {value!r}")
        return str(int(value))
    s = str(value).strip()
    if not s or s.isdigit():
        return s or None
    if _FLOAT_ID.fullmatch(s):
        return s.split(".")[0]
    if _SCI_ID.fullmatch(s):
        raise RecordError(f"{what}: id in scientific notation {s!r} has lost its digits")
    return s


def to_count(value: Any) -> int | None:
    """A count from a cell (``"12"``, ``"12.0"``, 12); None when empty, negative or past 10**18."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else -1
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    s = str(value).strip()
    if _FLOAT_ID.fullmatch(s):
        s = s.split(".")[0]
    return int(s) if s.isdecimal() and len(s) <= 18 else None
