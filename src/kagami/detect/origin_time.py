"""Work-schedule time zone: which UTC offset an account's (or a group's) activity fits, and holiday gaps.

Activity (posts of every kind and, by default, timed actions) is counted by UTC hour of the week. Three
schedules are fitted at every whole-hour UTC offset from -12 to +14 (``schedules()``): ``office`` (09-18
local on weekdays, a lunch dip at 12, shoulders at 08 and 18, almost nothing at night or at weekends),
``leisure`` (a Japanese social-media day: commute, lunch, a late-evening peak, busy weekends) and ``flat``
(round the clock: automation). Each is mixed with ``eps`` of uniform so one odd post never rules an
offset out. With a uniform prior over schedules, the posterior over (schedule, offset) is exact under
the model: p(h | counts) = exp(sum_cells n * log p_h(cell)) / sum over hypotheses. The schedule is the
one with the most posterior; ``best_offset_h`` and ``second_offset_h`` its two likeliest offsets.

``confidence`` = posterior of (schedule, best offset) x n / (n + ``n_half``) x schedule weight (office
1, leisure 0.5: a personal rhythm shifts by hours from person to person; flat 0: no offset). Real
schedules are not templates, so the posterior grows overconfident with few posts: the sample-size
factor keeps 20 posts below 0.25 and needs 60 posts for 0.5. Subjects with fewer than ``min_posts``
(10) events get no offset and confidence 0. ``jst_consistent`` is false only when at least
``jst_min_posts`` (30) events leave less than ``jst_alpha`` (5%) posterior on schedules a Japan resident
could keep (office at +9, leisure at +9 +/- 3, flat). Holidays (``data/holidays.csv``): activity on a
country's weekday holidays against its ordinary working days, local dates at the country's offset (CN +8,
RU +3, JP +9); p = P(Poisson(expected) <= observed); ``holiday_signal`` names the countries with a
significant drop (``cn``, ``jp``, ``cn+ru``), ``none`` when tested without a drop, ``untested`` when the
span holds too few holiday days to tell.

>>> from kagami.store import Store
>>> store = Store(":memory:")
>>> origin_timezone(store)
0
>>> [round(x, 3) for x in schedules()["office"][9:13]]
[1.0, 1.0, 1.0, 0.3]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache

import pyarrow as pa

from kagami.detect.sqlfiles import drop, sections
from kagami.detect.watchlists import DATA, read_rows
from kagami.store import Store
from kagami.store.sqlfiles import stage

OFFSETS = range(-12, 15)
#: UTC offset at which each country's calendar is read.
COUNTRY_OFFSET = {"CN": 8, "RU": 3, "JP": 9}
WORK = ("_ot_members", "_ot_ev", "_ot_h", "_ot_post", "_ot_sum", "_ot_prof", "_ot_days", "_ot_tpl", "_ot_hol")

DDL = """
CREATE TABLE IF NOT EXISTS origin_timezone (
    subject_uid VARCHAR, kind VARCHAR, n_posts BIGINT, schedule VARCHAR, best_offset_h INTEGER,
    second_offset_h INTEGER, confidence DOUBLE, jst_consistent BOOLEAN, holiday_signal VARCHAR,
    evidence VARCHAR
)
"""

#: A Japanese resident's posting by local hour on working days and on days off (general shape of
#: Japanese social-media activity: commute, lunch, late-evening peak, quiet 03-06).
LEISURE_WORKDAY = (0.9, 0.5, 0.3, 0.15, 0.1, 0.12, 0.3, 0.7, 0.9, 0.7, 0.65, 0.7,
                   1.1, 0.9, 0.7, 0.7, 0.75, 0.9, 1.0, 1.2, 1.4, 1.6, 1.7, 1.4)  # fmt: skip
LEISURE_DAYOFF = (1.1, 0.8, 0.5, 0.3, 0.15, 0.12, 0.15, 0.3, 0.5, 0.8, 1.0, 1.05,
                  1.1, 1.1, 1.0, 1.0, 1.0, 1.05, 1.1, 1.25, 1.4, 1.5, 1.5, 1.3)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TimeConfig:
    """Settings of the time-zone fit; the docstring of this module says why the defaults are what they are."""

    min_posts: int = 10
    n_half: float = 60.0
    eps: float = 0.05
    leisure_spread: int = 4
    daytime_spread: int = 1
    jst_min_posts: int = 30
    jst_alpha: float = 0.05
    holiday_alpha: float = 0.01
    holiday_min_expected: float = 3.0
    with_actions: bool = True


SCHEDULE_WEIGHT = {"office": 1.0, "daytime": 0.75, "leisure": 0.5, "flat": 0.0}


def _office_day(h: int) -> float:
    if 9 <= h < 18:
        return 0.3 if h == 12 else 1.0
    return {8: 0.25, 18: 0.25, 7: 0.08, 19: 0.08}.get(h, 0.02)


@cache
def schedules() -> dict[str, tuple[float, ...]]:
    """Relative activity by local hour of the week (Monday 00:00 = 0) for each schedule."""
    office = [_office_day(h) if d < 5 else 0.02 for d in range(7) for h in range(24)]
    leisure = [(LEISURE_WORKDAY if d < 5 else LEISURE_DAYOFF)[h] for d in range(7) for h in range(24)]
    daytime = [1.0 if 8 <= h < 22 else 0.4 if h in (7, 22) else 0.03 for _ in range(7) for h in range(24)]
    return {
        "office": tuple(office),
        "daytime": tuple(daytime),
        "leisure": tuple(leisure),
        "flat": (1.0,) * 168,
    }


def templates(eps: float) -> pa.Table:
    """log p(UTC hour of week) for each (schedule, offset), with log priors (uniform over schedules)."""
    rows: dict[str, list[object]] = {k: [] for k in ("template", "offset_h", "how", "logp", "logprior")}
    for name, curve in schedules().items():
        total = sum(curve)
        offsets = [0] if name == "flat" else list(OFFSETS)
        for o in offsets:
            for how in range(168):
                p = (1 - eps) * curve[(how + o) % 168] / total + eps / 168
                for k, v in zip(rows, (name, o, how, math.log(p), -math.log(len(offsets))), strict=True):
                    rows[k].append(v)
    return pa.table(rows)


@cache
def holidays() -> tuple[tuple[str, date, str], ...]:
    """(country, date, 'holiday' | 'workday') rows of ``data/holidays.csv``."""
    return tuple(
        (r["country"], date.fromisoformat(r["date"]), r["kind"]) for r in read_rows(DATA / "holidays.csv")
    )


def poisson_cdf(k: int, lam: float) -> float:
    """P(Poisson(lam) <= k).

    >>> round(poisson_cdf(0, 5.0), 5)
    0.00674
    """
    if lam <= 0:
        return 1.0
    return min(1.0, sum(math.exp(-lam + i * math.log(lam) - math.lgamma(i + 1)) for i in range(k + 1)))


def holiday_tests(rows: Sequence[tuple[str, str, int, int, int, int]], cfg: TimeConfig) -> pa.Table:
    """Per subject: the holiday signal and each country's test, from ``_ot_days`` rows."""
    by: dict[str, dict[str, dict[str, object]]] = {}
    for subject, country, hol_days, hol_n, work_days, work_n in rows:
        rate = work_n / work_days if work_days else 0.0
        expected = rate * hol_days
        p = poisson_cdf(int(hol_n), expected)
        tested = work_days >= 3 and expected >= cfg.holiday_min_expected
        by.setdefault(subject, {})[country.lower()] = {
            "holiday_days": hol_days,
            "observed": hol_n,
            "expected": round(expected, 2),
            "p": float(f"{p:.3g}"),
            "drop": tested and p <= cfg.holiday_alpha,
            "tested": tested,
        }
    subjects, signals, texts = [], [], []
    for subject, tests in by.items():
        drops = sorted(c for c, t in tests.items() if t["drop"])
        signal = (
            "+".join(drops) if drops else ("none" if any(t["tested"] for t in tests.values()) else "untested")
        )
        subjects.append(subject)
        signals.append(signal)
        texts.append(json.dumps(tests, sort_keys=True))
    return pa.table({"subject_uid": subjects, "holiday_signal": signals, "holidays": texts},
                    schema=pa.schema([("subject_uid", pa.string()), ("holiday_signal", pa.string()),
                                      ("holidays", pa.string())]))  # fmt: skip


def _fit(store: Store, kind: str, cfg: TimeConfig) -> int:
    """Fit every subject of the staged ``_ot_members`` and write its rows of ``origin_timezone``."""
    sql = sections("origin_time.sql")
    q = store.con.execute
    q(DDL)
    stage(store.con, "_ot_tpl", templates(cfg.eps))
    hol = [(c, COUNTRY_OFFSET[c], d, k) for c, d, k in holidays() if c in COUNTRY_OFFSET]
    cols = list(zip(*hol, strict=True))
    stage(
        store.con,
        "_ot_hol",
        pa.table({"country": cols[0], "offset_h": cols[1], "day": cols[2], "kind": cols[3]}),
    )
    q(sql["events"], {"with_actions": cfg.with_actions})
    q(sql["hist"])
    q(sql["fit"], {"min_posts": cfg.min_posts})
    q(sql["summary"], {"leisure_spread": cfg.leisure_spread, "daytime_spread": cfg.daytime_spread})
    q(sql["profile"])
    q(sql["days"], {"min_posts": cfg.min_posts})
    days = q("SELECT subject_uid, country, hol_days, hol_n, work_days, work_n FROM _ot_days").fetchall()
    stage(store.con, "_ot_holsig", holiday_tests(days, cfg))
    params = {
        k: v for k, v in asdict(cfg).items() if k in ("min_posts", "n_half", "jst_min_posts", "jst_alpha")
    }
    params |= {"kind": kind} | {f"w_{k}": v for k, v in SCHEDULE_WEIGHT.items() if k != "flat"}
    for stmt in sql["output"].split(";"):
        if stmt.strip():
            used = {k: v for k, v in params.items() if f"${k}" in stmt}
            q(stmt, used or None)
    return int(store.scalar("SELECT count(*) FROM origin_timezone WHERE kind = ?", [kind]))


def origin_timezone(store: Store, config: TimeConfig | None = None) -> int:
    """(Re)write the ``account`` rows of ``origin_timezone``, one per account with timed activity."""
    cfg = config or TimeConfig()
    try:
        store.con.execute(sections("origin_time.sql")["members_accounts"], {"with_actions": cfg.with_actions})
        return _fit(store, "account", cfg)
    finally:
        drop(store.con, (*WORK, "_ot_holsig"))


def group_timezone(
    store: Store, groups: Mapping[str, Sequence[str]] | None = None, config: TimeConfig | None = None
) -> int:
    """Write ``group`` rows: each group's pooled activity (``groups``: name -> account uids; by default
    ``community_members``, as ``community:<id>``); return how many group rows the table holds."""
    cfg = config or TimeConfig()
    if groups is None:
        members = store.con.execute(
            "SELECT 'community:' || community_id, account_uid FROM community_members"
        ).fetchall()
    else:
        members = [(g, a) for g, accounts in groups.items() for a in accounts]
    subjects = pa.array([m[0] for m in members], pa.string())
    stage(
        store.con, "_ot_members", pa.table({"subject_uid": subjects, "account_uid": [m[1] for m in members]})
    )
    try:
        return _fit(store, "group", cfg)
    finally:
        drop(store.con, (*WORK, "_ot_holsig"))
