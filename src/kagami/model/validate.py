"""Check that a record's fields hold the types they declare, before they reach Arrow and the store.

Readers map hostile input; a field that receives an object where a string belongs must be caught here,
for that one line, rather than fail a whole batch later.

>>> from kagami.model import Mention
>>> problem(Mention(handle="a", id=None))
>>> problem(Mention(handle={"x": 1}))  # type: ignore[arg-type]
'Mention.handle: expected str, got dict'
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any

from kagami.model import records

Check = typing.Callable[[Any], str | None]


def _scalar(t: type) -> Check:
    def check(v: Any) -> str | None:
        if t is int and isinstance(v, bool):
            return "expected int, got bool"
        if not isinstance(v, t):
            return f"expected {t.__name__}, got {type(v).__name__}"
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return "text is not valid Unicode (lone surrogate)"
        return None

    return check


def _checker(hint: Any) -> Check | None:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        opt = _checker(args[0]) if len(args) == 1 else None
        if opt is None:
            return None
        return lambda v: None if v is None else opt(v)
    if origin is list:
        (arg,) = typing.get_args(hint)
        inner = _checker(arg)

        def check_list(v: Any) -> str | None:
            if not isinstance(v, list):
                return f"expected list, got {type(v).__name__}"
            for x in v:
                if inner is not None and (err := inner(x)):
                    return err
            return None

        return check_list
    if hint in (str, int, bool, datetime):
        return _scalar(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint is not records.RawRef:
        cls: type = hint

        def check_record(v: Any) -> str | None:
            return (
                f"expected {cls.__name__}, got {type(v).__name__}" if not isinstance(v, cls) else problem(v)
            )

        return check_record
    return None


@cache
def _checks(cls: type) -> list[tuple[str, Check]]:
    hints = typing.get_type_hints(cls, vars(records))
    out = []
    for f in dataclasses.fields(cls):
        check = _checker(hints[f.name])
        if check is not None:
            out.append((f.name, check))
    return out


def problem(record: Any) -> str | None:
    """The first field whose value does not match its declared type, described; None when all match."""
    cls: Any = type(record)
    for name, check in _checks(cls):
        err = check(getattr(record, name))
        if err:
            return f"{type(record).__name__}.{name}: {err}"
    return None
