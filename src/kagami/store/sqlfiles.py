"""Running Kagami's SQL files: statements separated by ``;``, ``--`` comments, named ``$parameters``.

Each statement is bound only to the parameters it names, so a caller can pass all its settings at once;
a statement naming a parameter the caller did not give is an error. A file may also be cut into named
sections (``-- name: x``) that a module runs one at a time.

>>> import duckdb
>>> con = duckdb.connect()
>>> run_script(con, "CREATE TABLE t AS SELECT $n AS n; -- a comment\\nINSERT INTO t VALUES (2);", {"n": 1})
>>> count(con, "SELECT sum(n) FROM t")
3
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

_PARAM = re.compile(r"\$(\w+)")


def statements(script: str) -> list[str]:
    """The statements of a script, comment lines removed, in order."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return [s for s in code.split(";") if s.strip()]


def run_script(con: duckdb.DuckDBPyConnection, script: str, params: dict[str, Any] | None = None) -> None:
    """Run every statement of ``script``, binding only the named parameters each one uses."""
    params = params or {}
    for stmt in statements(script):
        used = set(_PARAM.findall(stmt))
        missing = used - set(params)
        if missing:
            raise KeyError(f"SQL statement needs parameters {sorted(missing)}: {stmt.strip()[:80]}")
        con.execute(stmt, {k: v for k, v in params.items() if k in used} or None).fetchall()


def sections(path: Path) -> dict[str, str]:
    """The ``-- name: x`` sections of a SQL file, by name."""
    out: dict[str, str] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name: "):
            current = line.removeprefix("-- name: ").strip()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


def stage(con: duckdb.DuckDBPyConnection, name: str, table: Any) -> None:
    """Copy an Arrow table into the temp table ``name`` (a fixed identifier), replacing it."""
    if not name.isidentifier():
        raise ValueError(f"not a table name: {name!r}")
    con.register(f"{name}_arrow", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow").fetchall()  # noqa: S608
    finally:
        con.unregister(f"{name}_arrow")


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The integer a one-value query returns (0 when it returns no row or NULL)."""
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table (or temp table) of that name exists, e.g. one a detector writes."""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(rows[0][0])


def drop(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Drop working tables (fixed identifiers only)."""
    for table in tables:
        if not table.isidentifier():
            raise ValueError(f"not a table name: {table!r}")
        con.execute(f"DROP TABLE IF EXISTS {table}").fetchall()
