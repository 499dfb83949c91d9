"""A small scenario end to end: simulate, ingest with Kagami's own readers, nothing quarantined."""

from __future__ import annotations

from pathlib import Path

import pytest

from kagami.store import Store
from tests.sim.conftest import World


def test_ingest_reads_everything(world: World, store: Store) -> None:
    pytest.importorskip("kagami.ingest.twarc2")
    pytest.importorskip("kagami.ingest.jetstream")
    from kagami.ingest import ingest

    report = ingest(store, [world.out / "x.jsonl", world.out / "bsky.jsonl"])
    assert report.quarantined == 0
    assert {f.format for f in report.files} == {"twarc2", "jetstream"}
    assert store.count("posts") >= world.summary.x_posts
    uids = {r[0] for r in store.con.execute("SELECT uid FROM accounts").fetchall()}
    truth = {f"{r['platform']}:{r['account_id']}" for r in world.truth}
    assert truth <= uids
    assert Path(world.out / "truth.csv").exists()
