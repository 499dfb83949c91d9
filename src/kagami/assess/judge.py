"""The judgement: which coordinated groups are campaigns, and which of their members are flagged.

Two gates, in this order (docs/analyze.md, "Judgement"):

1. **Behaviour first.** Only accounts in a *community* of the significant co-action graph
   (:mod:`kagami.detect.communities`) can be flagged: content or origin alone never flags. Inside a
   campaign group, an account is flagged only when its own coordination supports it — significant
   co-action with at least ``member_min_partners`` other members, or lockstep — and its coordination score
   reaches ``member_min_coordination``.
2. **Inauthenticity evidence.** Fans, party volunteers and newsrooms coordinate honestly. A community is
   a campaign only when the evidence that its coordination is *inauthentic* reaches ``campaign_min``. The
   evidence is a noisy-OR, E = 1 − ∏(1 − w_k · I_k), over indicators I_k in [0, 1], each the share of
   members carrying it (or 0/1 for group facts): young accounts, automated accounts, deceptive links
   (look-alike news domains, documented IO domains, state media), posts matching fact-checked claims,
   foreign schedule or script, copy-pasted own posts (the text layer), and a closed loop (no hub the
   group amplifies has an audience outside it: the group's own voice is the coordinated thing).
   Content and origin indicators (links, claims, foreign schedule or script, copy-paste) have weights
   below ``campaign_min``, so none of them makes a campaign alone: foreign fans and party supporters
   sharing a misleading claim coordinate honestly. The behavioural ones can: young or automated
   accounts, and a closed loop — the rule most likely to catch an honest circle of friends, which is
   why it needs ``min_size`` members and gives low confidence on its own.

Every threshold is a field of :class:`JudgeConfig`, written into campaigns.json with the run.

>>> JudgeConfig().campaign_min
0.5
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from kagami.store import sqlfiles

SQL = Path(__file__).parent / "sql" / "judge.sql"

#: Detector tables the judgement reads, with an empty stand-in for runs that skipped a detector.
STAND_INS = {
    "coaction_edges": "a VARCHAR, b VARCHAR, layer VARCHAR, weight DOUBLE, qvalue DOUBLE",
    "lockstep_groups": "group_id BIGINT, account_uid VARCHAR, targets BIGINT, layer VARCHAR",
    "community_members": "community_id BIGINT, account_uid VARCHAR, degree BIGINT, strength DOUBLE",
    "communities": "community_id BIGINT, size BIGINT, layers VARCHAR[], hubs VARCHAR[]",
    "automation_scores": "account_uid VARCHAR, score DOUBLE, top_reasons VARCHAR[]",
    "origin_timezone": "subject_uid VARCHAR, kind VARCHAR, confidence DOUBLE, best_offset_h INTEGER, "
    "schedule VARCHAR, jst_consistent BOOLEAN",
    "origin_language": "account_uid VARCHAR, confidence DOUBLE, simplified_share DOUBLE",
    "origin_link_accounts": "account_uid VARCHAR, confidence DOUBLE, state_media_posts BIGINT, "
    "io_posts BIGINT, lookalike_posts BIGINT",
    "claim_matches": "claim_id VARCHAR, post_uid VARCHAR, score DOUBLE",
    "origin_groups": "group_uid VARCHAR, tz_confidence DOUBLE, jst_consistent BOOLEAN, "
    "lang_confidence DOUBLE",
}


@dataclass(frozen=True, slots=True)
class JudgeConfig:
    """Every threshold and weight of the judgement (defaults chosen on dev seeds, documented)."""

    alpha: float = 0.01
    """Co-action layers count when their BH q-value is at most this (as for communities)."""
    strength_scale: float = 30.0
    """coordination = 1 − exp(−(Σ significant-edge weights + lockstep bonus) / strength_scale)."""
    lockstep_strength: float = 30.0
    """What lockstep membership adds to an account's strength (one strong significant edge's worth)."""
    young_days: int = 180
    """An account younger than this when first seen counts as young."""
    age_prior: float = 2.0
    """The young share is young / (known ages + age_prior): two young accounts of three known ages are
    weak evidence, 100 of 100 strong."""
    automated_min: float = 0.5
    """An automation score at least this counts as automated."""
    origin_min: float = 0.5
    """An origin indicator counts at this confidence or more."""
    w_fresh: float = 0.8
    w_automated: float = 0.8
    w_deceptive: float = 0.45
    w_claims: float = 0.4
    w_foreign: float = 0.3
    w_copy: float = 0.35
    w_no_hub: float = 0.5
    w_pod: float = 0.7
    """Mutual amplification (an engagement pod): the share of members whose own posts at least
    ``pod_min_amplifiers`` other members repost or like. A fandom or a ring amplifies a few hubs; a pod
    amplifies nearly every member (measured on dev worlds: pods 0.83-0.98, fandoms and parties at most
    0.15; a pod's critics, pulled in by quote lockstep, lower its share, hence 0.7: alone from 0.71)."""
    pod_min_amplifiers: int = 2
    pod_min_share: float = 0.6
    """The pod indicator counts only from this share up: fans like each other's posts too (fandoms measured
    0.13-0.43 on the dev, dev-wide and demo worlds; quote-flood pods 0.71-1.0)."""
    public_min: int = 10
    public_share: float = 0.25
    """A hub is a public account when at least max(public_min, public_share × group size) accounts outside
    the group engaged with its posts; a group with no public hub amplifies only itself."""
    campaign_min: float = 0.5
    """A group whose evidence reaches this is a campaign."""
    behaviour_min: float = 0.15
    """...and whose behavioural evidence alone (young and automated accounts, closed loop, pod) reaches this:
    content and origin indicators can raise a group's evidence, never stand in for signs that its own
    accounts are inauthentic (foreign fans copy-pasting a chant are neither young nor automated)."""
    min_size: int = 5
    """A campaign needs this many members — persons, not accounts: one person's X and Bluesky accounts
    posting the same texts count once — that are not self-declared bots (VIGINUM's "massive")."""
    declared_pattern: str = r"(^|[^a-z])bot([^a-z]|$)|ボット|自動投稿|自動配信|自動で|automated account"
    """Handle, name or bio matching this (lower-cased) declares automation: transparent, never flagged."""
    member_min_partners: int = 2
    member_min_coordination: float = 0.3
    participant_q: float = 0.25
    """Co-action with a flagged member counts towards participation at this q-value or less."""
    participant_min_partners: int = 3
    """A participant co-acts (suggestively) with at least this many flagged members of the campaign."""
    participant_exclude: tuple[str, ...] = ("quote", "reply")
    """Layers whose targets are usually outside accounts' posts: meeting a flood there is not joining it,
    unless the account itself is young or automated."""
    hub_min_share: float = 0.3
    """A hub joins its campaign when this share of engagements with its posts come from the group."""

    def params(self) -> dict[str, Any]:
        out = asdict(self)
        out["participant_exclude"] = list(self.participant_exclude)
        return out


def _stand_ins(con: duckdb.DuckDBPyConnection) -> None:
    present = {str(r[0]) for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name, columns in STAND_INS.items():
        if name not in present:
            con.execute(f"CREATE TEMP TABLE {name} ({columns})").fetchall()


def judge(con: duckdb.DuckDBPyConnection, config: JudgeConfig | None = None) -> int:
    """Write ``assess_accounts``, ``assess_groups`` and ``assess_verdicts``; return flagged accounts."""
    cfg = config or JudgeConfig()
    _stand_ins(con)
    sql = sqlfiles.sections(SQL)
    try:
        for name in ("inputs", "accounts", "eligible", "groups", "verdicts"):
            sqlfiles.run_script(con, sql[name], cfg.params())
    finally:
        sqlfiles.drop(con, ("_as_pairs", "_as_eng", "_as_counted", "_as_member"))
    return sqlfiles.count(con, "SELECT count(*) FROM assess_verdicts WHERE flagged")
