"""Which reader a file needs, decided per file from its first bytes.

JSON Lines are recognised from their first parseable lines; a file whose first line is not JSON on its
own is tried as one JSON document; CSV and TSV by extension, Parquet by its magic bytes. A file no reader
recognises is quarantined whole, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from types import ModuleType
from typing import Any

import orjson

from kagami.ingest import registry
from kagami.ingest.base import Located

SNIFF_LINES = 20
TABULAR_EXT = {".csv", ".tsv", ".parquet"}
#: Formats we know and deliberately do not read (never unpickle or evaluate untrusted input).
UNSUPPORTED_EXT = {
    ".yaml": "YAML (for example a VCR cassette of HTTP exchanges) is not a platform export",
    ".yml": "YAML (for example a VCR cassette of HTTP exchanges) is not a platform export",
    ".pkl": "Python pickle: never loaded, unpickling runs code",
    ".pickle": "Python pickle: never loaded, unpickling runs code",
    ".xlsx": "spreadsheet: export it to CSV and declare a column mapping",
}


@dataclass(slots=True)
class Detection:
    mode: str  # "jsonl" | "document" | "tabular" | "empty" | "unrecognised"
    reader: ModuleType | None = None
    reason: str = ""
    document: Any = None  # the parsed document, in "document" mode


def _sniff(obj: Any) -> ModuleType | None:
    for mod in registry.available(registry.JSON_READERS):
        try:
            if mod.sniff(obj):
                return mod
        except Exception:
            continue
    return None


def detect(source: Located, forced: str | None = None) -> Detection:
    """Decide how to read ``source``; ``forced`` names a format and skips the guess."""
    ext = source.path.suffix.lower()
    if source.size == 0:
        return Detection("empty", reason="empty file")
    with source.path.open("rb") as f:
        magic = f.read(4)
    if forced:
        mod = registry.load(forced)
        if hasattr(mod, "read"):
            return Detection("tabular", mod)
        return _json_detection(source, only=mod)
    if magic == b"PAR1" or ext in TABULAR_EXT:
        return _tabular_detection(source)
    if ext in UNSUPPORTED_EXT:
        return Detection("unrecognised", reason=f"unsupported format: {UNSUPPORTED_EXT[ext]}")
    return _json_detection(source)


def _tabular_detection(source: Located) -> Detection:
    for mod in registry.available(registry.TABULAR_READERS):
        if mod.sniff_source(source):
            return Detection("tabular", mod)
    return Detection(
        "unrecognised",
        reason="table with no known layout: declare a column mapping (kagami ingest --format tabular "
        "--mapping FILE)",
    )


def _json_detection(source: Located, only: ModuleType | None = None) -> Detection:
    def claims(obj: Any) -> ModuleType | None:
        if only is not None:
            return only if only.sniff(obj) else None
        return _sniff(obj)

    parsed_any = False
    with source.path.open("rb") as f:
        lines = [ln for ln in islice(f, SNIFF_LINES * 5) if ln.strip()][:SNIFF_LINES]
    for i, line in enumerate(lines):
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            if i == 0:
                doc = _document(source)
                if doc is not None:
                    mod = claims(doc)
                    if mod is not None:
                        return Detection("document", mod, document=doc)
                    return Detection("unrecognised", reason="JSON document that no reader recognises")
            continue
        parsed_any = True
        mod = claims(obj)
        if mod is not None:
            return Detection("jsonl", mod)
    if only is not None:
        return Detection("jsonl", only)
    if parsed_any:
        return Detection("unrecognised", reason="JSON that no reader recognises")
    return Detection("unrecognised", reason="not JSON, CSV or Parquet")


def _document(source: Located, limit: int = 2 << 30) -> Any:
    if source.size > limit:
        return None
    try:
        return orjson.loads(source.path.read_bytes())
    except orjson.JSONDecodeError:
        return None
