"""Raw payloads kept packed: hostile bytes round-trip exactly, damage is detected, old stores still read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kagami.store import Store
from kagami.store.keyed import Unique
from kagami.store.payloads import PACK_MIN, ZSTD, pack, unpack

HOSTILE = [
    b"",
    b'{"text": "<script>alert(1)</script>"}',
    b"\xff\xfe\x00 not utf-8 \xc3\x28 \xed\xa0\x80",  # invalid UTF-8, a lone surrogate's encoding
    ('\u202e\u200b\x1b[31m=HYPERLINK("x")' * 200).encode(),  # bidi, zero-width, escapes, formula
    b"[" * 5000 + b"]" * 5000,  # deep nesting, as bytes
    bytes(range(256)) * 8,  # every byte value
    ("参院選" * 120_000).encode(),  # > 1 MB of text
    b"".join(hashlib.sha256(bytes([i])).digest() for i in range(64)),  # 2 KB that does not compress
]


def sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_pack_round_trips_every_byte(raw: bytes) -> None:
    payload, encoding = pack(raw)
    assert unpack(payload, encoding, len(raw), sha(raw)) == raw
    if encoding is None:  # kept as it came: short, or packing would not make it smaller
        assert payload == raw
    else:
        assert encoding == ZSTD and len(raw) >= PACK_MIN and len(payload) < len(raw)


def test_only_long_compressible_payloads_are_packed() -> None:
    assert pack(b"a" * (PACK_MIN - 1))[1] is None
    assert pack(b"a" * PACK_MIN)[1] == ZSTD
    random = HOSTILE[-1]
    assert len(random) >= PACK_MIN and pack(random) == (random, None)


def test_damage_and_unknown_encodings_are_errors() -> None:
    raw = b"same words again " * 200
    payload, encoding = pack(raw)
    with pytest.raises(ValueError, match="unknown raw payload encoding 'brotli'"):
        unpack(payload, "brotli", len(raw))
    with pytest.raises(ValueError, match="store is damaged"):
        unpack(payload, encoding, len(raw) + 1)
    with pytest.raises(ValueError, match="does not match its sha256"):
        unpack(payload, encoding, len(raw), sha(raw + b"!"))
    damaged = payload[:-4] + bytes(4)
    with pytest.raises((ValueError, OSError)):
        unpack(damaged, encoding, len(raw), sha(raw))


def load(store: Store, raws: list[bytes]) -> None:
    packed = [pack(r) for r in raws]
    table = pa.table(
        {
            "sha256": [sha(r) for r in raws],
            "size": [len(r) for r in raws],
            "payload": pa.array([p for p, _ in packed], pa.binary()),
            "encoding": pa.array([e for _, e in packed], pa.string()),
        }
    )
    store.load({"raw_payloads": Unique(table)})


def test_store_returns_exact_bytes_and_refuses_damage(tmp_path: Path) -> None:
    with Store(tmp_path / "k.duckdb") as store:
        load(store, HOSTILE)
        load(store, HOSTILE)  # idempotent
        assert store.count("raw_payloads") == len(HOSTILE)
        for raw in HOSTILE:
            assert store.payload(sha(raw)) == raw
        assert store.payload("0" * 64) is None
        packed = store.scalar("SELECT count(*) FROM raw_payloads WHERE encoding = 'zstd'")
        assert packed == sum(pack(r)[1] is not None for r in HOSTILE) >= 4
        big = sha(HOSTILE[6])
        store.con.execute("UPDATE raw_payloads SET size = size - 1 WHERE sha256 = ?", [big])
        with pytest.raises(ValueError, match="damaged"):
            store.payload(big)


def test_version_1_store_migrates_and_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kagami.store import db, schema

    path = tmp_path / "old.duckdb"
    raw = HOSTILE[3]
    with monkeypatch.context() as m:  # a store written by the Kagami before packing
        m.setattr(db, "MIGRATIONS", schema.MIGRATIONS[:1])
        m.setattr(db, "SCHEMA_VERSION", 1)
        with Store(path) as old:
            assert old.columns("raw_payloads") == ["sha256", "size", "payload"]
            old.con.execute("INSERT INTO raw_payloads VALUES (?, ?, ?)", [sha(raw), len(raw), raw])
    with Store(path, read_only=True) as old_read:  # as `kagami payload` opens it: not migrated
        assert old_read.schema_version() == 1 and old_read.payload(sha(raw)) == raw
    with Store(path) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION >= 2
        assert store.scalar("SELECT encoding FROM raw_payloads") is None
        assert store.payload(sha(raw)) == raw
        load(store, [raw, HOSTILE[6]])  # the old copy stays; the new one is packed
        assert store.count("raw_payloads") == 2
        assert store.payload(sha(HOSTILE[6])) == HOSTILE[6]


def test_parquet_round_trip_and_old_exports(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as a:
        load(a, HOSTILE)
        a.export_parquet(tmp_path / "out", ("raw_payloads",))
    with Store(tmp_path / "b.duckdb") as b:
        assert b.import_parquet(tmp_path / "out") == {"raw_payloads": len(HOSTILE)}
        assert [b.payload(sha(r)) for r in HOSTILE] == HOSTILE
    old = tmp_path / "old"  # an export from a version-1 store: no encoding column
    old.mkdir()
    raw = HOSTILE[1]
    pq.write_table(
        pa.table({"sha256": [sha(raw)], "size": [len(raw)], "payload": [raw]}), old / "raw_payloads.parquet"
    )
    with Store(tmp_path / "c.duckdb") as c:
        assert c.import_parquet(old) == {"raw_payloads": 1}
        assert c.payload(sha(raw)) == raw
