"""Work-schedule time zone on hand-built activity: offsets, confidence by sample size, holidays, groups."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from kagami.detect.origin_time import TimeConfig, group_timezone, origin_timezone, poisson_cdf, schedules
from kagami.store import Store
from tests.detect.origin_builders import load, office_times, posts

JUNE = date(2025, 6, 9)  # four weeks without Chinese, Russian or Japanese weekday holidays (Jun 12 aside)


def row(store: Store, uid: str, kind: str = "account") -> dict[str, Any]:
    rel = store.con.execute("SELECT * FROM origin_timezone WHERE subject_uid = ? AND kind = ?", [uid, kind])
    cols = [d[0] for d in rel.description]
    found = rel.fetchall()
    assert len(found) == 1, uid
    return dict(zip(cols, found[0], strict=True))


def test_office_hours_in_utc8_give_plus8_with_high_confidence(store: Store) -> None:
    load(store, posts("cn", office_times(8, JUNE, 28, 10)))
    origin_timezone(store)
    r = row(store, "x:cn")
    assert r["n_posts"] == 200  # 20 weekdays x 10
    assert (r["schedule"], r["best_offset_h"]) == ("office", 8)
    assert r["second_offset_h"] in (7, 9)
    assert r["confidence"] > 0.7
    assert r["jst_consistent"] is False
    ev = json.loads(r["evidence"])
    assert ev["top_offsets"][0]["h"] == 8 and ev["p_jst"] < 0.05 and ev["weekend_share"] == 0.0
    assert sum(ev["utc_hours"]) == r["n_posts"] and ev["utc_hours"][4] == 0  # 12:00 at +8 is 04 UTC


def test_a_jst_office_worker_is_plus9_and_consistent(store: Store) -> None:
    load(store, posts("jp", office_times(9, JUNE, 28, 10)))
    origin_timezone(store)
    r = row(store, "x:jp")
    assert (r["schedule"], r["best_offset_h"], r["jst_consistent"]) == ("office", 9, True)
    assert r["confidence"] > 0.7


def test_twenty_posts_give_low_confidence_and_nine_no_fit(store: Store) -> None:
    load(store, posts("few", office_times(8, JUNE, 14, 2)) + posts("nine", office_times(8, JUNE, 9, 1)))
    origin_timezone(store)
    few = row(store, "x:few")
    assert few["n_posts"] == 20 and few["best_offset_h"] in (7, 8, 9)
    assert 0 < few["confidence"] < 0.3
    assert few["jst_consistent"] is True  # fewer than jst_min_posts: never ruled out
    nine = row(store, "x:nine")
    assert nine["n_posts"] < 10 and nine["best_offset_h"] is None and nine["confidence"] == 0.0
    assert "fewer than" in json.loads(nine["evidence"])["note"]


def test_round_the_clock_activity_has_no_offset(store: Store) -> None:
    from datetime import UTC, datetime

    t0 = datetime(2025, 6, 2, tzinfo=UTC)
    load(store, posts("bot", [t0 + timedelta(minutes=30 * i) for i in range(48 * 14)]))
    origin_timezone(store)
    r = row(store, "x:bot")
    assert (r["schedule"], r["best_offset_h"], r["confidence"], r["jst_consistent"]) == (
        "flat",
        None,
        0.0,
        True,
    )


def test_golden_week_gap_is_a_chinese_holiday_signal(store: Store) -> None:
    cn_days = frozenset(date(2025, 10, d) for d in range(1, 9))
    load(store, posts("cn", office_times(8, date(2025, 9, 15), 35, 8, skip=cn_days)))
    jp_days = frozenset({date(2025, 9, 15), date(2025, 9, 23), date(2025, 10, 13)})
    load(store, posts("jp", office_times(9, date(2025, 9, 15), 35, 8, skip=jp_days)))
    origin_timezone(store)
    cn, jp = row(store, "x:cn"), row(store, "x:jp")
    assert cn["holiday_signal"] == "cn"
    tests = json.loads(cn["evidence"])["holidays"]
    assert tests["cn"]["observed"] == 0 and tests["cn"]["holiday_days"] == 6 and tests["cn"]["p"] < 1e-6
    assert tests["jp"]["drop"] is False  # 2025-09-15 and 09-23 are JP holidays the CN office worked
    assert jp["holiday_signal"] == "jp"  # 敬老の日, 秋分の日, スポーツの日 off; Golden Week worked


def test_short_spans_are_untested(store: Store) -> None:
    load(store, posts("a", office_times(8, date(2025, 6, 16), 5, 10)))  # no holiday anywhere that week
    origin_timezone(store)
    assert row(store, "x:a")["holiday_signal"] == "untested"


def test_group_pools_faint_members(store: Store) -> None:
    members = [f"m{i}" for i in range(10)]
    times = office_times(8, JUNE, 28, 10)
    items = [p for i, m in enumerate(members) for p in posts(m, times[i::10])]  # 20 each
    load(store, items)
    origin_timezone(store)
    assert all(row(store, f"x:{m}")["confidence"] < 0.3 for m in members)
    n = group_timezone(store, {"ring": [f"x:{m}" for m in members]})
    g = row(store, "ring", "group")
    assert n == 1 and g["n_posts"] == len(times)
    assert (g["best_offset_h"], g["jst_consistent"]) == (8, False) and g["confidence"] > 0.7
    assert store.scalar("SELECT count(*) FROM origin_timezone WHERE kind = 'account'") == 10


def test_settings_and_helpers() -> None:
    assert round(poisson_cdf(2, 2.0), 4) == 0.6767
    office = schedules()["office"]
    assert office[12] < office[11] and office[5 * 24 + 10] < 0.1  # lunch dip, Saturday
    assert TimeConfig().min_posts == 10
