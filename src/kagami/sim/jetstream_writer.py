"""Write Bluesky events as Jetstream emits them: one JSON envelope a line (``did``, ``time_us``, ``kind``
and a ``commit``, ``identity`` or ``account`` body), in time order.

Posts carry facets with UTF-8 byte offsets, link cards, quote embeds, image blobs and reply references;
record keys are TIDs of the event time and CIDs are stable per event.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson

from kagami.sim.clock import iso_ms
from kagami.sim.events import (
    ACCOUNT,
    AUTHORED,
    BSKY,
    DELETE,
    FOLLOW,
    IDENTITY,
    KIND_NAMES,
    LIKE,
    POST,
    PROFILE,
    QUOTE,
    REPLY,
    REPOST,
    FrozenLog,
)
from kagami.sim.ids import blob_cid, cid, mix64, tid
from kagami.sim.markup import links, render_bsky
from kagami.sim.world import World

COLLECTION = {
    POST: "app.bsky.feed.post",
    QUOTE: "app.bsky.feed.post",
    REPLY: "app.bsky.feed.post",
    REPOST: "app.bsky.feed.repost",
    LIKE: "app.bsky.feed.like",
    FOLLOW: "app.bsky.graph.follow",
}
FEATURE = {
    "tag": "app.bsky.richtext.facet#tag",
    "link": "app.bsky.richtext.facet#link",
    "mention": "app.bsky.richtext.facet#mention",
}


class BskyWriter:
    """Renders the Bluesky side of a frozen event log into Jetstream lines."""

    def __init__(self, world: World, log: FrozenLog, seed: int) -> None:
        self.world, self.log, self.seed = world, log, seed
        self.seen: set[int] = set()
        self.seq = 7_400_000_000
        self.profiled: set[int] = set()
        self.last_us = 0

    def did(self, account: int) -> str:
        return self.world.accounts[account].pid

    def rkey(self, i: int) -> str:
        return tid(int(self.log.t[i]), i)

    def uri(self, i: int) -> str:
        kind = int(self.log.kind[i])
        return f"at://{self.did(int(self.log.actor[i]))}/{COLLECTION[kind]}/{self.rkey(i)}"

    def strong(self, i: int) -> dict[str, str]:
        return {"cid": cid(mix64(self.seed, i)), "uri": self.uri(i)}

    def _post(self, i: int) -> dict[str, Any]:
        log = self.log
        content = log.contents[int(log.content[i])]
        text, facets = render_bsky(
            content, lambda a: (self.world.accounts[a].handle, self.world.accounts[a].pid)
        )
        rec: dict[str, Any] = {"text": text, "$type": "app.bsky.feed.post", "langs": ["ja"]}
        kind, ref = int(log.kind[i]), int(log.ref[i])
        urls = links(content)
        if kind == QUOTE:
            rec["embed"] = {"$type": "app.bsky.embed.record", "record": self.strong(ref)}
        elif urls:
            u = urls[0]
            rec["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": u, "title": u.split("/")[2], "description": ""},
            }
        elif kind == POST and mix64(self.seed, i, 5) % 100 < 7:
            h = mix64(self.seed, i, 6)
            rec["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "",
                        "image": {
                            "$type": "blob",
                            "ref": {"$link": blob_cid(h)},
                            "mimeType": "image/jpeg",
                            "size": 40_000 + h % 400_000,
                        },
                        "aspectRatio": {"width": 1200, "height": 900},
                    }
                ],
            }
        if kind == REPLY:
            root = ref
            while int(log.kind[root]) == REPLY and int(log.ref[root]) >= 0:
                root = int(log.ref[root])
            rec["reply"] = {"root": self.strong(root), "parent": self.strong(ref)}
        if facets:
            rec["facets"] = [
                {
                    "$type": "app.bsky.richtext.facet",
                    "index": {"byteStart": s, "byteEnd": e},
                    "features": [
                        {
                            "$type": FEATURE[k],
                            ("did" if k == "mention" else "uri" if k == "link" else "tag"): v,
                        }
                    ],
                }
                for s, e, k, v in facets
            ]
        rec["createdAt"] = iso_ms(int(log.t[i]))
        return rec

    def _profile(self, i: int) -> dict[str, Any]:
        a = self.world.accounts[int(self.log.actor[i])]
        c = int(self.log.content[i])
        rec: dict[str, Any] = {
            "$type": "app.bsky.actor.profile",
            "displayName": a.name,
            "description": self.log.contents[c] if c >= 0 else a.description,
        }
        if not a.default_avatar:
            rec["avatar"] = {
                "$type": "blob",
                "ref": {"$link": blob_cid(mix64(self.seed, a.idx, 3))},
                "mimeType": "image/jpeg",
                "size": 20_000 + a.idx % 90_000,
            }
        rec["createdAt"] = iso_ms(max(a.created_us, int(self.log.t[i]) - 1_000_000))
        return rec

    def line(self, i: int) -> dict[str, Any]:
        log = self.log
        kind, actor = int(log.kind[i]), int(log.actor[i])
        self.seen.add(actor)
        did = self.did(actor)
        t_us = max(self.last_us + 1, int(log.t[i]) + 150_000 + mix64(self.seed, i, 1) % 700_000)
        self.last_us = t_us
        if kind in (IDENTITY, ACCOUNT):
            self.seq += 1
            body: dict[str, Any] = {"did": did, "seq": self.seq, "time": iso_ms(int(log.t[i]))}
            if kind == IDENTITY:
                return {
                    "did": did,
                    "time_us": t_us,
                    "kind": "identity",
                    "identity": {**body, "handle": self.world.accounts[actor].handle},
                }
            return {"did": did, "time_us": t_us, "kind": "account", "account": {"active": True, **body}}
        commit: dict[str, Any] = {"rev": tid(t_us, i >> 10), "operation": "create"}
        if kind == DELETE:
            target = int(log.ref[i])
            commit.update(
                operation="delete", collection=COLLECTION[int(log.kind[target])], rkey=self.rkey(target)
            )
            return {"did": did, "time_us": t_us, "kind": "commit", "commit": commit}
        if kind == PROFILE:
            commit["operation"] = "update" if actor in self.profiled else "create"
            self.profiled.add(actor)
            commit.update(collection="app.bsky.actor.profile", rkey="self", record=self._profile(i))
        elif kind in AUTHORED:
            commit.update(collection=COLLECTION[kind], rkey=self.rkey(i), record=self._post(i))
        elif kind in (REPOST, LIKE):
            commit.update(
                collection=COLLECTION[kind],
                rkey=self.rkey(i),
                record={
                    "$type": COLLECTION[kind],
                    "subject": self.strong(int(log.ref[i])),
                    "createdAt": iso_ms(int(log.t[i])),
                },
            )
        else:  # FOLLOW
            commit.update(
                collection=COLLECTION[kind],
                rkey=self.rkey(i),
                record={
                    "$type": COLLECTION[kind],
                    "subject": self.did(int(log.ref[i])),
                    "createdAt": iso_ms(int(log.t[i])),
                },
            )
        commit["cid"] = cid(mix64(self.seed, i))
        return {"did": did, "time_us": t_us, "kind": "commit", "commit": commit}

    def write(self, path: Path) -> int:
        """Write every Bluesky event as one JSON line, in time order; return how many."""
        log = self.log
        idx = log.order[log.plat[log.order] == BSKY]
        with path.open("wb") as f:
            for lo in range(0, len(idx), 5000):
                f.write(b"".join(orjson.dumps(self.line(i)) + b"\n" for i in idx[lo : lo + 5000].tolist()))
        return len(idx)


def kinds_written(log: FrozenLog) -> dict[str, int]:
    """Counts of Bluesky events by kind name."""
    sel = log.kind[log.plat == BSKY]
    counts = np.bincount(sel, minlength=len(KIND_NAMES))
    return {KIND_NAMES[k]: int(c) for k, c in enumerate(counts) if c}
