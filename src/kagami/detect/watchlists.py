"""Importable watchlists: documented information-operation domains, state-affiliated media, state handles.

Two domain formats are read. The information-operation format (``operation, domain, matchType, source,
reportUrl, identifiedDate, riskLevel``; e.g. ../shared/data/watchlists/io_domains.csv, flattened from
M82-project's DIMA plugin) and a generic one (``domain, label, source``; the shipped
``detect/data/state_media.csv``). Lines starting with ``#`` are comments. Every row becomes one row of an
Arrow table; rows that must never match are kept with ``usable = false`` and a ``note``: placeholder
rows of the upstream template, invalid patterns, and rows naming a general-purpose platform
(``detect/data/platforms.csv``: listing ``m.youtube.com`` would flag everyone who links a video).

Match kinds: ``domain`` (the host is the domain or a subdomain of it; the list's ``exact``, since a site's
subdomains are the site), ``contains`` (the host contains the string) and ``pattern`` (a regular
expression on the host; the flattened file doubles its backslashes, which are undone here).

>>> t = load_watchlist(DATA / "state_media.csv")
>>> "cgtn.com" in t.column("domain").to_pylist(), set(t.column("match").to_pylist())
(True, {'domain'})
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pyarrow as pa

DATA = Path(__file__).parent / "data"

#: Risk levels of the information-operation format and the weight each gives a match.
RISK_WEIGHT = {"critical": 1.0, "high": 0.9, "medium": 0.6, "low": 0.3}
#: The upstream template's example operation (its rows hold placeholders, not findings).
PLACEHOLDER_OPERATIONS = frozenset({"templateops"})
MATCH_KINDS = {"exact": "domain", "suffix": "domain", "domain": "domain", "contains": "contains"}

SCHEMA = pa.schema(
    [
        ("domain", pa.string()),
        ("match", pa.string()),
        ("label", pa.string()),
        ("operation", pa.string()),
        ("source", pa.string()),
        ("report_url", pa.string()),
        ("identified", pa.date32()),
        ("risk", pa.string()),
        ("risk_weight", pa.float64()),
        ("usable", pa.bool_()),
        ("note", pa.string()),
    ]
)


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a CSV file as dicts, skipping ``#`` comment lines."""
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


@cache
def platforms() -> frozenset[str]:
    """Registered domains of general-purpose platforms, never matched as watchlist domains."""
    return frozenset(r["domain"].strip().lower() for r in read_rows(DATA / "platforms.csv"))


def _on_platform(domain: str) -> bool:
    host = domain.lower().removeprefix("www.")
    return any(host == p or host.endswith("." + p) for p in platforms())


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _row(raw: dict[str, str], io_format: bool) -> dict[str, object]:
    """One watchlist row in the common schema, with whether it may be matched and why not."""
    domain = (raw.get("domain") or "").strip().lower()
    kind = (raw.get("matchType") or "domain").strip().lower() if io_format else "domain"
    match = "pattern" if kind == "pattern" else MATCH_KINDS.get(kind, "")
    risk = (raw.get("riskLevel") or "").strip().lower()
    operation = (raw.get("operation") or "").strip()
    note = ""
    if match == "pattern":
        domain = domain.replace("\\\\", "\\")
        try:
            re.compile(domain)
        except re.error:
            note = "invalid pattern"
    if not domain:
        note = "empty domain"
    elif not match:
        note = f"unknown matchType {kind!r}"
    elif operation.lower() in PLACEHOLDER_OPERATIONS:
        note = "template placeholder"
    elif _on_platform(domain) if match != "pattern" else any(re.search(domain, p) for p in platforms()):
        note = "general-purpose platform"
    return {
        "domain": domain,
        "match": match or kind,
        "label": (raw.get("label") or operation).strip(),
        "operation": operation,
        "source": (raw.get("source") or "").strip(),
        "report_url": (raw.get("reportUrl") or "").strip() or None,
        "identified": _date(raw.get("identifiedDate") or ""),
        "risk": risk or None,
        "risk_weight": RISK_WEIGHT.get(risk, 1.0 if not io_format else 0.5),
        "usable": not note,
        "note": note or None,
    }


def load_watchlist(path: str | Path) -> pa.Table:
    """A domain watchlist (information-operation or generic ``domain,label,source`` format) as a table.

    >>> load_watchlist(DATA / "state_media.csv").schema.names[:3]
    ['domain', 'match', 'label']
    """
    path = Path(path)
    rows = list(read_rows(path))
    if rows and "domain" not in rows[0]:
        raise ValueError(f"{path}: no 'domain' column; expected io_domains or domain,label,source")
    io_format = bool(rows) and "matchType" in rows[0]
    return pa.Table.from_pylist([_row(r, io_format) for r in rows], schema=SCHEMA)


def load_handles(path: str | Path) -> pa.Table:
    """A list of accounts by handle (``@handle`` or ``handle`` column; ``User``/``label`` describes it).

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "h.csv"
    >>> _ = p.write_text("@handle,User\\n@Example,An embassy\\n", encoding="utf-8")
    >>> load_handles(p).to_pylist()[0]["handle"]
    'example'
    """
    path = Path(path)
    out = []
    for r in read_rows(path):
        handle = (r.get("@handle") or r.get("handle") or "").strip().lstrip("@").lower()
        if handle:
            out.append({"handle": handle, "label": (r.get("User") or r.get("label") or "").strip(),
                        "source": (r.get("source") or path.name).strip()})  # fmt: skip
    schema = pa.schema([("handle", pa.string()), ("label", pa.string()), ("source", pa.string())])
    return pa.Table.from_pylist(out, schema=schema)


def state_media() -> pa.Table:
    """The shipped list of state-affiliated media with a Japanese service (``data/state_media.csv``)."""
    return load_watchlist(DATA / "state_media.csv")
