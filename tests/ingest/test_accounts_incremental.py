"""An ingest rebuilds only the accounts its files name, and the table still ends as a full rebuild leaves
it: files in separate runs, a later file changing accounts an earlier one made, a run stopped before its
accounts were rebuilt, a skipped file, a store imported from Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kagami.ingest import ingest
from kagami.store import Store
from tests.ingest.test_idempotence import write_pages


def accounts(store: Store) -> list[tuple[Any, ...]]:
    return store.con.execute("SELECT * FROM accounts ORDER BY ALL").fetchall()


def rebuilt(store: Store) -> list[tuple[Any, ...]]:
    """The accounts a full rebuild gives."""
    store.refresh_accounts()
    return accounts(store)


def three_files(tmp_path: Path) -> list[Path]:
    """a and b share authors (the same 97 names); c observes a's accounts again, retrieved later."""
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    write_pages(a, 8, seed=0)
    write_pages(b, 8, seed=1)
    write_pages(c, 4, seed=0)
    c.write_bytes(c.read_bytes().replace(b"2025-07-21T", b"2025-07-23T").replace(b'":"user', b'":"renamed'))
    return [a, b, c]


def test_files_in_separate_runs_give_the_accounts_of_one_run(tmp_path: Path) -> None:
    files = three_files(tmp_path)
    one = Store(tmp_path / "one.duckdb")
    ingest(one, files)
    apart = Store(tmp_path / "apart.duckdb")
    for f in files:
        ingest(apart, [f])
    got = accounts(apart)
    assert got == accounts(one)
    assert any(r[2] is not None and str(r).find("renamed") >= 0 for r in got)  # c's later names won
    assert got == rebuilt(apart)
    assert apart.scalar("SELECT count(*) FROM sources WHERE accounts_refreshed IS NOT TRUE") == 0


def test_a_run_stopped_before_its_accounts_are_rebuilt_is_caught_up_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = three_files(tmp_path)
    store = Store(tmp_path / "k.duckdb")
    ingest(store, [a])
    refresh = Store.refresh_accounts

    def stopped(self: Store, incremental: bool = False) -> int:
        raise KeyboardInterrupt  # the run ends after its files are complete, before the rebuild

    monkeypatch.setattr(Store, "refresh_accounts", stopped)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [c])
    monkeypatch.setattr(Store, "refresh_accounts", refresh)
    assert store.scalar("SELECT count(*) FROM sources WHERE accounts_refreshed IS NOT TRUE") == 1
    assert store.scalar("SELECT count(*) FROM accounts WHERE handle LIKE 'renamed%'") == 0  # stale
    again = ingest(store, [c, b])  # c is skipped (complete); its accounts are rebuilt all the same
    assert again.files[0].status == "skipped"
    assert store.scalar("SELECT count(*) FROM accounts WHERE handle LIKE 'renamed%'") > 0
    assert accounts(store) == rebuilt(store)


def test_a_skipped_file_rebuilds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, *_ = three_files(tmp_path)
    store = Store(tmp_path / "k.duckdb")
    ingest(store, [a])
    before = accounts(store)
    seen: list[str] = []
    monkeypatch.setattr(store, "con", _Recording(store.con, seen))
    ingest(store, [a])
    assert seen and not any("INTO accounts" in q for q in seen)
    assert accounts(store) == before


class _Recording:
    """A connection that records the SQL it is given."""

    def __init__(self, con: Any, seen: list[str]) -> None:
        self._con, self._seen = con, seen

    def execute(self, sql: str, *args: Any) -> Any:
        self._seen.append(sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def test_an_imported_store_has_its_accounts_rebuilt_by_the_next_ingest(tmp_path: Path) -> None:
    a, b, c = three_files(tmp_path)
    src = Store(tmp_path / "src.duckdb")
    ingest(src, [a, c])
    src.export_parquet(tmp_path / "export")
    dst = Store(tmp_path / "dst.duckdb")
    ingest(dst, [b])
    dst.import_parquet(tmp_path / "export")
    assert dst.scalar("SELECT count(*) FROM sources WHERE accounts_refreshed IS NOT TRUE") == 2
    ingest(dst, [b])  # skipped; the imported files' accounts are rebuilt from everything stored
    assert accounts(dst) == rebuilt(dst)
