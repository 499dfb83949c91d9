"""Keyed bulk loads: insert the staged rows whose keys are new, replace stored rows with better copies.

Evidence tables carry no key constraint (an index made bulk loads several times slower), so these
statements keep their keys unique. Which copy of a record wins never depends on the order files or lines
are read: a primary copy beats a referenced one, then the most recently retrieved, then the smallest
(payload hash, path); among copies equal on all of these (one payload repeated), the first line.

The costly parts are kept narrow: payload bytes only stream through (never grouped or sorted), winners
are picked on keys and preferences with row ids and only the winning rows are copied, and a stored table
is scanned once per load to compare. A source wrapped in :class:`Unique` holds each key at most once; with
``stored=True`` it also says, per row, whether the store already holds the row's payload, so the loader
need not look it up.

>>> import pyarrow as pa
>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> payloads = {"sha256": ["ab", "cd"], "size": [2, 2], "payload": [b"{}", b"[]"], "encoding": [None, None]}
>>> raw = pa.table(payloads)
>>> for _ in range(2):
...     _ = store.load({"raw_payloads": Unique(raw)})
>>> store.count("raw_payloads")
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import duckdb
import pyarrow as pa

#: table -> (key columns, whether a better copy replaces a stored one, rows carry is_primary)
KEYS: dict[str, tuple[tuple[str, ...], bool, bool]] = {
    "raw_payloads": (("sha256",), False, False),
    "posts": (("uid",), True, True),
    "account_observations": (("uid", "raw_sha256", "raw_path"), False, False),
    "actions": (("uid",), True, False),
    "quarantine": (("file_sha256", "line", "raw_path"), False, False),
    "accounts": (("uid",), False, False),
}


@dataclass(frozen=True, slots=True)
class Unique:
    """A load source holding each key of its table at most once (the bulk paths stage one copy of each
    payload, and of each record of a payload, per chunk). ``stored``: its rows carry a boolean column
    ``stored``, true where the store already holds the payload the row was read from."""

    source: str | pa.Table
    stored: bool = False


#: What :meth:`kagami.store.Store.load` takes for a table: an Arrow table or a staged relation's name,
#: either of them possibly wrapped in :class:`Unique`.
LoadSource: TypeAlias = str | pa.Table | Unique


def pref(alias: str, primary: bool) -> str:
    """SQL for the preference tuple of a row; the smaller tuple wins.

    >>> pref("n", False)
    '(coalesce(-epoch_us(n.retrieved_at), 9223372036854775807), n.raw_sha256, n.raw_path)'
    """
    prim = f"NOT {alias}.is_primary, " if primary else ""
    return (
        f"({prim}coalesce(-epoch_us({alias}.retrieved_at), 9223372036854775807), "
        f"{alias}.raw_sha256, {alias}.raw_path)"
    )


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    con.execute(sql).fetchall()


def insert(
    con: duckdb.DuckDBPyConnection, table: str, cols: list[str], source: str, given: Unique | None
) -> None:
    """Move the rows of the relation ``source`` into ``table`` (fixed names): new keys only, one copy
    each, and better copies in place of stored ones where the table says so (:data:`KEYS`)."""
    key, replace, primary = KEYS[table]
    names = ", ".join(f'"{c}"' for c in cols)
    keys = ", ".join(key)
    match = " AND ".join(f"t.{k} = n.{k}" for k in key)  # key columns are never NULL
    unique = given is not None
    if replace:
        _replace(con, table, names, source, primary)
        return
    if table == "raw_payloads":  # same sha256, same bytes: any copy will do, and no sort of the bytes
        if given is not None and given.stored:
            new = "NOT n.stored"
        else:
            new = "NOT EXISTS (SELECT 1 FROM raw_payloads t WHERE t.sha256 = n.sha256)"
        if unique:
            pick = f"SELECT sha256, size, payload, encoding FROM {source} n WHERE {new}"  # noqa: S608
        else:  # one copy's bytes with that copy's encoding (copies may be packed differently)
            pick = (
                "SELECT sha256, v.size, v.payload, v.encoding FROM ("  # noqa: S608 - fixed names
                "SELECT sha256, any_value({'size': size, 'payload': payload, 'encoding': encoding}) AS v "
                f"FROM {source} n WHERE {new} GROUP BY sha256)"
            )
        _run(con, f"INSERT INTO raw_payloads {pick}")
        return
    if table == "account_observations":
        # A payload's records are stored in the same transaction as the payload (raw payloads load last),
        # so rows from a payload not yet stored are new: only rows from stored payloads need the key
        # check against this large table. Copies with one key come from one payload and path, so they
        # are the same record: no sort.
        stored = (
            "n.stored"
            if given is not None and given.stored
            else "EXISTS (SELECT 1 FROM raw_payloads r WHERE r.sha256 = n.raw_sha256)"
        )
        dedupe = "" if unique else f"QUALIFY row_number() OVER (PARTITION BY {keys}) = 1"
        _run(con, f"INSERT INTO {table} SELECT {names} FROM {source} n WHERE NOT {stored} {dedupe}")  # noqa: S608
        if con.execute(f"SELECT count(*) FROM {source} n WHERE {stored}").fetchall()[0][0]:  # noqa: S608
            _run(
                con,
                f"INSERT INTO {table} SELECT {names} FROM {source} n "  # noqa: S608 - fixed names
                f"WHERE {stored} AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {match}) {dedupe}",
            )
        return
    order = {"accounts": keys, "quarantine": "reason, raw"}.get(table, pref("n", primary))
    dedupe = "" if unique else f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {order}) = 1"
    _run(
        con,
        f"INSERT INTO {table} SELECT {names} FROM {source} n "  # noqa: S608 - fixed names
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match}) {dedupe}",
    )


def _replace(con: duckdb.DuckDBPyConnection, table: str, names: str, source: str, primary: bool) -> None:
    """Keyed load by uid in which a better copy replaces the stored one.

    Winners are picked on narrow columns (key, preference, row id), compared with the stored rows in one
    scan, and only the winning rows are copied: wide rows are never sorted.
    """
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [source]).fetchall()
    if not found[0][0]:  # an Arrow table or a view: row ids need a table
        _run(con, f"CREATE OR REPLACE TEMP TABLE _src AS SELECT {names} FROM {source}")  # noqa: S608
        source = "_src"
    narrow = "uid, line, raw_sha256, raw_path, retrieved_at" + (", is_primary" if primary else "")
    _run(
        con,
        "CREATE OR REPLACE TEMP TABLE _pick AS "  # noqa: S608 - fixed names
        f"WITH n AS (SELECT rowid AS rid, {narrow} FROM {source} n "
        f"QUALIFY row_number() OVER (PARTITION BY uid ORDER BY {pref('n', primary)}, line, rowid) = 1) "
        f"SELECT n.rid, t.rowid AS old FROM n LEFT JOIN {table} t ON t.uid = n.uid "
        f"WHERE t.uid IS NULL OR {pref('n', primary)} < {pref('t', primary)}",
    )
    try:
        if con.execute("SELECT count(old) FROM _pick").fetchall()[0][0]:
            _run(con, f"DELETE FROM {table} WHERE rowid IN (SELECT old FROM _pick WHERE old IS NOT NULL)")  # noqa: S608
        _run(con, f"INSERT INTO {table} SELECT {names} FROM {source} WHERE rowid IN (SELECT rid FROM _pick)")  # noqa: S608
    finally:
        _run(con, "DROP TABLE IF EXISTS _pick")
        _run(con, "DROP TABLE IF EXISTS _src")
