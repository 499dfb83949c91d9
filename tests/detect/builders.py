"""Hand-built stores for the co-action tests: typed records written with ``Store.write_batch``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kagami.model import Action, Link, Post, RawRef
from kagami.store import Batch, Store

T0 = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
REF = RawRef("test.jsonl", "f" * 64, 1, "0" * 64, None, "test", "1")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass
class World:
    """Collects records, then loads them in one batch."""

    posts: list[Post] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    n: int = 0

    def _id(self) -> str:
        self.n += 1
        return f"i{self.n}"

    def post(
        self, author: str, t: float | None, text: str = "hello", pid: str | None = None, **kw: Any
    ) -> str:
        pid = pid or self._id()
        self.posts.append(Post("x", pid, author, None if t is None else at(t), text, REF, **kw))
        return f"x:{pid}"

    def repost(self, author: str, target: str, t: float) -> str:
        return self.post(author, t, "", kind="repost", ref_id=target)

    def quote(self, author: str, target: str, t: float) -> str:
        return self.post(author, t, "q", kind="quote", quote_of_id=target, ref_id=target)

    def reply(self, author: str, target: str, t: float) -> str:
        return self.post(author, t, "r", kind="reply", reply_to_id=target, ref_id=target)

    def link(self, author: str, url: str, t: float, normalized: str | None = None, kind: str = "post") -> str:
        return self.post(author, t, url, kind=kind, links=[Link(url, normalized=normalized or url)])

    def tag(self, author: str, tag: str, t: float) -> str:
        return self.post(author, t, f"#{tag}", hashtags=[tag])

    def like(
        self, actor: str, target: str, t: float | None, kind: str = "like", target_kind: str = "post"
    ) -> str:
        aid = self._id()
        self.actions.append(
            Action("x", aid, kind, actor, target, target_kind, None if t is None else at(t), REF)
        )
        return aid

    def load(self, store: Store) -> Store:
        store.write_batch(Batch(posts=self.posts, actions=self.actions))
        return store


#: ``coaction_edges`` with each edge's ``coaction_evidence`` rows gathered into a list in rank order, and
#: whether those ranks run 1, 2, ... without a gap.
EDGES_WITH_EVIDENCE = """
SELECT e.*, coalesce(v.evidence, []) AS evidence, coalesce(v.ranks_ok, true) AS ranks_ok
FROM coaction_edges e LEFT JOIN (
    SELECT layer, a, b,
           list(struct_pack(target := target, a_item := a_item, b_item := b_item, a_time := a_time,
                            b_time := b_time, gap_s := gap_s) ORDER BY rank) AS evidence,
           list(rank ORDER BY rank) = range(1, count(*) + 1) AS ranks_ok
    FROM coaction_evidence GROUP BY layer, a, b
) v ON v.layer = e.layer AND v.a = e.a AND v.b = e.b
"""
