"""The runner hashes a file in a thread of its own while a bulk reader prepares the file's first chunks:
the hash must still decide everything (skip, provenance), and the load's settings must end with the load."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

import kagami.ingest.base as base
import kagami.ingest.runner as runner
from kagami.ingest import ingest, twarc2_bulk
from kagami.store import Store
from tests.ingest.helpers import snapshot
from tests.ingest.test_idempotence import write_pages


@pytest.mark.parametrize("size", [0, 1, 7, 8, 9, 64, 65])
def test_file_sha256_is_the_sha256_of_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(base, "HASH_BLOCK", 8)  # 8-byte blocks: the sizes fall on and around their ends
    data = bytes((i * 37) % 256 for i in range(size))
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert base.file_sha256(path) == hashlib.sha256(data).hexdigest()
    assert base.Source.open(path).sha256 == hashlib.sha256(data).hexdigest()


def test_first_chunk_is_prepared_while_the_file_is_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 30)
    prepared = threading.Event()
    real_start = twarc2_bulk.start

    def start(store: Store, p: Path):  # type: ignore[no-untyped-def]
        cm = real_start(store, p)

        class Wrapped:
            def __enter__(self) -> twarc2_bulk.Started:
                out = cm.__enter__()
                prepared.set()  # start() yields once the first chunk is ready
                return out

            def __exit__(self, *exc: object) -> bool | None:
                return cm.__exit__(*exc)  # type: ignore[arg-type]

        return Wrapped()

    real_hash = base.file_sha256

    def slow_hash(p: Path) -> str:
        # Finishes only once the first chunk is prepared: a runner that waited for the hash before
        # starting the reader would time out here.
        assert prepared.wait(timeout=30), "the reader did not start before the hash was needed"
        return real_hash(p)

    monkeypatch.setattr(twarc2_bulk, "start", start)
    monkeypatch.setattr(runner, "file_sha256", slow_hash)
    store = Store(tmp_path / "k.duckdb")
    report = ingest(store, [path])
    assert prepared.is_set()
    assert report.files[0].status == "loaded" and report.counts.posts > 0
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.files[0].sha256 == sha
    assert store.scalar("SELECT count(DISTINCT file_sha256) FROM posts") == 1
    assert store.scalar("SELECT any_value(file_sha256) FROM posts") == sha


def test_skipped_file_started_early_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 30)
    store = Store(tmp_path / "k.duckdb")
    ingest(store, [path])
    before = snapshot(store)
    again = ingest(store, [path])
    assert again.files[0].status == "skipped"
    assert snapshot(store) == before
    attached = store.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    assert not [n for (n,) in attached if n.startswith(twarc2_bulk.SCRATCH)]


def test_load_settings_end_before_the_file_is_marked_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 10)
    store = Store(tmp_path / "k.duckdb")
    default = store.scalar("SELECT current_setting('checkpoint_threshold')")
    seen: dict[str, object] = {}
    real_mark = Store.mark_source

    def mark(self: Store, sha: str, **values: object) -> None:
        seen[str(values.get("status"))] = self.scalar("SELECT current_setting('checkpoint_threshold')")
        real_mark(self, sha, **values)

    monkeypatch.setattr(Store, "mark_source", mark)
    ingest(store, [path])
    assert seen["partial"] != default  # the load's own threshold while it runs
    assert seen["complete"] == default


def test_a_rerun_is_skipped_before_detection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 5)
    store = Store(tmp_path / "k.duckdb")
    ingest(store, [path])

    def no_detect(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file read to the end before is skipped on its hash, not detected again")

    monkeypatch.setattr(runner, "detect", no_detect)
    assert ingest(store, [path]).files[0].status == "skipped"


def test_same_path_and_size_with_other_bytes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 5)
    store = Store(tmp_path / "k.duckdb")
    ingest(store, [path])
    before = store.scalar("SELECT count(*) FROM posts")
    data = path.read_bytes()
    edited = data.replace(b"2025-07-21T00:00:00", b"2025-07-21T00:00:01", 1)  # same size, other bytes
    assert edited != data
    path.write_bytes(edited)
    assert path.stat().st_size == len(data)
    report = ingest(store, [path])
    assert report.files[0].status == "loaded"
    assert store.scalar("SELECT count(*) FROM sources") == 2
    assert store.scalar("SELECT count(*) FROM posts") == before  # same ids: the edited post is a duplicate


def test_a_failure_while_preparing_early_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first chunk now fails before the file is marked partial: nothing of it is stored, the store
    stays usable, and the next run ends with the store of one clean run."""
    path = tmp_path / "x.jsonl"
    write_pages(path, 30)
    clean = Store(tmp_path / "clean.duckdb")
    ingest(clean, [path])
    store = Store(tmp_path / "k.duckdb")
    real = twarc2_bulk.typed_lines

    def broken(*args: object, **kwargs: object) -> object:
        raise OSError("disk went away")

    monkeypatch.setattr(twarc2_bulk, "typed_lines", broken)
    with pytest.raises(OSError, match="disk went away"):
        ingest(store, [path])
    assert store.scalar("SELECT count(*) FROM posts") == 0
    monkeypatch.setattr(twarc2_bulk, "typed_lines", real)
    ingest(store, [path])
    assert snapshot(store) == snapshot(clean)
