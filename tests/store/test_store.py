"""The embedded store: migrations, idempotent loads, order-independent preference, accounts, Parquet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kagami.model import Account, Action, Link, Post, Quarantined, RawRef
from kagami.store import Batch, Store
from kagami.store.schema import SCHEMA_VERSION, TABLES


def ref(sha: str, when: datetime | None = None, line: int = 1) -> RawRef:
    return RawRef("f.jsonl", "f" * 64, line, sha * 64, when, "test", "1")


T1 = datetime(2025, 7, 1, tzinfo=UTC)
T2 = datetime(2025, 7, 2, tzinfo=UTC)


def post(pid: str, r: RawRef, primary: bool = True, text: str = "t", likes: int = 0) -> Post:
    return Post(
        "x",
        pid,
        "9",
        T1,
        text,
        r,
        primary=primary,
        like_count=likes,
        links=[Link("https://t.co/a", "https://nhk.or.jp/a", "https://nhk.or.jp/a", "nhk.or.jp", 0, 5)],
        hashtags=["選挙"],
    )


def rows(store: Store, table: str) -> list[tuple[object, ...]]:
    return store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_new_store_is_at_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "k.duckdb"
    with Store(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert {
            r[0] for r in s.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        } >= set(TABLES)
    with Store(path) as s:  # reopening applies nothing twice
        assert s.migrate() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.duckdb"
    with Store(path) as s:
        s.con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(RuntimeError, match="newer than this Kagami"):
        Store(path)


def test_batch_loads_once(store: Store) -> None:
    b = Batch(
        posts=[post("1", ref("a"))],
        accounts=[Account("x", "9", ref("a"), handle="h")],
        actions=[Action("x", "like:1", "like", "9", "1", "post", T1, ref("a"))],
        quarantined=[Quarantined("f.jsonl", "f" * 64, 7, "invalid JSON", b"{", "test")],
        raw={"a" * 64: b"{}"},
    )
    first = store.write_batch(b)
    assert (first.posts, first.accounts, first.actions, first.quarantined, first.duplicates) == (
        1,
        1,
        1,
        1,
        0,
    )
    again = store.write_batch(b)
    assert (again.posts, again.accounts, again.actions, again.quarantined, again.duplicates) == (
        0,
        0,
        0,
        0,
        4,
    )
    assert store.count("raw_payloads") == 1
    assert rows(store, "post_links")[0][3:] == (
        "https://t.co/a",
        "https://nhk.or.jp/a",
        "https://nhk.or.jp/a",
        "nhk.or.jp",
    )
    assert rows(store, "post_hashtags")[0][3] == "選挙"


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (2, 0, 1)])
def test_which_copy_wins_does_not_depend_on_order(order: tuple[int, int, int]) -> None:
    copies = [
        post("1", ref("c", T1), primary=False, text="as referenced"),
        post("1", ref("b", T1), primary=True, text="old primary", likes=1),
        post("1", ref("a", T2), primary=True, text="latest primary", likes=5),
    ]
    s = Store(":memory:")
    for i in order:  # one batch per copy: the rule holds across batches, not only inside one
        s.write_batch(Batch(posts=[copies[i]]))
    assert s.con.execute("SELECT text, like_count, is_primary FROM posts").fetchall() == [
        ("latest primary", 5, True)
    ]
    together = Store(":memory:")
    together.write_batch(Batch(posts=[copies[i] for i in order]))
    assert rows(together, "posts") == rows(s, "posts")


def test_refresh_accounts_takes_latest_non_null_and_activity(store: Store) -> None:
    store.write_batch(
        Batch(
            accounts=[
                Account(
                    "x", "9", ref("a", T1), handle="old", display_name="名前", followers=10, observed_at=T1
                ),
                Account(
                    "x", "9", ref("b", T2), handle="new", display_name=None, followers=12, observed_at=T2
                ),
            ],
            posts=[Post("x", "5", "7", datetime(2025, 6, 1, tzinfo=UTC), "t", ref("c"))],
        )
    )
    store.refresh_accounts()
    got = dict(
        store.con.execute(
            "SELECT uid, (handle, display_name, followers, first_seen, last_seen, observations) FROM accounts"
        ).fetchall()
    )
    assert got["x:9"] == ("new", "名前", 12, T1, T2, 2)
    # an author seen only through a post still has a row, with its activity
    assert got["x:7"] == (
        None,
        None,
        None,
        datetime(2025, 6, 1, tzinfo=UTC),
        datetime(2025, 6, 1, tzinfo=UTC),
        0,
    )


def test_parquet_round_trip(tmp_path: Path, store: Store) -> None:
    store.write_batch(
        Batch(
            posts=[post("1", ref("a")), post("2", ref("b"))],
            accounts=[Account("x", "9", ref("a"), created_at=T1)],
            raw={"a" * 64: b"\x00raw\xff"},
        )
    )
    store.refresh_accounts()
    files = store.export_parquet(tmp_path / "out")
    assert sorted(f.name for f in files) == sorted(f"{t}.parquet" for t in TABLES)
    other = Store(":memory:")
    added = other.import_parquet(tmp_path / "out")
    assert added["posts"] == 2 and added["raw_payloads"] == 1
    for table in TABLES:
        assert rows(other, table) == rows(store, table), table
    assert other.import_parquet(tmp_path / "out")["posts"] == 0


def test_a_new_migration_is_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kagami.store import db, schema

    path = tmp_path / "k.duckdb"
    with Store(path) as s:
        s.write_batch(Batch(posts=[post("1", ref("a"))]))
    nxt = schema.SCHEMA_VERSION + 1
    more = [*schema.MIGRATIONS, (nxt, "ALTER TABLE posts ADD COLUMN reviewed BOOLEAN DEFAULT false;")]
    monkeypatch.setattr(db, "MIGRATIONS", more)
    monkeypatch.setattr(db, "SCHEMA_VERSION", nxt)
    with Store(path) as s:
        assert s.schema_version() == nxt
        assert s.con.execute("SELECT id, reviewed FROM posts").fetchall() == [("1", False)]
    with Store(path) as s:  # reopening applies nothing again
        assert s.migrate() == nxt
