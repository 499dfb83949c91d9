"""Every file under ../shared/data/formats loads or is quarantined with a reason (docs/formats.md lists
which), and format detection decides per file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import pytest

from kagami.ingest import ingest
from kagami.ingest.base import Source
from kagami.ingest.detect import detect
from kagami.store import Store

#: Files deliberately not read as a whole (besides the YAML cassettes), with the start of the reason.
EXPECTED_QUARANTINE = {
    "bluesky/resolve_handle.json": "JSON document that no reader recognises",
    "mastodon/test_scheduled_status_datetimeobjects.pkl": "unsupported format: Python pickle",
}
#: Files read whose payload holds one record set aside, with the start of its reason.
EXPECTED_INNER = {
    "twarc2/streaming_output_with_error.jsonl": "invalid JSON",
    "bluesky/custom_record.json": "at://",  # a $type that contradicts its collection
    "bluesky/feed_record.json": "app.bsky.feed.generator record",
}


def test_every_shared_format_file_is_accounted_for(shared_data: Path) -> None:
    root = shared_data / "formats"
    store = Store(":memory:")
    report = ingest(store, [root])
    outcome = Counter()
    for f in report.files:
        rel = Path(f.path).relative_to(root).as_posix()
        outcome[(rel.split("/")[0], f.status)] += 1
        if f.status == "quarantined":
            if rel.endswith(".yaml"):
                assert f.reason.startswith("unsupported format: YAML"), rel
            else:
                assert rel in EXPECTED_QUARANTINE and f.reason.startswith(EXPECTED_QUARANTINE[rel]), rel
        else:
            assert f.status in ("loaded", "empty", "skipped"), (rel, f.status)
    # files inside payloads that are quarantined alone are listed too
    whole = {Path(f.path).relative_to(root).as_posix() for f in report.files if f.status == "quarantined"}
    inner = {
        Path(src).relative_to(root).as_posix(): reason
        for src, reason in store.con.execute("SELECT source_file, reason FROM quarantine").fetchall()
        if Path(src).relative_to(root).as_posix() not in whole
    }
    assert set(inner) == set(EXPECTED_INNER)
    assert all(inner[k].startswith(v) for k, v in EXPECTED_INNER.items())
    assert outcome[("twarc2", "loaded")] == 27
    assert outcome[("tweepy_v2", "loaded")] + outcome[("tweepy_v2", "skipped")] == 60
    assert outcome[("mastodon", "loaded")] == 115
    assert outcome[("bluesky", "loaded")] == 9
    platforms = dict(store.con.execute("SELECT platform, count(*) FROM posts GROUP BY ALL").fetchall())
    assert set(platforms) == {"x", "bsky", "mastodon"}


def _src(path: Path, data: bytes) -> Source:
    path.write_bytes(data)
    return Source.open(path)


@pytest.mark.parametrize(
    ("name", "data", "mode", "reader"),
    [
        ("empty.jsonl", b"", "empty", None),
        (
            "a.jsonl",
            orjson.dumps({"data": [{"id": "1", "text": "x"}], "__twarc": {}}) + b"\n",
            "jsonl",
            "twarc2",
        ),
        (
            "b.json",
            orjson.dumps({"did": "did:plc:a", "time_us": 1, "kind": "identity"}),
            "jsonl",
            "jetstream",
        ),
        (
            "c.json",
            b'{\n "uri": "https://m.example/s/1",\n "account": {"acct": "a"},\n "content": "<p>x</p>"\n}',
            "document",
            "mastodon",
        ),
        (
            "d.json",
            b'{\n "name": "c", "type": "public_channel", "id": 1, "messages": []\n}',
            "document",
            "telegram",
        ),
        (
            "e.jsonl",
            b'{"broken\n' + orjson.dumps({"data": [{"id": "1", "text": "x"}], "meta": {}}),
            "jsonl",
            "twarc2",
        ),
        ("f.yaml", b"interactions: []\n", "unrecognised", None),
        ("g.pkl", b"\x80\x04K\x01.", "unrecognised", None),
        ("h.txt", b"just some words\n", "unrecognised", None),
        ("i.json", b'{"hello": "world"}', "unrecognised", None),
        ("j.csv", b"a,b\n1,2\n", "unrecognised", None),
        ("k.csv", b"tweetid,userid,tweet_text,tweet_time\n1,u,x,2019-01-01 00:00\n", "tabular", "io_archive"),
    ],
)
def test_detection(tmp_path: Path, name: str, data: bytes, mode: str, reader: str | None) -> None:
    det = detect(_src(tmp_path / name, data))
    assert det.mode == mode
    assert (det.reader.NAME if det.reader else None) == reader
    if mode == "unrecognised":
        assert det.reason


def test_unrecognised_file_is_quarantined_whole(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"<script>x</script>\n")
    report = ingest(store, [path])
    assert report.files[0].status == "quarantined"
    assert store.con.execute("SELECT line, reason, raw FROM quarantine").fetchall() == [
        (0, "not JSON, CSV or Parquet", b"<script>x</script>\n")
    ]
