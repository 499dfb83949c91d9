"""The SQL path for twarc2 gives the Python reader's store exactly, on lines an adversary writes: where
DuckDB and orjson parse a line differently, or ``from_json`` would cast a field the Python reader reads
another way, the line must go to the Python reader, and what it quarantines is quarantined alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kagami.ingest import ingest, twarc2_bulk
from kagami.ingest.base import Source
from kagami.store import Store
from tests.ingest.helpers import page, snapshot, tweet, user

URL = {"start": 6, "end": 29, "url": "https://t.co/abc", "expanded_url": "https://www3.nhk.or.jp/news/?a=1"}
TEXT = "【速報】選挙 https://t.co/abc #選挙 @tanaka さんも"
ENTITIES = {
    "urls": [URL],
    "hashtags": [{"start": 30, "end": 33, "tag": "選挙"}],
    "mentions": [{"start": 34, "end": 41, "username": "tanaka", "id": "77"}],
}
MEDIA = [{"media_key": "3_1", "type": "photo", "url": "https://pbs.twimg.com/media/a.jpg"}]


def good(n: int, tw: dict[str, Any] | None = None, us: dict[str, Any] | None = None, **top: Any) -> Any:
    """Page ``n``: one tweet quoting one included tweet, one user, one medium; ids unique to the page, so
    that no line's records replace another's. ``tw``, ``us`` and ``top`` override fields."""
    quoted = tweet(f"{n}2", f"{n}9", "引用元", public_metrics={"like_count": 1})
    main = tweet(
        f"{n}1", f"{n}8", TEXT, lang="ja", conversation_id=f"{n}1", entities=ENTITIES,
        referenced_tweets=[{"type": "quoted", "id": f"{n}2"}], attachments={"media_keys": ["3_1"]},
        public_metrics={"retweet_count": 2, "reply_count": 0, "like_count": 5, "quote_count": 1},
        withheld={"country_codes": ["IN"]}, source="Twitter Web App",
    )  # fmt: skip
    body = page([{**main, **(tw or {})}], [{**user(f"{n}8", f"u{n}"), **(us or {})}], [quoted])
    body["includes"]["media"] = MEDIA
    return {**body, **top}


def nested(path: str, value: Any) -> dict[str, Any]:
    """``{"a": {"b": value}}`` from ``"a.b"``."""
    out: Any = value
    for key in reversed(path.split(".")):
        out = {key: out}
    return dict(out)


TIMES = ["2025-07-20", "2025-07-20 03:00:00", "2025-07-20 03:00:00 Asia/Tokyo",
         "2025-07-20T03:00:00.1234567Z",
         "infinity", "-infinity", "epoch", "2025-07-20T24:00:00Z", " 2025-07-20T03:00:00Z ",
         "2025-07-20T03:00+09", "2025-07-20T03:00:00+09", "20250720T030000Z", "0001-01-01T00:00:00+01:00",
         "2025-02-30T00:00:00Z", "2025-07-20T03:00:00.5+09:00", "Wed Oct 10 20:19:24 +0000 2018",
         "1732060800", "", 1732060800, 1.5, True, [], {}]  # fmt: skip
#: Values of every JSON type; 2**63 and past are left out: the Python reader fails on them (see the report).
ODD = [5, 1.5, -1, 2**63 - 1, -(2**63), True, False, None, "", "5", "+5", " 5", "5.0", [], ["a"], {},
       {"a": 1}, 0]  # fmt: skip


def typed() -> Iterator[Any]:
    """Pages whose fields hold every JSON type: what ``from_json`` would cast, Python reads as it is."""
    for key in ("id", "text", "author_id", "lang", "conversation_id", "source", "in_reply_to_user_id",
                "referenced_tweets", "entities", "attachments", "public_metrics", "edit_history_tweet_ids",
                "withheld"):  # fmt: skip
        for v in ODD:
            yield lambda n, k=key, v=v: good(n, {k: v})
    for path in ("entities.urls", "entities.hashtags", "entities.mentions", "attachments.media_keys",
                 "public_metrics.like_count", "withheld.country_codes"):  # fmt: skip
        for v in ODD:
            yield lambda n, p=path, v=v: good(n, nested(p, v))
    for part, fields in (("urls", ("start", "end", "url", "expanded_url", "unwound_url")),
                         ("mentions", ("start", "username", "id")), ("hashtags", ("tag",))):  # fmt: skip
        for field in fields:
            for v in ODD:
                yield lambda n, p=part, f=field, v=v: good(n, {"entities": {p: [{**ENTITIES[p][0], f: v}]}})
    for v in ODD:
        yield lambda n, v=v: good(n, {"referenced_tweets": [{"type": "quoted", "id": v}]})
        yield lambda n, v=v: good(n, {"referenced_tweets": [{"type": v, "id": f"{n}2"}]})
        yield lambda n, v=v: good(n, {"referenced_tweets": [v, {"type": "replied_to", "id": "4"}]})
        yield lambda n, v=v: good(n, {"edit_history_tweet_ids": [f"{n}1", v]})
        yield lambda n, v=v: good(n, {"withheld": {"country_codes": ["JP", v]}})
        yield lambda n, v=v: good(n, {"attachments": {"media_keys": [v, "3_1"]}})
        for key in ("id", "username", "name", "verified", "protected", "url", "profile_image_url"):
            yield lambda n, k=key, v=v: good(n, us={k: v})
        yield lambda n, v=v: good(n, us={"public_metrics": v})
        yield lambda n, v=v: good(n, us={"public_metrics": {"followers_count": v}})
        for key in ("includes", "__twarc", "meta"):
            yield lambda n, k=key, v=v: good(n, **{k: v})
        for part in ("users", "tweets", "media"):
            yield lambda n, p=part, v=v: (lambda g: {**g, "includes": {**g["includes"], p: v}})(good(n))
            yield lambda n, p=part, v=v: (lambda g: {**g, "includes": {**g["includes"], p: [v]}})(good(n))
        for key in ("media_key", "type", "url"):
            yield lambda n, k=key, v=v: good(n, includes={"media": [{**MEDIA[0], k: v}]})
        yield lambda n, v=v: good(n, data=[v])
    for t in TIMES:
        yield lambda n, t=t: good(n, {"created_at": t})
        yield lambda n, t=t: good(n, us={"created_at": t})
        yield lambda n, t=t: good(n, __twarc={"retrieved_at": t})


#: Lines written as text, from a plain page: what orjson and DuckDB parse differently, and worse.
TEXTUAL: list[Callable[[bytes], bytes]] = [
    lambda ok: ok[:-1] + b',"x":{"y":1,}}',  # a trailing comma DuckDB accepts and orjson refuses
    lambda ok: ok.replace(b'"source":"Twitter Web App"}', b'"source":"Twitter Web App" ,\t}'),
    lambda ok: ok.replace(b'"like_count":5', b'"like_count":5,'),
    lambda ok: ok.replace(b'"media_keys":["3_1"]', b'"media_keys":["3_1" , ]'),
    *(lambda ok, v=v: ok[:-1] + b',"x":' + v + b"}" for v in (b"NaN", b"nan", b"-Infinity", b"inf", b"Inf")),
    lambda ok: ok.replace(b'"like_count":5', b'"like_count":NaN'),
    lambda ok: ok[:-1] + b',"x":[1e999]}',
    lambda ok: ok[:-1] + b',"x":-1E+400}',
    lambda ok: ok[:-1] + b',"x":1' + b"0" * 400 + b"}",  # overflows a double without an exponent
    lambda ok: ok[:-1] + b',"x":1' + b"0" * 400 + b".5e-10}",
    lambda ok: ok[:-1] + b',"x":[1,1' + b"0" * 400 + b"]}",
    lambda ok: ok[:-1] + b',"x":[1' + b"0" * 400 + b"]}",
    lambda ok: ok[:-1] + b',"x":' + b"[" * 1030 + b"]" * 1030 + b"}",  # deeper than orjson reads
    lambda ok: ok[:-1] + b',"x":' + b'{"a":[' * 520 + b"]}" * 520 + b"}",
    lambda ok: ok[:-1] + b',"x":[1,' + b"[" * 1030 + b"]" * 1030 + b"]}",  # the depth behind mixed types
    lambda ok: ok[:-1] + b',"x":' + b"[" * 1000 + b"]" * 1000 + b"}",
    lambda ok: ok.replace(b'{"data":', b'{"data":[],"data":'),  # keys written twice
    lambda ok: ok.replace(b'"text":', b'"text":"first","text":', 1),
    lambda ok: ok.replace(b'"text":', b'"t\\u0065xt":"first","text":', 1),
    lambda ok: ok.replace(b'"author_id":', b'"author_id":"666","author_id":', 1),
    lambda ok: ok.replace(b'"id":', b'"id":"666","id":', 1),
    lambda ok: ok.replace(b'"expanded_url":', b'"expanded_url":"https://evil.example/","expanded_url":'),
    lambda ok: ok.replace(b'"tag":', b'"tag":"first","tag":'),
    lambda ok: ok.replace(b'"start":34', b'"start":34,"start":0'),
    lambda ok: ok.replace(b'"like_count":5', b'"like_count":5,"like_count":7'),
    lambda ok: ok.replace(b'"media_keys"', b'"media_keys":["x"],"media_keys"'),
    lambda ok: ok.replace(b'"username":', b'"username":"first","username":'),
    lambda ok: ok.replace(b'"retrieved_at":', b'"retrieved_at":"2020-01-01T00:00:00Z","retrieved_at":'),
    lambda ok: ok.replace(b'"users":', b'"users":[],"users":'),
    lambda ok: ok.replace(b'"media_key":', b'"media_key":"3_9","media_key":'),
    lambda ok: ok.replace(b'"type":"quoted"', b'"type":"replied_to","type":"quoted"'),
    lambda ok: ok.replace(b'"meta":{', b'"meta":{"a":1,"a":2,'),  # in a part neither reader reads
    lambda ok: ok.replace("速報".encode(), b"\xff\xfe"),  # invalid UTF-8
    lambda ok: ok.replace("速報".encode(), b"\\ud800"),  # a lone surrogate
    lambda ok: ok.replace("速報".encode(), b"\\udc00x"),
    lambda ok: ok.replace("速報".encode(), b"\\u0000 NUL {} [] \\\\u0069"),
    lambda ok: ok.replace("速報".encode(), "\u2028\u00a0".encode()),
    lambda ok: b"\xef\xbb\xbf" + ok,  # a byte order mark
    lambda ok: b" \t" + ok + b" \r",
    lambda ok: ok + b"\x0c",
    lambda ok: ok + b" {}",
    lambda ok: ok[:-10],  # cut off
    lambda ok: b"",
    lambda ok: b"[" + ok + b"]",
    lambda ok: ok,
]


def hostile_lines() -> Iterator[bytes]:
    """Every typed page and every textual edit, one page each, after a plain first page."""
    yield orjson.dumps(good(1))
    for n, make in enumerate(typed(), 100):
        yield orjson.dumps(make(n))
    for n, edit in enumerate(TEXTUAL, 9000):
        yield edit(orjson.dumps(good(n)))


def both_ways(path: Path) -> tuple[Store, Store]:
    py, sql = Store(":memory:"), Store(":memory:")
    ingest(py, [path], bulk=False)
    ingest(sql, [path], bulk=True)
    return py, sql


def test_hostile_pages_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(hostile_lines()))
    py, sql = both_ways(path)
    assert snapshot(py) == snapshot(sql)
    assert sql.count("quarantine") > 100 and sql.count("posts") > 500


def test_sql_maps_plain_pages_and_hands_back_the_rest(tmp_path: Path) -> None:
    """Plain pages stay in SQL (so the guards do not send everything to Python); the rest is handed back."""
    lines = list(hostile_lines())
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines))
    handed: list[int] = []
    with Store(":memory:") as store:
        last, _, emitted = twarc2_bulk.read_bulk(
            store, Source.open(path), ("twarc2", "1"), lambda n, raw: handed.append(n)
        )
    assert last == len(lines) and 1 not in handed and len(lines) not in handed
    assert emitted["posts"] > 200 and len(handed) > 300
    back = {lines[n - 1] for n in handed}
    for i, edit in enumerate(TEXTUAL[:19] + TEXTUAL[20:35]):  # all but the nesting both read
        assert edit(orjson.dumps(good(9000 + TEXTUAL.index(edit)))) in back, i


@pytest.fixture
def real_pages(shared_data: Path) -> list[bytes]:
    """The first page of tweets of each real capture that has one."""
    out = []
    for f in sorted((shared_data / "formats" / "twarc2").glob("*.jsonl")):
        first = f.read_bytes().split(b"\n", 1)[0]
        try:
            obj = orjson.loads(first)
        except orjson.JSONDecodeError:
            continue
        data = obj.get("data") if isinstance(obj, dict) else None
        if isinstance(data, list) and data and "text" in data[0] and first not in out:
            out.append(first)  # one copy of each: a payload on two lines is another question
    return out


def test_real_pages_edited_read_the_same(real_pages: list[bytes], tmp_path: Path) -> None:
    """Real pages (``", "`` and ``": "`` separators) stay in SQL; with each textual edit, they read alike."""
    assert len(real_pages) >= 10
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(b"\n".join(real_pages))
    handed: list[int] = []
    with Store(":memory:") as store:
        twarc2_bulk.read_bulk(store, Source.open(plain), ("twarc2", "1"), lambda n, raw: handed.append(n))
    assert handed == []
    spaced = TEXTUAL[:36]  # up to the key written twice in a part neither reads
    lines = list(real_pages)
    for i, edit in enumerate(spaced):
        lines.append(edit(real_pages[i % len(real_pages)].replace(b'": ', b'":').replace(b", ", b",")))
        lines.append(edit(real_pages[(i + 3) % len(real_pages)]))
    lines += [
        real_pages[0].replace(b'"text": ', b'"text": "first", "text": ', 1),
        real_pages[1].replace(b'"id": ', b'"id": "1", "id": ', 1),
        real_pages[2].replace(b'"username": ', b'"username": "x", "username": ', 1),
        real_pages[3][:-1] + b', "x": NaN}',
        real_pages[4][:-1] + b', "x": [1, 2, ]}',
        real_pages[5][:-1] + b', "x": ' + b"[" * 1100 + b"]" * 1100 + b"}",
    ]
    path = tmp_path / "real.jsonl"
    path.write_bytes(b"\n".join(dict.fromkeys(lines)))  # an edit that matched nothing leaves a copy
    py, sql = both_ways(path)
    assert snapshot(py) == snapshot(sql)
    assert sql.count("posts") > 1000


def test_object_values_past_64_bits_go_to_python(tmp_path: Path) -> None:
    """from_json reads such a count as NULL, the Python reader as a number, so SQL must not map the page."""
    ok = orjson.dumps(good(1))
    path = tmp_path / "big.jsonl"
    path.write_bytes(ok + b"\n" + ok.replace(b'"like_count":5', b'"like_count": 9223372036854775808'))
    handed: list[int] = []
    with Store(":memory:") as store:
        twarc2_bulk.read_bulk(store, Source.open(path), ("twarc2", "1"), lambda n, raw: handed.append(n))
        assert store.scalar("SELECT like_count FROM posts WHERE id = '11'") == 5
    assert handed == [2]
