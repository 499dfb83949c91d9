"""Recorded X API v2 exchanges: ``{"request": {"method", "uri"}, "status", "body"}``.

Collectors and test suites (tweepy's cassettes, for one) keep each API response with the request that
produced it. The body is an ordinary X API v2 response and is read as a twarc2 page under ``/body``. The
request says what the list means, so four endpoints also give engagements with no post of their own:

* ``GET /2/tweets/{id}/liking_users`` and ``GET /2/users/{id}/liked_tweets``: ``like`` actions;
* ``GET /2/users/{id}/followers`` and ``GET /2/users/{id}/following``: ``follow`` actions.

The API gives no time for these, so the actions have none. Writes (POST, PUT, DELETE) are the collecting
account's own doings, not observations: their payload is kept and nothing is loaded.

>>> sniff({"request": {"method": "GET", "uri": "https://api.twitter.com/2/tweets/1/liking_users"},
...        "status": 200, "body": {"data": []}})
True
>>> endpoint("https://api.x.com/2/users/783214/followers?max_results=100")
('followers', '783214')
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from kagami.ingest import twarc2
from kagami.ingest.base import Sink
from kagami.ingest.common import to_str
from kagami.model import Action, RawRef

NAME = "x_exchange"
VERSION = "1"
HOSTS = ("api.twitter.com", "api.x.com")
_ENDPOINTS = re.compile(
    r"^/2/(?:tweets/(\d+)/(liking_users)|users/(\d+)/(liked_tweets|followers|following))/?$"
)


def sniff(obj: Any) -> bool:
    """A request/response pair whose request went to the X API v2."""
    if not isinstance(obj, dict) or not isinstance(obj.get("request"), dict) or "body" not in obj:
        return False
    uri = obj["request"].get("uri")
    return isinstance(uri, str) and urlsplit(uri).netloc in HOSTS and urlsplit(uri).path.startswith("/2/")


def endpoint(uri: str) -> tuple[str, str] | None:
    """(endpoint name, the id in its path) for the endpoints that imply engagements."""
    m = _ENDPOINTS.match(urlsplit(uri).path)
    if m is None:
        return None
    return (m.group(2), m.group(1)) if m.group(1) else (m.group(4), m.group(3))


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Read the body of a successful GET as X API v2 data, plus the engagements its endpoint implies."""
    req, body, status = obj["request"], obj.get("body"), obj.get("status")
    ok = isinstance(status, int) and 200 <= status < 300
    if str(req.get("method", "GET")).upper() != "GET" or not ok or not isinstance(body, dict):
        return
    if not isinstance(body.get("data"), list | dict):
        return
    twarc2.read_page(body, ref, sink, "/body")
    found = endpoint(str(req.get("uri")))
    if found is None or not isinstance(body["data"], list):
        return
    name, path_id = found
    for i, item in enumerate(body["data"]):
        other = to_str(item.get("id")) if isinstance(item, dict) else None
        if other is None:
            continue
        actor, target = (other, path_id) if name in ("liking_users", "followers") else (path_id, other)
        kind = "like" if name in ("liking_users", "liked_tweets") else "follow"
        sink.action(
            Action(
                platform=twarc2.PLATFORM,
                id=f"{kind}:{actor}:{target}",
                kind=kind,
                actor_id=actor,
                target_id=target,
                target_kind="post" if kind == "like" else "account",
                created_at=None,
                raw=ref,
                raw_path=f"/body/data/{i}",
                detail=f"from GET {name}",
            )
        )
