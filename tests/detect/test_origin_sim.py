"""Origin indicators on a small simulated world (dev seed 1, scale 0.05): the state-media campaign shows
UTC+8 office hours, simplified characters and state-media links; organic accounts are rarely flagged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kagami.detect.origin_group import origin_groups
from kagami.detect.origin_lang import origin_language
from kagami.detect.origin_links import origin_links
from kagami.detect.origin_time import origin_timezone
from kagami.store import Store
from tests.conftest import ingest_world


@pytest.fixture(scope="module")
def world(sim_world: Callable[[str, int, float], Path]) -> Iterator[Store]:
    out = sim_world("dev", 1, 0.05)
    store = ingest_world(out)
    store.con.execute(
        "CREATE TABLE truth AS SELECT platform || ':' || account_id AS uid, label, "
        "coalesce(campaign, '') AS campaign FROM read_csv(?, all_varchar = true)",
        [str(out / "truth.csv")],
    )
    origin_timezone(store)
    origin_language(store)
    origin_links(store)
    yield store
    store.close()


def rates(store: Store, sql: str) -> dict[str, tuple[int, int]]:
    """(flagged, all) accounts per label or campaign for a flag expression over the three tables."""
    rows = store.con.execute(
        f"""SELECT CASE WHEN t.label = 'campaign' THEN t.campaign ELSE t.label END, count(*),
                   count(*) FILTER (WHERE {sql})
            FROM truth t LEFT JOIN origin_timezone z ON z.subject_uid = t.uid AND z.kind = 'account'
            LEFT JOIN origin_language l ON l.account_uid = t.uid
            LEFT JOIN origin_link_accounts k ON k.account_uid = t.uid GROUP BY ALL"""
    ).fetchall()
    return {r[0]: (int(r[2]), int(r[1])) for r in rows}


def test_statemedia_accounts_show_every_indicator(world: Store) -> None:
    tz = rates(world, "z.best_offset_h = 8 AND z.schedule = 'office' AND NOT z.jst_consistent")
    lang = rates(world, "l.simplified_share > 0 AND l.confidence >= 0.5")
    links = rates(world, "k.state_media_posts > 0 AND k.confidence >= 0.5")
    flagged, total = tz["statemedia-1"]
    assert total >= 5 and flagged == total
    assert lang["statemedia-1"] == (total, total) and links["statemedia-1"] == (total, total)


def test_organic_accounts_are_rarely_flagged(world: Store) -> None:
    checks = {
        "tz": "NOT coalesce(z.jst_consistent, true)",
        "lang": "coalesce(l.confidence, 0) >= 0.5",
        "links": "coalesce(k.confidence, 0) >= 0.5",
    }
    for name, sql in checks.items():
        flagged, total = rates(world, sql)["organic"]
        assert total > 500 and flagged / total <= 0.01, (name, flagged, total)
    flagged, total = rates(world, "l.simplified_share > 0")["organic"]
    assert flagged == 0


def test_campaign_groups(world: Store) -> None:
    groups: dict[str, list[str]] = {}
    for uid, key in world.con.execute(
        "SELECT uid, CASE WHEN label = 'campaign' THEN campaign ELSE label END FROM truth"
    ).fetchall():
        groups.setdefault(key, []).append(uid)
    origin_groups(world, groups)
    rows = {r[0]: r for r in world.con.execute("SELECT * FROM origin_groups").fetchall()}
    sm, organic = rows["statemedia-1"], rows["organic"]
    assert (sm[4], sm[7]) == (8, False) and sm[6] > 0.7  # offset, jst_consistent, tz_confidence
    assert sm[12] > 0.9 and sm[13] == sm[1]  # lang_confidence; every member links state media
    assert organic[7] is True and organic[10] == 0.0
