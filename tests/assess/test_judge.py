"""The judgement on hand-built detector tables: behaviour flags, content and origin never do on their own.

Each case writes the detectors' tables directly (``judge_builders``) and checks a rule of
``kagami.assess.judge`` that protects ordinary users: citizens who share a view, fans of a public figure,
a lone automated account, an account with foreign traits, a bot that says it is one. Scores are not pinned
(the weights are tuned); which groups are campaigns and which accounts are flagged is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from kagami.assess.judge import SQL, STAND_INS, JudgeConfig, judge
from kagami.store import Store
from kagami.store.sqlfiles import statements
from tests.assess.judge_builders import JudgeWorld

PUBLIC = 15
"""Accounts outside a group that engage with a public figure's posts (above the public-hub bar)."""


@pytest.fixture
def world() -> Iterator[JudgeWorld]:
    store = Store(":memory:")
    yield JudgeWorld(store)
    store.close()


def ring(w: JudgeWorld, n: int = 6, hubs: Sequence[str] = ()) -> list[str]:
    """Community 1: young, automated accounts, each with significant co-action with all the others."""
    members = w.accounts("ring", n, age_days=20)
    for m in members:
        w.automation(m, 0.9)
    w.clique(members)
    w.community(1, members, hubs=hubs)
    return members


def politician(w: JudgeWorld, fans: Sequence[str]) -> str:
    """An established, verified account whose posts ``fans`` and a public of other citizens repost."""
    hub = w.account("politician", age_days=5000, verified=True, followers=800_000)
    w.amplify(hub, [*fans, *w.accounts("citizen", PUBLIC, age_days=3000)], posts=2)
    return hub


def test_origin_and_claims_without_coordination_never_flag(world: JudgeWorld) -> None:
    """(a) Foreign traits and fact-checked claims are indicators, not behaviour: no community, no flag."""
    suspect = world.account("foreigner", age_days=10)
    world.foreign(suspect, 0.99)
    for claim in ("c1", "c2", "c3"):
        world.claim(suspect, claim)
    ring(world)  # a real campaign elsewhere, so the judgement has something to find
    assert judge(world.con, JudgeConfig()) > 0
    origin, claims = world.con.execute(
        "SELECT origin, claim_posts FROM assess_accounts WHERE uid = ?", [suspect]
    ).fetchall()[0]
    assert origin >= 0.95 and claims == 3  # the signals were read ...
    assert suspect not in world.flagged()  # ... and did not flag


def test_origin_and_claims_with_a_partner_but_no_community_never_flag(world: JudgeWorld) -> None:
    """(a) Even a significant edge does not flag when the accounts form no community."""
    a, b = world.account("a", age_days=10), world.account("b", age_days=10)
    for u in (a, b):
        world.foreign(u)
        world.claim(u)
    world.edge(a, b)
    judge(world.con, JudgeConfig())
    assert world.flagged() == set()


def test_automated_account_outside_any_community_is_never_flagged(world: JudgeWorld) -> None:
    """(b) A lone automated account (a weather feed, a news feed) is automation, not a campaign."""
    feed = world.account("weatherfeed", age_days=5)
    world.automation(feed, 0.9)
    world.lockstep(7, [feed])
    members = ring(world)
    world.edge(feed, members[0])  # it even shares targets with a campaign member
    judge(world.con, JudgeConfig())
    assert feed not in world.flagged()
    assert set(members) <= world.flagged()
    auto = world.con.execute("SELECT automation FROM assess_accounts WHERE uid = ?", [feed]).fetchall()
    assert auto == [(0.9,)]


def test_old_human_fans_of_an_established_hub_are_not_a_campaign(world: JudgeWorld) -> None:
    """(c) Citizens amplifying a politician together coordinate honestly: no indicator, no campaign."""
    fans = world.accounts("fan", 8, age_days=2500)
    for f in fans:
        world.automation(f, 0.05)
    world.clique(fans)
    hub = politician(world, fans)
    world.community(1, fans, hubs=[hub])
    judge(world.con, JudgeConfig())
    assert world.campaigns() == set()
    assert world.flagged() == set()
    evidence = world.con.execute("SELECT evidence FROM assess_groups WHERE community_id = 1").fetchall()
    assert evidence[0][0] < JudgeConfig().campaign_min


@pytest.mark.parametrize("indicator", ["deceptive", "claims", "foreign", "copy"], ids=lambda s: f"only-{s}")
def test_no_single_content_or_origin_indicator_makes_old_humans_a_campaign(
    world: JudgeWorld, indicator: str
) -> None:
    """The module's promise: no content or origin indicator reaches campaign_min alone."""
    members = world.accounts("m", 6, age_days=2500)
    world.clique(members)
    hubs = [politician(world, members)]
    world.community(1, members, hubs=hubs, layers=["repost", "text"] if indicator == "copy" else ["repost"])
    for m in members:
        world.automation(m, 0.05)
        if indicator == "deceptive":
            world.con.execute("INSERT INTO origin_link_accounts VALUES (?, 0.95, 0, 0, 4)", [m])
        elif indicator == "claims":
            world.claim(m)
        elif indicator == "foreign":
            world.con.execute(
                "INSERT INTO origin_timezone VALUES (?, 'account', 0.95, 8, 'office', false)", [m]
            )
    judge(world.con, JudgeConfig())
    assert world.campaigns() == set(), f"{indicator} alone made a campaign of old, human accounts"
    assert world.flagged() == set()


def test_young_automated_ring_is_a_campaign_and_only_well_connected_members_are_flagged(
    world: JudgeWorld,
) -> None:
    """(d) Members with >= member_min_partners inner partners are flagged; a one-weak-edge member is not."""
    members = ring(world)
    weak = world.account("hanger_on", age_days=20)
    world.automation(weak, 0.9)
    world.edge(weak, members[0], weight=2.0, q=0.001)
    world.con.execute("INSERT INTO community_members VALUES (1, ?, 1, 2.0)", [weak])
    world.con.execute("UPDATE communities SET size = size + 1 WHERE community_id = 1")
    judge(world.con, JudgeConfig())
    assert world.campaigns() == {1}
    assert world.flagged() == set(members)
    verdicts = world.verdicts()
    assert verdicts[weak][0] is False and verdicts[weak][1] == "member"
    assert all(0 < verdicts[m][2] <= 1 for m in members)


def test_lockstep_stands_in_for_a_second_partner(world: JudgeWorld) -> None:
    """(d) A campaign member with one inner partner is flagged when it is in a lockstep group."""
    members = ring(world)
    solo = world.account("solo", age_days=20)
    world.automation(solo, 0.9)
    world.edge(solo, members[0])
    world.lockstep(3, [solo, members[0]])
    world.con.execute("INSERT INTO community_members VALUES (1, ?, 1, 25.0)", [solo])
    judge(world.con, JudgeConfig())
    assert solo in world.flagged()


@pytest.mark.parametrize(
    "how",
    [{"bio": "自動投稿のボットです"}, {"bio": "I am an automated account"}, {"name": "news_bot"}],
    ids=["ja-bio", "en-bio", "handle"],
)
def test_a_self_declared_bot_in_a_ring_is_never_flagged(world: JudgeWorld, how: dict[str, str]) -> None:
    """Bots that say they are bots are transparent, even when they co-act with a campaign."""
    members = ring(world)
    bot = world.account(how.get("name", "helper"), age_days=20, bio=how.get("bio", ""))
    world.automation(bot, 0.95)
    for m in members:
        world.edge(bot, m)
    world.lockstep(1, [bot, *members])
    world.con.execute("INSERT INTO community_members VALUES (1, ?, 6, 150.0)", [bot])
    judge(world.con, JudgeConfig())
    assert world.campaigns() == {1}
    assert set(members) <= world.flagged()
    assert bot not in world.flagged()


@pytest.mark.parametrize(
    ("age_days", "automation", "outsiders", "flagged"),
    [
        (30, 0.1, 0, True),  # a young account the ring exists to push
        (3000, 0.9, 0, True),  # an old automated feed the ring pushes
        (5000, 0.05, 0, False),  # an established public figure amplified by the ring
        (30, 0.1, 40, False),  # young, but mostly engaged with by real users
    ],
    ids=["young-pushed", "automated-pushed", "established", "organic-audience"],
)
def test_hub_joins_its_campaign_only_when_young_or_automated_and_mostly_amplified_by_it(
    world: JudgeWorld, age_days: int, automation: float, outsiders: int, flagged: bool
) -> None:
    """(e) A politician or idol amplified by a ring is its target, not its member."""
    hub = world.account("hub", age_days=age_days, verified=age_days > 4000)
    world.automation(hub, automation)
    members = ring(world, hubs=[hub])
    world.amplify(hub, [*members, *world.accounts("citizen", outsiders, age_days=3000)], posts=2)
    judge(world.con, JudgeConfig())
    assert world.campaigns() == {1}
    verdicts = world.verdicts()
    assert verdicts[hub][1] == "hub"
    assert verdicts[hub][0] is flagged
    assert set(members) <= world.flagged()  # the ring itself is flagged either way


def test_missing_optional_detector_tables_are_stood_in() -> None:
    """(f) A run without origin, claims, lockstep or automation tables still judges on what it has."""
    store = Store(":memory:")
    try:
        w = JudgeWorld(store, tables=("coaction_edges", "communities", "community_members"))
        members = w.accounts("young", 6, age_days=15)
        w.clique(members)
        w.community(1, members)
        assert judge(w.con, JudgeConfig()) == len(members)
        assert w.campaigns() == {1}
        tables = {r[0] for r in w.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(STAND_INS) <= tables
        signals = w.con.execute("SELECT max(origin), max(automation), max(claim_posts) FROM assess_accounts")
        assert signals.fetchall() == [(0.0, 0.0, 0)]
    finally:
        store.close()


def test_judge_runs_twice_with_the_same_result(world: JudgeWorld) -> None:
    members = ring(world)
    first = (judge(world.con, JudgeConfig()), world.verdicts())
    assert first == (judge(world.con, JudgeConfig()), world.verdicts())
    assert first[0] == len(members)


def sql_parameters() -> set[str]:
    """The ``$name`` parameters judge.sql's statements use (comments excluded)."""
    return set(re.findall(r"\$(\w+)", "\n".join(statements(SQL.read_text(encoding="utf-8")))))


def test_judge_sql_parameters_are_exactly_judge_config_fields() -> None:
    """(g) No threshold is dead (a field the SQL ignores) or hidden (a constant the config cannot set)."""
    assert sql_parameters() == {f.name for f in dataclasses.fields(JudgeConfig)}


@pytest.mark.parametrize(
    "change",
    [{"campaign_min": 0.99}, {"min_size": 50}, {"young_days": 5, "automated_min": 0.95},
     {"w_fresh": 0.0, "w_automated": 0.0}, {"declared_pattern": "ring"}],
    ids=lambda c: ",".join(c),
)  # fmt: skip
def test_group_thresholds_reach_the_sql(world: JudgeWorld, change: dict[str, Any]) -> None:
    """(g) Raising a group bar in JudgeConfig removes the campaign the defaults find."""
    members = ring(world)
    hub = politician(world, members)
    world.con.execute("UPDATE communities SET hubs = [?] WHERE community_id = 1", [hub])
    assert judge(world.con, JudgeConfig()) == len(members) and world.campaigns() == {1}
    assert judge(world.con, dataclasses.replace(JudgeConfig(), **change)) == 0
    assert world.campaigns() == set()


@pytest.mark.parametrize(
    "change",
    [{"member_min_partners": 6}, {"member_min_coordination": 0.999}, {"alpha": 1e-12},
     {"strength_scale": 1e6}],
    ids=lambda c: ",".join(c),
)  # fmt: skip
def test_member_thresholds_reach_the_sql(world: JudgeWorld, change: dict[str, Any]) -> None:
    """(g) The member bars unflag members that do not clear them; a group with none left that would be
    flagged is judged on nobody and is no campaign, though it keeps its row."""
    ring(world)
    assert judge(world.con, dataclasses.replace(JudgeConfig(), **change)) == 0
    assert world.campaigns() == set()
    assert world.con.execute(
        "SELECT n, personas, is_campaign FROM assess_groups WHERE community_id = 1"
    ).fetchall() == [(0, 0, False)]


def test_public_hub_bar_reaches_the_sql(world: JudgeWorld) -> None:
    """(g) With an unreachable public-audience bar, every hub counts as private (the no-hub indicator)."""
    members = world.accounts("m", 6, age_days=2500)
    world.clique(members)
    hub = politician(world, members)
    world.community(1, members, hubs=[hub])
    judge(world.con, JudgeConfig())
    assert world.campaigns() == set()
    judge(world.con, JudgeConfig(public_min=10_000, w_no_hub=0.9))
    assert world.campaigns() == {1}


def test_hub_share_reaches_the_sql(world: JudgeWorld) -> None:
    hub = world.account("hub", age_days=30)
    members = ring(world, hubs=[hub])
    world.amplify(hub, members)
    judge(world.con, JudgeConfig())
    assert hub in world.flagged()
    judge(world.con, JudgeConfig(hub_min_share=1.01))
    assert hub not in world.flagged()


def test_quote_lockstep_alone_flags_only_automated_accounts(world: JudgeWorld) -> None:
    """A young critic who quoted a politician in step with a flood is not flagged by that lockstep alone;
    an automated account in the same position is (quotes of outside posts need the account's own sign)."""
    members = ring(world)
    critic = world.account("critic", age_days=40)
    bot = world.account("flooder", age_days=40)
    world.automation(critic, 0.05)
    world.automation(bot, 0.9)
    world.con.execute("INSERT INTO community_members VALUES (1, ?, 0, 0.0), (1, ?, 0, 0.0)", [critic, bot])
    world.con.execute(
        "INSERT INTO lockstep_groups VALUES (7, ?, 3, 'quote'), (7, ?, 3, 'quote')", [critic, bot]
    )
    judge(world.con, JudgeConfig())
    flagged = world.flagged()
    assert set(members) <= flagged
    assert bot in flagged and critic not in flagged


def pod(w: JudgeWorld, n: int = 8, *, mutual: bool = True) -> list[str]:
    """Community 1: old, human-looking accounts co-liking, who all repost one politician with a public
    audience (so the closed-loop indicator stays off). With ``mutual``, every member's own post is also
    reposted by every other member (an engagement pod)."""
    members = w.accounts("pod", n, age_days=3000)
    for m in members:
        w.automation(m, 0.05)
    w.clique(members, layer="like")
    if mutual:
        for m in members:
            w.amplify(m, [o for o in members if o != m], posts=1)
    w.community(1, members, hubs=[politician(w, members)], layers=["like"])
    return members


def test_mutual_amplification_pod_is_a_campaign(world: JudgeWorld) -> None:
    """A group whose members amplify each other's own posts (not a public figure's) is an engagement
    pod: the pod indicator alone reaches campaign_min, and members with their own co-action are flagged."""
    members = pod(world)
    judge(world.con, JudgeConfig())
    (i_pod, i_no_hub, evidence), *_ = world.con.execute(
        "SELECT i_pod, i_no_hub, evidence FROM assess_groups WHERE community_id = 1"
    ).fetchall()
    assert i_pod == 1.0 and i_no_hub == 0 and evidence >= JudgeConfig().campaign_min
    assert world.campaigns() == {1}
    assert world.flagged() == set(members)


def test_fans_amplifying_one_public_figure_are_no_pod(world: JudgeWorld) -> None:
    """The same group amplifying only the established politician: no pod, no campaign."""
    pod(world, mutual=False)
    judge(world.con, JudgeConfig())
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(0.0,)]
    assert world.campaigns() == set() and world.flagged() == set()


def test_pod_needs_at_least_pod_min_amplifiers_each(world: JudgeWorld) -> None:
    """A member counts towards the pod only when that many other members amplify its posts."""
    pod(world, n=6)
    judge(world.con, JudgeConfig(pod_min_amplifiers=6))  # 5 others amplify each member: none counts
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(0.0,)] and world.campaigns() == set()


def test_members_who_amplify_nobody_do_not_dilute_a_pod(world: JudgeWorld) -> None:
    """A pod of 8 whose community also holds 6 critics who only quote the same politician (quote lockstep
    pulls them in): the pod share is over the members who amplify other members, at least half the group."""
    members = pod(world)
    critics = world.accounts("critic", 6, age_days=4000)
    for c in critics:
        world.automation(c, 0.05)
    world.con.execute("DELETE FROM communities WHERE community_id = 1")
    world.con.execute("DELETE FROM community_members WHERE community_id = 1")
    hub = world.con.execute("SELECT uid FROM accounts WHERE handle LIKE 'politician%'").fetchall()[0][0]
    world.community(1, [*members, *critics], hubs=[hub], layers=["like", "lockstep"])
    judge(world.con, JudgeConfig())
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(1.0,)]
    assert world.campaigns() == {1}
    assert world.flagged() == set(members)  # the critics have no co-action of their own


def test_a_small_mutual_circle_in_a_large_group_is_no_pod(world: JudgeWorld) -> None:
    """Three friends reposting each other's posts inside a community of twelve (the others amplify only the
    politician, who is not a member): counted over half the group at least, their share is 0.5, below
    pod_min_share."""
    members = pod(world, n=12, mutual=False)
    for m in members[:3]:
        world.amplify(m, [o for o in members[:3] if o != m], posts=1)
    judge(world.con, JudgeConfig())
    (i_pod,), *_ = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == 0.0  # 3 pod members over max(3 amplifying members, half the group 6): 0.5 < 0.6
    assert world.campaigns() == set()
    judge(world.con, JudgeConfig(pod_min_share=0.0))
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(pytest.approx(3 / 6),)]


@pytest.mark.parametrize("pair", [("deceptive", "claims"), ("copy", "foreign")], ids=lambda p: "+".join(p))
def test_two_content_or_origin_indicators_need_some_inauthentic_behaviour(
    world: JudgeWorld, pair: tuple[str, str]
) -> None:
    """Old, human accounts amplifying a public figure with two content/origin indicators reach
    campaign_min on evidence, but show no behaviour of their own (behaviour_min): no campaign. Without
    the behaviour floor the same group would be one."""
    members = world.accounts("m", 6, age_days=2500)
    world.clique(members)
    hubs = [politician(world, members)]
    layers = ["repost", "text"] if "copy" in pair else ["repost"]
    world.community(1, members, hubs=hubs, layers=layers)
    for m in members:
        world.automation(m, 0.05)
        if "deceptive" in pair:
            world.con.execute("INSERT INTO origin_link_accounts VALUES (?, 0.95, 0, 0, 4)", [m])
            world.claim(m)
        else:
            world.con.execute(
                "INSERT INTO origin_timezone VALUES (?, 'account', 0.95, 8, 'office', false)", [m]
            )
    judge(world.con, JudgeConfig())
    (evidence, behaviour), *_ = world.con.execute(
        "SELECT evidence, behaviour FROM assess_groups WHERE community_id = 1"
    ).fetchall()
    assert evidence >= JudgeConfig().campaign_min and behaviour == 0.0
    assert world.campaigns() == set() and world.flagged() == set()
    judge(world.con, JudgeConfig(behaviour_min=0.0))
    assert world.campaigns() == {1}


def test_fans_who_like_each_other_now_and_then_are_no_pod(world: JudgeWorld) -> None:
    """An idol inside its fans' community, reposted by all ten fans; four fans' own posts are also
    reposted by two other fans. Five members are amplified by two others or more, 0.5 of the ten members
    who amplify other members, below pod_min_share: the pod indicator stays 0."""
    fans = world.accounts("fan", 10, age_days=3000)
    idol = world.account("idol", age_days=4000, verified=True, followers=500_000)
    for f in fans:
        world.automation(f, 0.05)
    world.clique(fans, layer="like")
    world.amplify(idol, [*fans, *world.accounts("citizen", PUBLIC, age_days=3000)], posts=2)
    world.amplify(fans[0], [fans[1], fans[2]], posts=1)
    world.amplify(fans[1], [fans[2], fans[3]], posts=1)
    world.amplify(fans[2], [fans[3], fans[4]], posts=1)
    world.amplify(fans[3], [fans[4], fans[5]], posts=1)
    world.community(1, [*fans, idol], hubs=[idol], layers=["like"])
    judge(world.con, JudgeConfig())
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(0.0,)] and world.campaigns() == set()
    judge(world.con, JudgeConfig(pod_min_share=0.3))
    i_pod = world.con.execute("SELECT i_pod FROM assess_groups WHERE community_id = 1").fetchall()
    assert i_pod == [(pytest.approx(5 / 10),)]


def test_bystanders_drawn_into_a_flood_group_do_not_dilute_its_evidence(world: JudgeWorld) -> None:
    """A group is judged on the members it could flag: old critics tied to a flood only by quoting the
    same posts are neither flagged nor counted, so 20 of them do not hide 6 fresh flood accounts."""
    flood = world.accounts("flood", 6, age_days=20)
    critics = world.accounts("critic", 20, age_days=3000)
    world.clique(flood, layer="quote")
    for c in critics:
        for f in flood[:3]:
            world.edge(c, f, layer="quote")
    world.community(1, [*flood, *critics], layers=["quote"])
    assert judge(world.con, JudgeConfig()) == len(flood)
    assert world.flagged() == set(flood)
    n, fresh = world.con.execute("SELECT n, i_fresh FROM assess_groups WHERE community_id = 1").fetchone()
    assert n == len(flood) and fresh == pytest.approx(6 / 8)


def test_a_group_of_bystanders_alone_is_no_campaign(world: JudgeWorld) -> None:
    """The same old critics with nobody fresh among them: no member to judge, no campaign, nobody flagged."""
    critics = world.accounts("critic", 20, age_days=3000)
    world.clique(critics, layer="quote")
    world.community(1, critics, layers=["quote"])
    assert judge(world.con, JudgeConfig()) == 0
    assert world.campaigns() == set()
