"""The twarc2 SQL path's two parses: ``read_json`` over the typed lines, which stops at a key the mapping
reads written twice, and the checked ``from_json`` parse it falls back to. Both must stage the same pages,
and the store must be the Python reader's either way."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import orjson
import pytest

from kagami.ingest import ingest, twarc2_bulk
from kagami.ingest.base import Source
from kagami.ingest.bulk_lines import line_table
from kagami.store import Store
from kagami.store.sqlfiles import sections
from tests.ingest.helpers import snapshot
from tests.ingest.test_twarc2_parity import TEXTUAL, good, hostile_lines

#: TEXTUAL's edits that write a key the mapping reads twice, in an object it reads.
READ_TWICE = range(20, 35)

#: Keys written twice where neither reader reads them: the SQL path maps these pages.
UNREAD_TWICE: list[Callable[[bytes], bytes]] = [
    lambda ok: ok.replace(b'"meta":{', b'"meta":{"a":1,"a":2,'),
    lambda ok: ok.replace(b'"source":', b'"possibly_sensitive":false,"possibly_sensitive":true,"source":'),
    lambda ok: ok.replace(b'"followers_count":', b'"listed_count":1,"listed_count":2,"followers_count":'),
    lambda ok: ok[:-1] + b',"x":{"id":"1","id":"2","text":"a","text":"b"}}',
    lambda ok: ok.replace(b'"includes":{', b'"includes":{"polls":[{"id":"1","id":"2"}],'),
    lambda ok: ok.replace(b'"type":"photo"', b'"type":"photo","width":1,"width":2'),
]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """What :func:`twarc2_bulk.parse` returned for each chunk: True where read_json parsed it."""
    seen: list[bool] = []
    real = twarc2_bulk.parse

    def spy(*args: object, **kwargs: object) -> bool:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(out)
        return out

    monkeypatch.setattr(twarc2_bulk, "parse", spy)
    yield seen


def _read(store: Store, path: Path) -> list[int]:
    handed: list[int] = []
    twarc2_bulk.read_bulk(store, Source.open(path), ("twarc2", "1"), lambda n, raw: handed.append(n))
    return handed


def test_page_type_is_from_jsons() -> None:
    """read_json's column type is the one from_json gives the structure."""
    con = duckdb.connect()
    page = twarc2_bulk.PAGE
    (from_json,), *_ = con.execute(f"SELECT typeof(from_json('{{}}', '{page}'))").fetchall()
    (declared,), *_ = con.execute(
        f"SELECT typeof(NULL::{twarc2_bulk.duck_type(orjson.loads(page))})"
    ).fetchall()
    assert declared == from_json


def test_both_parses_stage_the_same_pages(tmp_path: Path) -> None:
    """On hostile lines whose keys are all distinct, read_json stages what the checked parse stages."""
    body = b"\n".join(hostile_lines())
    table, spans = line_table(1, body)
    sql = {k: twarc2_bulk.fill(v) for k, v in sections(twarc2_bulk.SQL_DIR / "twarc2_lines.sql").items()}
    con = duckdb.connect()
    typed = twarc2_bulk.typed_lines(con, sql, tmp_path, (1, body, table, spans))
    assert typed.path is not None and typed.path.exists()
    con.register("_chunk", table)
    assert not twarc2_bulk.parse(con, sql, typed._replace(path=None))  # the checked parse, on every line
    assert typed.path.exists()
    con.execute("CREATE TEMP TABLE checked AS SELECT * FROM _tw_parsed")
    # the checked parse also drops pages with a key written twice where no one reads it: leave those out
    kept = con.execute("SELECT line, sha FROM checked ORDER BY line").fetchall()
    assert len(kept) > 300 and {n for n, _ in kept} < set(typed.lines)
    path = tmp_path / "kept.ndjson"
    longest = twarc2_bulk.write_typed(path, 1, body, spans, kept)
    assert twarc2_bulk.parse(con, sql, twarc2_bulk.Typed([n for n, _ in kept], path, longest))
    assert not path.exists()  # parse removes the file
    for a, b in (("_tw_parsed", "checked"), ("checked", "_tw_parsed")):
        assert con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchall() == [(0,)]


def test_a_read_key_written_twice_falls_back(tmp_path: Path, parses: list[bool]) -> None:
    """read_json stops at the page; the checked parse hands it to Python and maps the others."""
    ok = orjson.dumps(good(1))
    for i in READ_TWICE:
        path = tmp_path / f"twice{i}.jsonl"
        path.write_bytes(
            ok + b"\n" + TEXTUAL[i](orjson.dumps(good(2))) + b"\n" + orjson.dumps(good(3)) + b"\n"
        )
        with Store(":memory:") as store:
            assert _read(store, path) == [2], i
            assert store.count("posts") == 4
    assert parses == [False] * len(READ_TWICE)


def test_keys_written_twice_where_none_reads_them_stay_in_sql(tmp_path: Path, parses: list[bool]) -> None:
    plain = [orjson.dumps(good(n)) for n in range(2, 2 + len(UNREAD_TWICE))]
    edited = [edit(ok) for edit, ok in zip(UNREAD_TWICE, plain, strict=True)]
    assert all(e != ok for e, ok in zip(edited, plain, strict=True))  # every edit changed its page
    lines = [orjson.dumps(good(1)), *edited]
    path = tmp_path / "unread.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")  # one chunk
    with Store(":memory:") as store:
        assert _read(store, path) == []
    assert parses == [True]
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [path], bulk=False)
    ingest(sql, [path], bulk=True)
    assert snapshot(py) == snapshot(sql)


def test_hostile_pages_read_the_same_through_read_json(tmp_path: Path, parses: list[bool]) -> None:
    """The hostile lines but those with a read key written twice: all in one chunk read_json parses."""
    lines = list(hostile_lines())
    twice = {TEXTUAL[i](orjson.dumps(good(9000 + i))) for i in READ_TWICE}
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(ln for ln in lines if ln not in twice) + b"\n")  # one chunk
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [path], bulk=False)
    ingest(sql, [path], bulk=True)
    assert parses == [True]
    assert snapshot(py) == snapshot(sql)
    assert sql.count("posts") > 500 and sql.count("quarantine") > 100


def test_small_chunks_mix_both_parses(
    tmp_path: Path, parses: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of a few lines: those with a read key written twice fall back, the rest go through read_json;
    the store is the Python reader's."""
    monkeypatch.setattr(twarc2_bulk, "CHUNK_BYTES", 4096)
    ok = [orjson.dumps(good(n)) for n in range(1, 40)]
    lines = ok[:10] + [TEXTUAL[i](orjson.dumps(good(100 + i))) for i in READ_TWICE] + ok[10:]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [path], bulk=False)
    ingest(sql, [path], bulk=True)
    assert True in parses and False in parses
    assert snapshot(py) == snapshot(sql)


def test_no_temporary_file_outlives_a_failed_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed lines' files live in a temporary folder, and the chunks parsed ahead in an attached
    in-memory database, both removed however the read ends."""
    monkeypatch.setattr(twarc2_bulk, "CHUNK_BYTES", 4096)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    lines = [orjson.dumps(good(n)) for n in range(1, 30)]
    lines[20] = b"not json"
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    def fail(n: int, raw: bytes) -> None:
        raise RuntimeError(f"line {n}")

    def leftovers(store: Store) -> list[str]:
        """The worker's in-memory database and the view over its tables, where either outlived the read."""
        dbs = store.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
        views = store.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        return [n for (n,) in dbs + views if n.startswith(twarc2_bulk.SCRATCH) or n == "_tw_parsed"]

    with Store(":memory:") as store:
        with pytest.raises(RuntimeError, match="line 21"):
            twarc2_bulk.read_bulk(store, Source.open(path), ("twarc2", "1"), fail)
        assert leftovers(store) == []
    assert not list(scratch.glob("kagami-twarc2-*"))
    with Store(":memory:") as store:
        assert _read(store, path) == [21]
        assert store.count("posts") > 0 and leftovers(store) == []
        assert _read(store, path) == [21]  # a second file on the same store attaches it again
    assert not list(scratch.glob("kagami-twarc2-*"))


def test_folders_left_by_killed_ingests_are_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest killed with SIGKILL leaves its typed lines' folder; the next read removes it, not a live
    process's."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{twarc2_bulk.FOLDER_PREFIX}{dead.pid}-abc"
    stale.mkdir()
    (stale / "11.ndjson").write_bytes(b"{}")
    live = tmp_path / f"{twarc2_bulk.FOLDER_PREFIX}{os.getpid()}-def"
    live.mkdir()
    path = tmp_path / "one.jsonl"
    path.write_bytes(orjson.dumps(good(1)) + b"\n")
    with Store(":memory:") as store:
        assert _read(store, path) == []
    assert not stale.exists() and live.exists()
