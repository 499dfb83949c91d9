"""The event log: every simulated action in compact typed columns, and the texts posts carry.

Events are appended in any order by the generators and sorted by time only when written; an event's
index is its identity (platform ids are derived from it), so sorting never changes what refers to what.

>>> log = EventLog()
>>> p = log.add(10, X, POST, 3, content=log.text("こんにちは"))
>>> r = log.add(20, X, REPOST, 4, ref=p)
>>> f = log.freeze()
>>> f.kind.tolist(), f.ref.tolist(), f.contents[f.content[p]]
([0, 1], [-1, 0], 'こんにちは')
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

X, BSKY = 0, 1
PLATFORMS = ("x", "bsky")
POST, REPOST, QUOTE, REPLY, LIKE, FOLLOW, PROFILE, IDENTITY, DELETE, ACCOUNT = range(10)
KIND_NAMES = (
    "post",
    "repost",
    "quote",
    "reply",
    "like",
    "follow",
    "profile",
    "identity",
    "delete",
    "account",
)
#: Kinds that are posts with a text of their own (and so can be referenced, quoted, replied to).
AUTHORED = (POST, QUOTE, REPLY)


@dataclass(slots=True)
class FrozenLog:
    """The log as numpy arrays; ``order`` lists event indexes by time (ties by index)."""

    t: np.ndarray
    plat: np.ndarray
    kind: np.ndarray
    actor: np.ndarray
    ref: np.ndarray
    content: np.ndarray
    contents: list[str]
    order: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

    def counts(self, ref_kind: int) -> np.ndarray:
        """How many events of ``ref_kind`` point at each event (reposts, quotes, replies, likes)."""
        sel = (self.kind == ref_kind) & (self.ref >= 0)
        return np.bincount(self.ref[sel], minlength=len(self.t))


class EventLog:
    """Append-only columns; ``ref`` points at another event (or an account, for follows)."""

    def __init__(self) -> None:
        self.t = array("q")
        self.plat = array("b")
        self.kind = array("b")
        self.actor = array("l")
        self.ref = array("q")
        self.content = array("l")
        self.contents: list[str] = []

    def __len__(self) -> int:
        return len(self.t)

    def text(self, s: str) -> int:
        """Store a text and return its index."""
        self.contents.append(s)
        return len(self.contents) - 1

    def add(self, t_us: int, plat: int, kind: int, actor: int, ref: int = -1, content: int = -1) -> int:
        """Append one event and return its index."""
        self.t.append(int(t_us))
        self.plat.append(plat)
        self.kind.append(kind)
        self.actor.append(actor)
        self.ref.append(ref)
        self.content.append(content)
        return len(self.t) - 1

    def post(self, t_us: int, plat: int, actor: int, text: str, kind: int = POST, ref: int = -1) -> int:
        """Append an authored post (original, quote or reply) with its text."""
        return self.add(t_us, plat, kind, actor, ref, self.text(text))

    def freeze(self) -> FrozenLog:
        t = np.frombuffer(self.t, dtype=np.int64) if len(self.t) else np.zeros(0, np.int64)
        cols: list[np.ndarray] = [
            np.array(self.plat, dtype=np.int8),
            np.array(self.kind, dtype=np.int8),
            np.array(self.actor, dtype=np.int64),
            np.array(self.ref, dtype=np.int64),
            np.array(self.content, dtype=np.int64),
        ]
        plat, kind, actor, ref, content = cols
        return FrozenLog(
            t.copy(), plat, kind, actor, ref, content, self.contents, np.argsort(t, kind="stable")
        )
