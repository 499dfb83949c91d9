"""Automation score per account, from transparent features, each shown with its contribution.

Features are computed in SQL over the store, one row per account (``sql/automation_features.sql``):
posting regularity (inter-event coefficient of variation and burstiness B = (σ−μ)/(σ+μ)), hour-of-day
entropy and night activity in local time (JST by default), the share of reposts and bare quotes, the
posting client, handle patterns (name + six or more digits, random-looking strings), plain kanji/katakana
display names, the default avatar, age when first seen, creation waves shared with other accounts,
follower/following ratio, profile changes and the self-declared bot flag. Timing features need
``min_events`` timed posts; a feature the data does not show is NULL and contributes nothing.

The score (``sql/automation_scores.sql``) maps each feature to evidence x in [0, 1] (0 = what an ordinary
person shows), multiplies by a documented weight (``automation_weights.json``, versioned) and takes
sigmoid(bias + Σ weight·x). ``automation_scores.contributions`` lists every feature's value and
contribution, so a reader sees why. A high score says "behaves or looks like an automated or mass-made
account", not "inauthentic": news and weather bots are automated and benign.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> detect_automation(store.con)
0
>>> load_weights().weights["self_declared_bot"]
6.0
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kagami.detect.sqlfiles import count, drop, run_sql

WEIGHTS_FILE = Path(__file__).with_name("automation_weights.json")
WORK_TABLES = ("_au_ev", "_au_hours", "_au_act", "_au_prof", "_au_wave", "_au_clock", "_au_x", "_au_w")

#: First-party clients; a post from any other named client counts towards ``third_party_client_share``.
OFFICIAL_CLIENTS = (
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter for iPad",
    "Twitter for Mac",
    "Twitter Web App",
    "Twitter Web Client",
    "TweetDeck",
    "TweetDeck Web App",
)


@dataclass(frozen=True, slots=True)
class AutomationParams:
    """Settings of the features; defaults and why in docs/signals/automation.md."""

    tz_offset_s: int = 9 * 3600  # JST: the account's local time, unless known otherwise
    night_from: int = 1  # local hours [night_from, night_to) count as night
    night_to: int = 5
    min_events: int = 20  # timed posts needed before timing features are computed
    wave_hours: float = 24.0  # creation-wave window: accounts created within +- this
    context_days: float = 30.0  # the expected count comes from the creation rate within +- this
    bare_max_chars: int = 5  # a quote with at most this many own characters is bare
    clients: tuple[str, ...] = OFFICIAL_CLIENTS
    reason_min: float = 0.5  # contributions at least this large are named in top_reasons
    max_reasons: int = 3

    def sql_params(self) -> dict[str, Any]:
        """The parameters the SQL files name."""
        p = asdict(self)
        p["clients"] = list(self.clients)
        p["night_uniform"] = (self.night_to - self.night_from) / 24.0
        return p


@dataclass(frozen=True, slots=True)
class Weights:
    """A versioned weight set: bias and one weight per feature."""

    version: str
    bias: float
    weights: dict[str, float] = field(default_factory=dict)


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    """The weights in ``path`` (default: the packaged ``automation_weights.json``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Weights(
        str(data["version"]), float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}
    )


def compute_features(con: duckdb.DuckDBPyConnection, params: AutomationParams | None = None) -> int:
    """(Re)build ``automation_features``, one row per account; return its row count."""
    run_sql(con, "automation_features.sql", (params or AutomationParams()).sql_params())
    return count(con, "SELECT count(*) FROM automation_features")


def score(
    con: duckdb.DuckDBPyConnection, weights: Weights | None = None, params: AutomationParams | None = None
) -> int:
    """(Re)build ``automation_scores`` from ``automation_features``; return its row count."""
    w = weights or load_weights()
    con.execute("CREATE OR REPLACE TEMP TABLE _au_w (feature VARCHAR, weight DOUBLE)").fetchall()
    con.executemany("INSERT INTO _au_w VALUES (?, ?)", list(w.weights.items()))
    sql_params = (params or AutomationParams()).sql_params() | {"bias": w.bias}
    run_sql(con, "automation_scores.sql", sql_params)
    return count(con, "SELECT count(*) FROM automation_scores")


def detect_automation(
    con: duckdb.DuckDBPyConnection, params: AutomationParams | None = None, weights: Weights | None = None
) -> int:
    """Build ``automation_features`` and ``automation_scores``; return the number of accounts scored."""
    try:
        compute_features(con, params)
        return score(con, weights, params)
    finally:
        drop(con, WORK_TABLES)
