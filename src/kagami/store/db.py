"""The embedded DuckDB store.

Loads are bulk and idempotent: a batch of records becomes Arrow tables that one ``INSERT ... SELECT``
per table moves in, keyed by platform-qualified ids, so re-ingesting the same payloads adds nothing and
an ingest killed half-way can simply be run again.

>>> store = Store(":memory:")
>>> store.schema_version()
3
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pyarrow as pa

from kagami.model import Account, Action, Post, Quarantined
from kagami.store import arrow, keyed
from kagami.store.keyed import LoadSource, Unique
from kagami.store.payloads import unpack
from kagami.store.schema import FINDINGS, MIGRATIONS, SCHEMA_VERSION, TABLES

DEFAULT_DB = "kagami.duckdb"
#: DuckDB's memory limit unless ``memory_limit`` or $KAGAMI_MEMORY_LIMIT says otherwise.
DEFAULT_MEMORY_LIMIT = "3GB"


@dataclass(slots=True)
class Batch:
    """Records read since the last flush, and the raw payloads they point to (by sha256)."""

    posts: list[Post] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.posts) + len(self.accounts) + len(self.actions) + len(self.quarantined)


@dataclass(slots=True)
class BatchCounts:
    """How many records of a batch were new, and how many were already in the store."""

    posts: int = 0
    accounts: int = 0
    actions: int = 0
    quarantined: int = 0
    duplicates: int = 0

    def add(self, other: BatchCounts) -> None:
        self.posts += other.posts
        self.accounts += other.accounts
        self.actions += other.actions
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


class Store:
    """A Kagami database: one DuckDB file (or ``:memory:``)."""

    def __init__(
        self,
        path: str | os.PathLike[str] = DEFAULT_DB,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
    ) -> None:
        self.path = str(path)
        # DuckDB would otherwise cache up to 80% of RAM; Kagami must fit beside other work on a laptop.
        limit = memory_limit or os.environ.get("KAGAMI_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": limit}
        # DuckDB's allocator returns freed memory to the system from background threads instead of the
        # threads doing the work (1M X posts: 0.4-1.5 CPU-s less; docs/benchmarks.md). It is jemalloc's, so
        # on Linux; where DuckDB has no jemalloc (macOS, Windows) the setting exists and does nothing.
        config["allocator_background_threads"] = True
        if self.path == ":memory:":  # spill to the system's temporary folder, not ./.tmp
            config["temp_directory"] = str(Path(tempfile.gettempdir()) / "kagami-duckdb")
        self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")  # the CLI draws its own progress
        if not read_only:
            self.migrate()
        self._cols: dict[str, list[str]] = {}

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"):
            return 0
        value = self.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(value) if value is not None else 0

    def migrate(self) -> int:
        """Apply the migrations this database has not seen; return the resulting version."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} has schema version {current}, newer than this Kagami ({SCHEMA_VERSION}): "
                "upgrade Kagami to open it"
            )
        for version, ddl in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                self.con.execute(ddl)
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
        return self.schema_version()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first value of a query's first row, or None; the result is always consumed."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def columns(self, table: str) -> list[str]:
        if table not in self._cols:
            self._cols[table] = _columns(self.con, table)
        return self._cols[table]

    def payload(self, sha256: str) -> bytes | None:
        """The raw payload of that sha256 as it came, byte-exact and checked against its hash (None when the
        store holds none). A store of schema version 1, opened read-only and so not migrated, has no
        ``encoding`` column: every payload there is as it came."""
        encoding = "encoding" if "encoding" in self.columns("raw_payloads") else "NULL"
        rows = self.con.execute(
            f"SELECT payload, {encoding}, size FROM raw_payloads WHERE sha256 = ? LIMIT 1",  # noqa: S608
            [sha256],
        ).fetchall()
        if not rows:
            return None
        payload, encoding, size = rows[0]
        return unpack(payload, encoding, size, sha256)

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names

    # -- loading (statements in keyed.py) ------------------------------------------------------------
    KEYS: ClassVar[dict[str, tuple[tuple[str, ...], bool, bool]]] = keyed.KEYS

    def _insert(self, table: str, source: str, given: Unique | None = None) -> int:
        """Insert the rows of the relation named ``source`` whose keys are new, and replace stored rows
        for which ``source`` holds a better copy; return how many keys were new."""
        before = self.count(table)
        keyed.insert(self.con, table, self.columns(table), source, given)
        return self.count(table) - before  # a replaced row is deleted, then inserted again

    def load(self, sources: Mapping[str, LoadSource]) -> BatchCounts:
        """Load rows into tables in one transaction; each value is an Arrow table or a staged table's name,
        or either wrapped in :class:`Unique` when it holds each key at most once.

        Staged relations must have the target table's columns (extra columns are ignored).
        """
        counts = BatchCounts()
        seen = 0
        registered = []
        # raw payloads last: the account observations' key check relies on it (see _insert)
        order = sorted(sources.items(), key=lambda kv: kv[0] == "raw_payloads")
        with self.transaction():
            for table, given in order:
                unique = given if isinstance(given, Unique) else None
                src = given.source if isinstance(given, Unique) else given
                if isinstance(src, pa.Table):
                    if src.num_rows == 0:
                        continue
                    name = f"_load_{table}"
                    self.con.register(name, src)
                    registered.append(name)
                    n_in = src.num_rows
                else:
                    name = src
                    if table == "raw_payloads":  # not counted: a view over the chunk, scanned once
                        self._insert(table, name, unique)
                        continue
                    n_in = int(self.scalar(f"SELECT count(*) FROM {name}"))  # noqa: S608 - internal names
                    if n_in == 0:
                        continue
                new = self._insert(table, name, unique)
                if table == "raw_payloads":
                    continue
                seen += n_in
                if table == "posts":
                    counts.posts = new
                elif table == "account_observations":
                    counts.accounts = new
                elif table == "actions":
                    counts.actions = new
                elif table == "quarantine":
                    counts.quarantined = new
        for name in registered:
            self.con.unregister(name)
        counts.duplicates = seen - (counts.posts + counts.accounts + counts.actions + counts.quarantined)
        return counts

    def write_batch(self, batch: Batch) -> BatchCounts:
        """Load one batch of typed records in one transaction; copies of stored records are skipped."""
        return self.load(
            {
                "raw_payloads": Unique(arrow.raw_table(batch.raw)),  # keyed by sha256 in a dict
                "posts": arrow.posts_table(batch.posts),
                "account_observations": arrow.accounts_table(batch.accounts),
                "actions": arrow.actions_table(batch.actions),
                "quarantine": arrow.quarantine_table(batch.quarantined),
            }
        )

    def refresh_accounts(self, incremental: bool = False) -> int:
        """Rebuild ``accounts`` from every observation: latest non-null value of each field.

        Order-independent (ties broken by payload hash), so the result depends only on what is stored.
        Observations are ranked per account once, so each field's latest value is an integer comparison
        (1.5M observations: 3.7 s against 5.5 s with a sortable string per row).
        Accounts seen only as authors or actors get a row with their first and last activity.

        ``incremental``: rebuild only the accounts that the records of files not yet refreshed name (an
        observation, a post's author, an action's actor; ``sources.accounts_refreshed``), each from all of
        its records, so the table ends as a full rebuild leaves it. Files whose load was interrupted
        before their accounts were rebuilt stay pending until an ingest does it. A store where no file is
        refreshed yet (a first ingest) is rebuilt whole.
        """
        pending = "SELECT file_sha256 FROM sources WHERE accounts_refreshed IS NOT TRUE"
        if incremental and not self.scalar(f"SELECT count(*) FROM ({pending})"):  # noqa: S608 - constant
            return self.count("accounts")
        whole = not incremental or not self.scalar("SELECT count(*) FROM sources WHERE accounts_refreshed")
        touched = "" if whole else "WHERE uid IN (SELECT uid FROM _acc_touched)"
        fields = [
            c
            for c in self.columns("accounts")
            if c
            not in (
                "uid",
                "platform",
                "id",
                "first_seen",
                "last_seen",
                "observations",
                "raw_sha256",
                "raw_path",
            )
        ]
        latest = ",\n".join(f'arg_max("{f}", ord) FILTER (WHERE "{f}" IS NOT NULL) AS "{f}"' for f in fields)
        sql = f"""
        WITH o AS (
            SELECT *, row_number() OVER (
                PARTITION BY uid ORDER BY coalesce(epoch_us(observed_at), 0), raw_sha256, raw_path
            ) AS ord
            FROM account_observations {touched}
        ), obs AS (
            SELECT uid, any_value(platform) AS platform, any_value(id) AS id, {latest},
                   min(observed_at) AS o_first, max(observed_at) AS o_last, count(*) AS observations,
                   arg_max(raw_sha256, ord) AS raw_sha256, arg_max(raw_path, ord) AS raw_path
            FROM o GROUP BY uid
        ), act AS (
            SELECT author_uid AS uid, platform, created_at FROM posts WHERE author_uid IS NOT NULL
            UNION ALL
            SELECT actor_uid, platform, created_at FROM actions WHERE actor_uid IS NOT NULL
        ), acts AS (
            SELECT uid, any_value(platform) AS platform, min(created_at) AS a_first, max(created_at) AS a_last
            FROM act {touched} GROUP BY uid
        )
        SELECT coalesce(obs.uid, acts.uid) AS uid,
               coalesce(obs.platform, acts.platform) AS platform,
               coalesce(obs.id, substr(acts.uid, strpos(acts.uid, ':') + 1)) AS id,
               {", ".join(f'obs."{f}"' for f in fields)},
               least(obs.o_first, acts.a_first) AS first_seen,
               greatest(obs.o_last, acts.a_last) AS last_seen,
               coalesce(obs.observations, 0) AS observations, obs.raw_sha256, obs.raw_path
        FROM obs FULL OUTER JOIN acts ON obs.uid = acts.uid
        """  # noqa: S608 - column names come from the schema
        with self.transaction():
            if whole:
                self.con.execute("DELETE FROM accounts")
            else:
                named = " UNION ".join(
                    f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL AND file_sha256 IN ({pending})"  # noqa: S608
                    for table, col in (
                        ("account_observations", "uid"),
                        ("posts", "author_uid"),
                        ("actions", "actor_uid"),
                    )
                )
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _acc_touched AS SELECT uid FROM ({named})")  # noqa: S608
                self.con.execute("DELETE FROM accounts WHERE uid IN (SELECT uid FROM _acc_touched)")
            self.con.execute(f"INSERT INTO accounts {sql}")
            self.con.execute(
                "UPDATE sources SET accounts_refreshed = true WHERE accounts_refreshed IS NOT TRUE"
            )
        self.con.execute("DROP TABLE IF EXISTS _acc_touched")
        return self.count("accounts")

    # -- sources --------------------------------------------------------------------------------------
    def source_status(self, file_sha256: str) -> str | None:
        status = self.scalar("SELECT status FROM sources WHERE file_sha256 = ?", [file_sha256])
        return None if status is None else str(status)

    def completed(self, path: str, size: int) -> bool:
        """Whether a file of this path and size was read to the end before (a hint that it is a re-run:
        only the sha256 decides, :meth:`source_status`)."""
        n = self.scalar(
            "SELECT count(*) FROM sources WHERE path = ? AND size = ? AND status = 'complete'", [path, size]
        )
        return bool(n)

    def mark_source(self, file_sha256: str, **values: Any) -> None:
        """Create or update the ``sources`` row of one file (status 'partial' or 'complete')."""
        cols = [c for c in values if c in self.columns("sources")]
        if len(cols) != len(values):
            raise ValueError(f"unknown source columns: {sorted(set(values) - set(cols))}")
        names = ", ".join(["file_sha256", *cols])
        marks = ", ".join("?" for _ in range(len(cols) + 1))
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols) or "status = status"
        self.con.execute(
            f"INSERT INTO sources ({names}) VALUES ({marks}) "  # noqa: S608 - names checked above
            f"ON CONFLICT (file_sha256) DO UPDATE SET {updates}",
            [file_sha256, *values.values()],
        )

    # -- reading ----------------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts of records by table, platform and kind, for ``kagami stats``."""
        q = self.con.execute
        return {
            "schema_version": self.schema_version(),
            "posts": q("SELECT platform, kind, count(*) FROM posts GROUP BY ALL ORDER BY ALL").fetchall(),
            "accounts": q("SELECT platform, count(*) FROM accounts GROUP BY ALL ORDER BY ALL").fetchall(),
            "actions": q("SELECT platform, kind, count(*) FROM actions GROUP BY ALL ORDER BY ALL").fetchall(),
            "quarantined": q(
                "SELECT source_file, count(*) FROM quarantine GROUP BY ALL ORDER BY ALL"
            ).fetchall(),
            "sources": q(
                "SELECT path, format, status, posts, accounts, actions, quarantined "
                "FROM sources ORDER BY path"
            ).fetchall(),
            "raw_payloads": self.count("raw_payloads"),
            "account_observations": self.count("account_observations"),
        }

    def records_from(self, file_sha256s: list[str]) -> list[tuple[str, str, str, int]]:
        """(record type, platform, kind, count) of the stored records read from these files."""
        return [
            (str(t), str(p), str(k), int(n))
            for t, p, k, n in self.con.execute(
                "SELECT 'posts', platform, kind, count(*) FROM posts WHERE list_contains($f, file_sha256) "
                "GROUP BY ALL UNION ALL "
                "SELECT 'actions', platform, kind, count(*) FROM actions "
                "WHERE list_contains($f, file_sha256) GROUP BY ALL UNION ALL "
                "SELECT 'account observations', platform, '', count(*) FROM account_observations "
                "WHERE list_contains($f, file_sha256) GROUP BY ALL ORDER BY ALL",
                {"f": file_sha256s},
            ).fetchall()
        ]

    # -- export / import -------------------------------------------------------------------------------
    def export_parquet(self, out_dir: str | os.PathLike[str], tables: tuple[str, ...] = TABLES) -> list[Path]:
        """Write each table to ``out_dir/<table>.parquet``; return the files written.

        Evidence tables (:data:`TABLES`) and derived findings (:data:`FINDINGS`) may be named; a findings
        table that this store does not hold (its detector never ran) is an error.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for table in tables:
            if table not in TABLES and table not in FINDINGS:
                raise ValueError(f"unknown table {table!r}")
            if table in FINDINGS and table not in self.findings():
                raise ValueError(f"no {table} table here: run `kagami analyze` first")
            path = out / f"{table}.parquet"
            self.con.table(table).write_parquet(str(path), compression="zstd")
            written.append(path)
        return written

    def findings(self) -> list[str]:
        """The derived findings tables this store holds, in :data:`FINDINGS` order."""
        present = {
            str(r[0])
            for r in self.con.execute(
                "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()"
            ).fetchall()
        }
        return [t for t in FINDINGS if t in present]

    def import_parquet(self, in_dir: str | os.PathLike[str]) -> dict[str, int]:
        """Load ``<table>.parquet`` files written by :meth:`export_parquet`; existing keys are kept."""
        added: dict[str, int] = {}
        for table in TABLES:
            path = Path(in_dir) / f"{table}.parquet"
            if not path.exists():
                continue
            rel = self.con.read_parquet(str(path))
            # a file exported before a column was added (e.g. raw_payloads.encoding) reads it as NULL, and
            # so does every imported file's accounts_refreshed: the next ingest rebuilds the accounts its
            # records name from everything stored here
            rel = rel.project(
                ", ".join(
                    f'"{c}"' if c in rel.columns and c != "accounts_refreshed" else f'NULL AS "{c}"'
                    for c in self.columns(table)
                )
            )
            cols = ", ".join(f'"{c}"' for c in self.columns(table))
            before = self.count(table)
            self.con.register("_import", rel)
            try:
                with self.transaction():
                    if table in self.KEYS:
                        self._insert(table, "_import")
                    else:
                        self.con.execute(
                            f"INSERT INTO {table} SELECT {cols} FROM _import ON CONFLICT DO NOTHING"  # noqa: S608
                        )
            finally:
                self.con.unregister("_import")
            added[table] = self.count(table) - before
        return added
