"""The detectors' SQL files (``detect/sql/*.sql``), run through :mod:`kagami.store.sqlfiles`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from kagami.store import sqlfiles
from kagami.store.sqlfiles import count, drop

SQL_DIR = Path(__file__).parent / "sql"

__all__ = ["SQL_DIR", "count", "drop", "run_sql", "sections"]


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> None:
    """Run every statement of ``detect/sql/<name>``, binding only the parameters each one names."""
    sqlfiles.run_script(con, (SQL_DIR / name).read_text(encoding="utf-8"), params)


def sections(name: str) -> dict[str, str]:
    """The ``-- name: x`` sections of ``detect/sql/<name>``."""
    return sqlfiles.sections(SQL_DIR / name)
