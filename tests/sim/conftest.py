"""One small simulated world shared by the simulator tests (generated once per session)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.sim import SimSummary, named, simulate

SEED, SCALE = 7, 0.03


@dataclass
class World:
    out: Path
    summary: SimSummary
    pages: list[dict[str, Any]]
    bsky: list[dict[str, Any]]
    truth: list[dict[str, str]]

    def tweets(self) -> list[dict[str, Any]]:
        return [t for p in self.pages for t in p["data"]]

    def users(self) -> dict[str, dict[str, Any]]:
        return {u["id"]: u for p in self.pages for u in p["includes"]["users"]}

    def accounts(self, **match: str) -> list[dict[str, str]]:
        return [r for r in self.truth if all(r[k] == v for k, v in match.items())]

    def ids(self, **match: str) -> set[str]:
        return {r["account_id"] for r in self.accounts(**match)}


def load(out: Path, summary: SimSummary) -> World:
    pages = [orjson.loads(line) for line in (out / "x.jsonl").read_bytes().splitlines()]
    bsky = [orjson.loads(line) for line in (out / "bsky.jsonl").read_bytes().splitlines()]
    with (out / "truth.csv").open(newline="", encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    return World(out, summary, pages, bsky, truth)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("sim")
    return load(out, simulate(named("dev", SEED, SCALE), out))
