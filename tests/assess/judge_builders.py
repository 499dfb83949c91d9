"""Hand-built detector tables for the judgement tests: accounts, communities and signals written directly.

The judgement (``kagami.assess.judge``) reads the store's ``accounts`` and ``posts`` and the detectors'
tables. Here those tables are created with the columns the judgement reads (:data:`TABLES`; where
:data:`kagami.assess.judge.STAND_INS` declares a table, its columns are used) and filled with exactly the
facts a test needs. Handles are chosen so that none reads as a self-declared bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kagami.assess.judge import STAND_INS
from kagami.store import Store

T0 = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
STRONG = 25.0
"""The weight of one strong significant co-action edge (a few dozen shared targets within minutes)."""

#: The detector tables the judgement reads, with the columns it reads: judge.py's stand-ins.
TABLES = dict(STAND_INS)


@dataclass
class JudgeWorld:
    """A store whose detector tables are written by hand; only the tables in ``tables`` are created."""

    store: Store
    tables: Sequence[str] = tuple(TABLES)
    n_posts: int = 0
    communities: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.tables:
            self.store.con.execute(f"CREATE TABLE {name} ({TABLES[name]})").fetchall()

    @property
    def con(self) -> Any:
        return self.store.con

    def account(
        self, name: str, *, age_days: int = 3000, verified: bool = False, followers: int = 50, bio: str = ""
    ) -> str:
        """An account first seen at T0, created ``age_days`` before; returns its uid ``x:name``."""
        self.con.execute(
            "INSERT INTO accounts (uid, platform, id, handle, description, created_at, first_seen, "
            "last_seen, verified, followers, observations) VALUES (?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [f"x:{name}", name, name, bio, T0 - timedelta(days=age_days), T0, T0 + timedelta(days=20),
             verified, followers],
        )  # fmt: skip
        return f"x:{name}"

    def accounts(self, prefix: str, n: int, **kw: Any) -> list[str]:
        return [self.account(f"{prefix}{i}", **kw) for i in range(n)]

    def edge(self, a: str, b: str, *, weight: float = STRONG, q: float = 1e-8, layer: str = "repost") -> None:
        self.con.execute("INSERT INTO coaction_edges VALUES (?, ?, ?, ?, ?)", [a, b, layer, weight, q])

    def clique(self, members: Sequence[str], **kw: Any) -> None:
        """Significant co-action between every pair of ``members``."""
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self.edge(a, b, **kw)

    def community(
        self,
        cid: int,
        members: Sequence[str],
        *,
        hubs: Iterable[str] = (),
        layers: Sequence[str] = ("repost",),
    ) -> None:
        self.communities[cid] = list(members)
        self.con.execute(
            "INSERT INTO communities VALUES (?, ?, ?, ?)", [cid, len(members), list(layers), list(hubs)]
        )
        for m in members:
            self.con.execute("INSERT INTO community_members VALUES (?, ?, 2, 10.0)", [cid, m])

    def automation(self, uid: str, score: float) -> None:
        self.con.execute("INSERT INTO automation_scores VALUES (?, ?, ['regular timing'])", [uid, score])

    def lockstep(self, group: int, uids: Iterable[str], targets: int = 12) -> None:
        for u in uids:
            self.con.execute("INSERT INTO lockstep_groups VALUES (?, ?, ?, 'repost')", [group, u, targets])

    def foreign(self, uid: str, confidence: float = 0.95) -> None:
        """Every origin indicator at ``confidence``: off-JST schedule, simplified script, look-alike links."""
        self.con.execute(
            "INSERT INTO origin_timezone VALUES (?, 'account', ?, 8, 'office', false)", [uid, confidence]
        )
        self.con.execute("INSERT INTO origin_language VALUES (?, ?, 0.6)", [uid, confidence])
        self.con.execute("INSERT INTO origin_link_accounts VALUES (?, ?, 2, 3, 5)", [uid, confidence])

    def post(self, author: str, *, kind: str = "post", ref: str | None = None) -> str:
        self.n_posts += 1
        uid = f"x:p{self.n_posts}"
        self.con.execute(
            "INSERT INTO posts (uid, platform, id, author_uid, created_at, text, kind, ref_uid) "
            "VALUES (?, 'x', ?, ?, ?, 'text', ?, ?)",
            [uid, uid[2:], author, T0 + timedelta(minutes=self.n_posts), kind, ref],
        )
        return uid

    def claim(self, author: str, claim_id: str = "c1") -> None:
        """A post by ``author`` matching a fact-checked claim."""
        self.con.execute("INSERT INTO claim_matches VALUES (?, ?, 0.9)", [claim_id, self.post(author)])

    def amplify(self, hub: str, by: Iterable[str], posts: int = 2) -> None:
        """``hub`` writes ``posts`` posts and every account in ``by`` reposts each of them."""
        fans = list(by)
        for _ in range(posts):
            target = self.post(hub)
            for f in fans:
                self.post(f, kind="repost", ref=target)

    def verdicts(self) -> dict[str, tuple[bool, str, float]]:
        """uid -> (flagged, role, score) from ``assess_verdicts`` (flagged wins over unflagged rows)."""
        out: dict[str, tuple[bool, str, float]] = {}
        rows = self.con.execute(
            "SELECT uid, flagged, role, score FROM assess_verdicts ORDER BY flagged"
        ).fetchall()
        for uid, flagged, role, score in rows:
            out[uid] = (bool(flagged), str(role), float(score))
        return out

    def flagged(self) -> set[str]:
        return {u for u, (f, _r, _s) in self.verdicts().items() if f}

    def campaigns(self) -> set[int]:
        rows = self.con.execute("SELECT community_id FROM assess_groups WHERE is_campaign").fetchall()
        return {int(r[0]) for r in rows}
