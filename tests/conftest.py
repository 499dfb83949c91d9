"""Shared fixtures: an in-memory store, and the real payloads in ../shared/data (skipped when absent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kagami.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """The real payloads beside the project; tests that need them skip cleanly where they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA.resolve()  # ingest records resolved paths; ../shared may be a symbolic link


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def sim_world(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, int, float], Path]:
    """``sim_world(config, seed, scale)``: the folder of a simulated world, generated once per session."""
    from kagami.sim import named, simulate

    made: dict[tuple[str, int, float], Path] = {}

    def world(config: str, seed: int, scale: float) -> Path:
        key = (config, seed, scale)
        if key not in made:
            out = tmp_path_factory.mktemp(f"sim-{config}-{seed}-{scale}")
            simulate(named(config, seed=seed, scale=scale), out)
            made[key] = out
        return made[key]

    return world


def ingest_world(out: Path) -> Store:
    """A fresh in-memory store holding a simulated world's two data files."""
    from kagami.ingest import ingest

    store = Store(":memory:")
    ingest(store, [out / "x.jsonl", out / "bsky.jsonl"])
    return store


def truth_table(store: Store, out: Path) -> None:
    """The world's truth.csv as the temp table ``truth(uid, label, campaign, who, role)``; ``who`` is the
    campaign id for campaign accounts, else the label."""
    store.con.execute(
        "CREATE OR REPLACE TEMP TABLE truth AS SELECT platform || ':' || account_id AS uid, label, campaign, "
        "coalesce(campaign, label) AS who, role FROM read_csv(?, all_varchar = true)",
        [str(Path(out) / "truth.csv")],
    ).fetchall()
