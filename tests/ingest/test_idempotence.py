"""Re-running is safe: same file twice, files in any order, and an ingest killed with SIGKILL half-way
then run again all end with exactly the store of one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from kagami.ingest import ingest
from kagami.store import Store
from tests.ingest.helpers import page, snapshot, tweet, user

ROOT = Path(__file__).resolve().parents[2]


def write_pages(path: Path, pages: int, per_page: int = 10, seed: int = 0) -> None:
    lines = []
    for p in range(pages):
        tweets, users, included = [], [], []
        for k in range(per_page):
            n = seed * 1_000_000 + p * per_page + k
            author = str(n % 97)
            if k % 3 == 1:  # a retweet of an earlier page's tweet, included as a referenced copy
                orig = tweet(str(max(n - per_page, 0)), str((n - per_page) % 97), f"元の投稿 {n - per_page}")
                included.append(orig)
                tweets.append(
                    tweet(
                        str(n),
                        author,
                        f"RT @u: {orig['text']}",
                        referenced_tweets=[{"type": "retweeted", "id": orig["id"]}],
                    )
                )
            else:
                tweets.append(tweet(str(n), author, f"投稿 {n} #参院選"))
            users.append(user(author, f"user{author}"))
        lines.append(
            orjson.dumps(page(tweets, users, included, retrieved_at=f"2025-07-21T00:{p % 60:02d}:00+00:00"))
        )
        if p % 50 == 7:
            lines.append(b'{"data": [broken')
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    write_pages(path, 20)
    s = Store(tmp_path / "k.duckdb")
    first = ingest(s, [path])
    before = snapshot(s)
    again = ingest(s, [path])
    assert again.files[0].status == "skipped"
    forced = ingest(s, [path], force=True)
    assert (forced.counts.posts, forced.counts.accounts, forced.counts.quarantined) == (0, 0, 0)
    assert (
        forced.counts.duplicates
        == first.counts.posts + first.counts.accounts + first.counts.quarantined + first.counts.duplicates
    )
    assert snapshot(s) == before


def test_order_of_files_does_not_matter(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_pages(a, 10, seed=0)
    write_pages(b, 10, seed=0)  # same tweets, later retrievals in b would win: make b's retrieval later
    b.write_bytes(b.read_bytes().replace(b"2025-07-21T", b"2025-07-22T"))
    one, two = Store(":memory:"), Store(":memory:")
    ingest(one, [a, b])
    ingest(two, [b, a])
    assert snapshot(one)["posts"] == snapshot(two)["posts"]
    assert snapshot(one)["accounts"] == snapshot(two)["accounts"]


DRIVER = """
import sys
from kagami.ingest import Ingestor, twarc2_bulk
from kagami.store import Store
twarc2_bulk.CHUNK_BYTES = 16_000
load = Store.load
def noisy(self, sources):
    out = load(self, sources)
    print("committed", flush=True)
    return out
Store.load = noisy
store = Store(sys.argv[1])
Ingestor(store, batch_records=300, bulk=sys.argv[3] == "bulk").ingest([sys.argv[2]])
print("finished", flush=True)
"""


@pytest.mark.parametrize("path_kind", ["bulk", "python"])
def test_kill_9_then_rerun_equals_one_clean_run(tmp_path: Path, path_kind: str) -> None:
    data = tmp_path / "x.jsonl"
    write_pages(data, 300)
    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db), str(data), path_kind],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    commits = 0
    for line in child.stdout:
        if line.startswith("committed"):
            commits += 1
            if commits == 3:
                child.send_signal(signal.SIGKILL)
                break
    child.wait(timeout=60)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    with Store(db) as killed:
        assert killed.source_status(killed.scalar("SELECT file_sha256 FROM sources")) == "partial"
        partial_posts = killed.count("posts")
        assert 0 < partial_posts < 3000
        ingest(killed, [data], bulk=path_kind == "bulk")
        resumed = snapshot(killed)
    with Store(tmp_path / "clean.duckdb") as clean:
        ingest(clean, [data], bulk=path_kind == "bulk")
        assert snapshot(clean) == resumed
    assert len(resumed["posts"]) == 3000 and len(resumed["quarantine"]) == 6
