"""Foreign-origin indicators of groups of accounts (a community, a suspected network, any list of uids).

The time zone is fitted on the group's pooled activity (:func:`kagami.detect.origin_time.group_timezone`),
which sharpens an office schedule that each member shows only faintly. Language and link indicators are
aggregated from ``origin_language`` and ``origin_link_accounts`` (run :func:`origin_language` and
:func:`origin_links` first; missing tables are computed with defaults):

* ``simplified_share`` / ``mt_trace_share``: over the members' pooled Japanese posts; ``lang_confidence``
  = E / (E + 3) over the pooled evidence E, as for an account;
* ``*_accounts``: members with at least one post carrying the indicator; ``link_confidence``: the mean
  of the members' link confidences (a group where one member links state media stays low);
* ``tz_confidence``, ``jst_consistent``, ``holiday_signal``: the group row of ``origin_timezone``.

Groups come from ``groups`` (name -> account uids) or, by default, ``community_members`` (``community:<id>``).

>>> from kagami.store import Store
>>> origin_groups(Store(":memory:"), {"g": ["x:1", "x:2"]})
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from kagami.detect.origin_lang import origin_language
from kagami.detect.origin_links import origin_links
from kagami.detect.origin_time import TimeConfig, group_timezone
from kagami.detect.sqlfiles import drop, sections
from kagami.store import Store
from kagami.store.sqlfiles import has_table, stage


def origin_groups(
    store: Store,
    groups: Mapping[str, Sequence[str]] | None = None,
    config: TimeConfig | None = None,
    lang_prior: float = 3.0,
) -> int:
    """(Re)write ``origin_groups`` (one row per group) and the groups' ``origin_timezone`` rows."""
    if groups is None:
        rows = store.con.execute("SELECT 'community:' || community_id, account_uid FROM community_members")
        found: dict[str, list[str]] = {}
        for g, a in rows.fetchall():
            found.setdefault(str(g), []).append(str(a))
        groups = found
    if not has_table(store.con, "origin_language"):
        origin_language(store)
    if not has_table(store.con, "origin_link_accounts"):
        origin_links(store)
    group_timezone(store, groups, config)
    pairs = [(g, a) for g, accounts in groups.items() for a in accounts]
    table = pa.table({"group_uid": pa.array([p[0] for p in pairs], pa.string()),
                      "account_uid": pa.array([p[1] for p in pairs], pa.string())})  # fmt: skip
    stage(store.con, "_ogr_members", table)
    try:
        store.con.execute(sections("origin_group.sql")["groups"], {"lang_prior": lang_prior})
    finally:
        drop(store.con, ("_ogr_members",))
    return int(store.scalar("SELECT count(*) FROM origin_groups"))
