"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from kagami.store.db import DEFAULT_DB, Store

db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="DuckDB database file (データベース).",
)


def console(stderr: bool = False) -> Console:
    """A console that never wraps messages; when output is not a terminal, wide enough for full paths."""
    probe = Console(stderr=stderr)
    width = None if probe.is_terminal else 160
    return Console(stderr=stderr, soft_wrap=True, width=width)


def existing_store(db_path: str) -> Store:
    """The database at ``db_path``, opened read-only; a clear error when there is none."""
    if not Path(db_path).exists():
        raise click.ClickException(
            f"{db_path}: no such database; create it with `kagami ingest PATH --db {db_path}`"
        )
    return Store(db_path, read_only=True)
