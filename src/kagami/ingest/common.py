"""Small parsing helpers the readers share: times, integers and JSON pointers.

>>> parse_time("2021-04-08T15:07:30.000Z").isoformat()
'2021-04-08T15:07:30+00:00'
>>> parse_time("2023-08-26T12:56:31.044240").tzinfo is not None
True
>>> parse_time("Wed Oct 10 20:19:24 +0000 2018").year
2018
>>> parse_time("not a date") is None
True
>>> parse_time("1700000003").isoformat(), parse_time("²")
('2023-11-14T22:13:23+00:00', None)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from kagami.ingest.base import RecordError


def parse_time(value: Any) -> datetime | None:
    """Parse the timestamps platforms write into an aware UTC datetime; None when unparseable.

    Accepts ISO 8601 with ``Z``, an offset or none (taken as UTC), ``YYYY-MM-DD HH:MM[:SS]``, Twitter v1's
    ``Wed Oct 10 20:19:24 +0000 2018`` and Unix seconds.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        # Unix seconds before Twitter v1's form: strptime (and its locale lookups) cost a CSV of Unix times
        # 17 µs a row. isdecimal, not isdigit: "²" is a digit that int() refuses.
        if s.isdecimal() and len(s) <= 12:
            return parse_time(int(s))
        try:
            dt = datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def require_time(value: Any, what: str) -> datetime:
    dt = parse_time(value)
    if dt is None:
        raise RecordError(f"{what}: unreadable time {str(value)[:60]!r}")
    return dt


_INT64 = (-(2**63), 2**63 - 1)


def to_int(value: Any) -> int | None:
    """An integer from an int or a numeric string, within 64 bits (the store's BIGINT; DuckDB's JSON
    reader makes larger ones NULL too); None otherwise.

    >>> to_int("42"), to_int(2**63 - 1), to_int(2**63), to_int("-" + "9" * 30), to_int(True)
    (42, 9223372036854775807, None, None, None)
    """
    if isinstance(value, bool):
        return None
    out: int | None = None
    if isinstance(value, int):
        out = value
    elif (isinstance(value, str) and value.strip().lstrip("-").isdigit()) or (
        isinstance(value, float) and value.is_integer()
    ):
        out = int(value)
    return out if out is not None and _INT64[0] <= out <= _INT64[1] else None


def to_str(value: Any) -> str | None:
    """A string id from a string or integer; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def require_str(obj: dict[str, Any], key: str, what: str) -> str:
    v = to_str(obj.get(key))
    if not v:
        raise RecordError(f"{what}: missing {key!r}")
    return v


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a record inside its payload: ``pointer("data", 3) == "/data/3"``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def as_text(value: Any) -> str | None:
    """A string field from hostile JSON: strings as they are, other values as their compact JSON text.

    Nothing is dropped and nothing is interpreted; this is also how DuckDB casts JSON to VARCHAR, so the
    SQL and Python readers agree. ``as_text(12) == "12"``, ``as_text({"a": 1}) == '{"a":1}'``.
    """
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def as_bool(value: Any) -> bool | None:
    """A boolean field: JSON true/false, otherwise unknown (None)."""
    return value if isinstance(value, bool) else None
