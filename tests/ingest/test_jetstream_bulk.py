"""The SQL path for Jetstream gives the Python reader's store exactly: real records, a simulated world and
hostile lines, read both ways and compared table by table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import Ingestor, ingest, jetstream_bulk
from kagami.ingest.base import Source
from kagami.store import Store
from tests.ingest.helpers import snapshot

A = "did:plc:sakura2kagamitestaccount"
B = "did:plc:tanaka3kagamitestaccount"
POST = f"at://{B}/app.bsky.feed.post/3lbeq8a2kxs2b"
TEXT = "【速報】選挙の最新情報はこちら👉 nhk.or.jp/news… #選挙2024 @tanaka.bsky.social さんも見てね🗳️"
CID = "bafkreigi3s6chwrn54xtgaoarg22uk4k6jommycnqvwblc5fr5mlh4wsny"
BLOB = {"$type": "blob", "ref": {"$link": CID}}
LIKE = "app.bsky.feed.like"
PROFILE = "app.bsky.actor.profile"
EMB = "app.bsky.embed."


def link(uri: Any) -> dict[str, Any]:
    return {"$type": "app.bsky.richtext.facet#link", "uri": uri}


def tag(name: Any) -> dict[str, Any]:
    return {"$type": "app.bsky.richtext.facet#tag", "tag": name}


def mention(did: Any) -> dict[str, Any]:
    return {"$type": "app.bsky.richtext.facet#mention", "did": did}


def facet(start: Any, end: Any, *features: Any) -> dict[str, Any]:
    return {"index": {"byteStart": start, "byteEnd": end}, "features": list(features)}


FACETS = [facet(50, 67, link("https://www3.nhk.or.jp/news/?utm_source=x")), facet(68, 79, tag("選挙2024")),
          facet(80, 99, mention(B))]  # fmt: skip


def event(commit: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"did": A, "time_us": 1732060800000001, "kind": "commit"}
    if commit is not None:
        base["commit"] = {"rev": "3lbeq7zs2222a", "operation": "create", "rkey": "3lbeq7ztb4k2a", **commit}
    return {**base, **top}


def rec(collection: str, record: Any = None, **commit: Any) -> dict[str, Any]:
    """A commit event of one collection (a create with ``record``, unless ``commit`` says otherwise)."""
    return event({"collection": collection, **({"record": record} if record is not None else {}), **commit})


def post(**record: Any) -> dict[str, Any]:
    return rec("app.bsky.feed.post", {"$type": "app.bsky.feed.post", "text": TEXT,
                                      "createdAt": "2024-11-20T00:00:01.123Z", **record})  # fmt: skip


def embed(kind: str, **fields: Any) -> dict[str, Any]:
    return post(embed={"$type": f"{EMB}{kind}", **fields})


def quote_with(media: dict[str, Any]) -> dict[str, Any]:
    return embed("recordWithMedia", record={"record": {"uri": POST}}, media=media)


def hostile_lines() -> Iterator[bytes]:
    """Lines an adversary can write: every one must read the same through SQL and through Python."""
    like = {"$type": LIKE, "subject": {"uri": POST}, "createdAt": "2024-11-20T00:02:10Z"}
    far = [
        facet(f["index"]["byteStart"] + 300_000, f["index"]["byteEnd"] + 300_000, *f["features"])
        for f in FACETS
    ]
    events: list[Any] = [
        post(facets=FACETS, langs=["ja"]),
        post(text="x" * 300_000 + TEXT, facets=far),
        post(facets=[facet(s, e, mention(B)) for s, e in [(-1, 5), (5, 3), (0, 999), (1, 2), (80, 98)]]),
        *(post(facets=[facet(s, 99, link("https://a.jp"))]) for s in ["80", 80.0, True, None, 2**63]),
        post(text="ascii only #tag @bob.test", facets=[facet(11, 15, tag("tag")),
                                                       facet(16, 25, mention(B), link("http://bob.test"))]),
        post(facets=[5, None, {"index": 5, "features": "x"},
                     {"index": [], "features": [5, None, {"$type": "link", "uri": "https://a.jp"}]}]),
        post(facets=[facet(0, 3, link(5))]),
        post(facets=[facet(0, 3, {"$type": 7, "tag": "x"}, tag("###"), {"tag": "y"})]),
        post(facets=[facet(0, 0, mention("did:plc:z"))], tags=["##選挙2024", "選挙2024", None, ""]),
        post(text="🗳️x", facets=[facet(s, e, mention(B)) for s, e in [(0, 4), (0, 7), (2, 8), (4, 7)]]),
        post(tags=[5]), post(tags="選挙"), post(langs="ja"), post(langs=[5]), post(langs=[]),
        post(langs=[None, "ja"]),
        post(text=5), post(text=None), post(reply="x"),
        post(reply={"parent": {"uri": POST}, "root": {"uri": ""}}), post(reply={"parent": {"uri": ""}}),
        post(reply={"parent": {"uri": 5}}), post(reply={"parent": {"uri": True}}),
        post(reply={"root": {"uri": 1.5}}),
        post(embed={"$type": "app.bsky.embed.external", "external": {"uri": "https://www3.nhk.or.jp/news"}},
             facets=FACETS),
        embed("external", external={"uri": 5}), embed("external", external={"uri": ""}),
        embed("record", record={"uri": f"at://{A}/app.bsky.feed.like/x"}),
        post(embed={"$type": "record", "record": {"uri": POST}}, reply={"parent": {"uri": POST}}),
        quote_with({"$type": f"{EMB}images", "images": [{"image": BLOB}, None, 5, {"image": "x"}]}),
        quote_with({"$type": f"{EMB}recordWithMedia", "media": {"$type": f"{EMB}video", "video": BLOB}}),
        quote_with({"$type": f"{EMB}external", "external": {"uri": "https://a.jp/"}}),
        embed("images", images=[{"image": {"ref": {"$link": ""}, "cid": CID}}, {"image": {"ref": "x"}}]),
        embed("images", images=[{"image": {"ref": {"$link": 5}}}]),
        post(embed={"$type": "images", "images": "x"}),
        embed("video", video="x"), embed("video"), post(embed={"$type": 5}),
        *(post(createdAt=t) for t in ["2024-11-20", 1732060800, " 2024-11-20T00:00:01Z", "2024-02-30T00:00Z",
                                      "0001-01-01T00:00:00+01:00", "Wed Oct 10 20:19:24 +0000 2018", "", None,
                                      "2024-11-20T09:00:01.5+09:00", "2024-02-30T00:00:00Z"]),
        post(**{"$type": LIKE}), post(**{"$type": None}),
        rec(LIKE, like), rec(LIKE, {**like, "subject": POST}), rec(LIKE, {**like, "subject": {"uri": 5}}),
        rec(LIKE, {**like, "subject": ""}),
        rec("app.bsky.feed.repost", {**like, "$type": "app.bsky.feed.repost"}),
        rec("app.bsky.graph.follow", {"subject": B}), rec("app.bsky.graph.follow", {"subject": "bob"}),
        rec(PROFILE, {"displayName": "さくら", "avatar": BLOB}), rec(PROFILE, {"displayName": 5}),
        rec(PROFILE, {"avatar": {}}), rec(PROFILE, {"avatar": ""}),
        event({"collection": PROFILE, "record": None}),
        rec("app.bsky.graph.block", "x"), rec("app.bsky.graph.block"), rec("a/b", {}),
        rec("app.bsky.feed.post", rkey="a/b", operation="delete"), rec("x.y", rkey="a/b", operation="delete"),
        rec(LIKE, operation="delete", rev=5), rec(LIKE, operation="delete", rev=1.5),
        rec("app.bsky.graph.follow", operation="delete", rev=""), rec("app.bsky.feed.post", operation="undo"),
        event({"collection": 5, "record": {}}), rec("app.bsky.feed.post", {}, rkey=5),
        event(kind="identity", identity={"handle": "sakura.bsky.social", "time": "2024-11-20T00:00:00.5Z"}),
        event(kind="identity", identity={"handle": "handle.invalid"}),
        event(kind="identity", identity={"handle": 5}),
        event(kind="identity", identity={"handle": "a.jp", "time": "yesterday"}),
        event(kind="identity", identity="x"),
        event(kind="account", account={"active": False, "seq": 9, "status": "takendown"}),
        event(did=5), event(did="plc:x"),
        event(did="did:a/b", commit={"collection": LIKE, "operation": "delete"}),
        event(time_us="1732060800000001"), event(time_us=1.5), event(time_us=-1), event(time_us=2**64 - 1),
        event(kind=5), event(kind="other"), [1, 2], "event",
    ]  # fmt: skip
    for i, ev in enumerate(events):  # one record each, so that no line's record replaces another's
        if isinstance(ev, dict) and ev.get("commit", {}).get("rkey") == "3lbeq7ztb4k2a":
            ev["commit"]["rkey"] = f"3lbeq{i:04d}"
        yield orjson.dumps(ev)
    for n, edit in enumerate(TEXTUAL):  # one record each again
        ev = post(facets=FACETS)
        ev["commit"]["rkey"] = f"3lbeqt{n:03d}"
        yield edit(orjson.dumps(ev))


#: Lines written as text: what orjson and DuckDB might parse differently, and what no JSON writer emits.
TEXTUAL: list[Callable[[bytes], bytes]] = [
    lambda ok: ok[:-1] + b',"x":{"y":1,}}',  # a trailing comma DuckDB accepts and orjson refuses
    lambda ok: ok[:-1] + b',"x":NaN}',
    lambda ok: ok[:-1] + b',"x":1e999}',
    lambda ok: ok[:-1] + b',"x":' + b"[" * 1100 + b"]" * 1100 + b"}",  # deeper than orjson reads
    lambda ok: ok[:-1] + b',"x":' + b"[" * 400 + b"]" * 400 + b"}",
    lambda ok: ok.replace(b'{"did":', b'{"did":"did:plc:first","did":'),  # a key written twice
    lambda ok: ok.replace(b'"byteEnd":67', b'"byteEnd":67,"byteEnd":60'),
    lambda ok: ok.replace(b'"uri":"https', b'"uri":"https://evil.example","uri":"https'),
    lambda ok: ok.replace(b'"text"', b'"t\\u0065xt":"first","text"'),
    lambda ok: ok.replace(b'"rev"', b'"rev":"3lfirst","rev"'),
    lambda ok: ok.replace("速報".encode(), b"\xff\xfe"),  # invalid UTF-8
    lambda ok: ok.replace("速報".encode(), b"\\ud800"),  # a lone surrogate
    lambda ok: ok.replace("速報".encode(), b"\\u0000 NUL"),
    lambda ok: ok.replace(b"1732060800000001", b"18446744073709551616"),  # past 64 bits: a float to orjson
    lambda ok: ok[:-10],  # cut off
    lambda ok: b"",
    lambda ok: b"   ",
    lambda ok: ok + b"\r",
    lambda ok: ok,
]


@pytest.fixture
def bluesky_records(shared_data: Path, tmp_path: Path) -> Path:
    """Every AT Protocol record in the real Bluesky captures, as the Jetstream events that carry them."""
    lines: list[bytes] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            uri, rec = node.get("uri"), node.get("value", node.get("record"))
            if isinstance(uri, str) and uri.startswith("at://") and isinstance(rec, dict):
                did, coll, rkey = uri[5:].split("/")
                commit = {"rev": "3k2yinh52ne2x", "collection": coll, "rkey": rkey}
                lines.append(orjson.dumps(event({**commit, "record": rec}, did=did)))
                lines.append(orjson.dumps(event({**commit, "operation": "delete"}, did=did)))
            if isinstance(node.get("did"), str) and isinstance(node.get("handle"), str):
                lines.append(
                    orjson.dumps(event(did=node["did"], kind="identity", identity={"handle": node["handle"]}))
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for f in sorted((shared_data / "formats" / "bluesky").glob("*.json")):
        walk(orjson.loads(f.read_bytes()))
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def both_ways(paths: list[Path]) -> tuple[Store, Store]:
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, paths, bulk=False)
    ingest(sql, paths, bulk=True)
    return py, sql


def test_real_records_read_the_same(bluesky_records: Path) -> None:
    py, sql = both_ways([bluesky_records])
    assert snapshot(py) == snapshot(sql)
    kinds = dict(sql.con.execute("SELECT kind, count(*) FROM actions GROUP BY kind").fetchall())
    assert kinds["like"] >= 2 and kinds["unlike"] >= 2 and kinds["delete_post"] >= 3
    # the record whose $type is not its collection is quarantined, by Python, on both paths
    assert (
        sql.scalar("SELECT count(*) FROM quarantine WHERE reason LIKE '%does not match its collection%'") == 1
    )


def test_simulated_world_reads_the_same(sim_world: Callable[[str, int, float], Path]) -> None:
    py, sql = both_ways([sim_world("dev", 1, 0.05) / "bsky.jsonl"])
    assert snapshot(py) == snapshot(sql)
    assert sql.count("posts") > 5000 and sql.count("actions") > 3000


def test_hostile_lines_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(hostile_lines()))
    py, sql = both_ways([path])
    assert snapshot(py) == snapshot(sql)
    assert sql.count("quarantine") > 20 and sql.count("posts") > 30
    text, link = sql.con.execute("SELECT text, links[1] FROM posts WHERE length(text) > 300000").fetchone()  # type: ignore[misc]
    assert text[link["start"] : link["end"]] == "nhk.or.jp/news…" and link["start"] == 300_017


def test_sql_maps_the_common_events_and_hands_back_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(hostile_lines()))
    handed: list[int] = []
    with Store(":memory:") as store:
        last, _, emitted = jetstream_bulk.read_bulk(
            store, Source.open(path), ("jetstream", "1"), lambda n, raw: handed.append(n)
        )
    raw = path.read_bytes().split(b"\n")
    assert last == len(raw)
    assert emitted["posts"] > 20 and emitted["actions"] >= 4 and emitted["accounts"] >= 2
    back = {raw[n - 1] for n in handed}
    assert 1 not in handed and raw[0].startswith(b'{"did"')  # the plain post stays in SQL
    assert all(
        b"1e999" in r or b"NaN" in r for r in back if b'"x":' in r and b"[[" not in r and b",}" not in r
    )
    assert len(handed) < len(raw) * 2 // 3


def test_chunks_and_reruns_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(
        b"\n".join(hostile_lines()) + b"\n" + b"\n".join(orjson.dumps(post(text=f"{i}")) for i in range(50))
    )
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [path], bulk=False)
    monkeypatch.setattr(jetstream_bulk, "CHUNK_BYTES", 16_000)  # many chunks, lines cut at their ends
    ingest(sql, [path], bulk=True)
    assert snapshot(py) == snapshot(sql)
    again = Ingestor(sql, bulk=True).ingest([path], force=True).counts
    assert (again.posts, again.accounts, again.actions, again.quarantined) == (0, 0, 0, 0)
    ingest(py, [path], bulk=True, force=True)
    assert snapshot(py) == snapshot(sql)
