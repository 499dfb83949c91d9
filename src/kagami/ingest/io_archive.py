"""X's information-operations archive: the CSVs of state-linked accounts' tweets X/Twitter published.

One row is one tweet with its author's profile as of the archive's release. Each row becomes a Post
(``repost`` when ``is_retweet`` or ``retweet_tweetid`` says so, else ``quote``, else ``reply``, else
``post``) and an account observation of its author dated by ``tweet_time``. Ids of accounts with few
followers are hashed strings, kept as given. ``hashtags``, ``urls`` and ``user_mentions`` are list-like
strings (``['a', 'b']``, ``[a, b]`` or empty), parsed here without ``eval``; mentions carry ids only.
``latitude``, ``longitude``, ``account_language`` and ``poll_choices`` have no place in the model and stay
in the raw payload (the header and the row's bytes, see :mod:`kagami.ingest.csvrows`).

>>> parse_list("['#選挙', \\"it's\\"]"), parse_list("[a, b]"), parse_list("")
(['#選挙', "it's"], ['a', 'b'], [])
>>> is_true("True"), is_true("")
(True, False)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from typing import Any

from kagami.ingest.base import Located, RecordError, Sink, Source
from kagami.ingest.common import require_time
from kagami.ingest.csvrows import BOM, RowHandler, TableError, clean_id, read_csv, to_count
from kagami.ingest.links import make_link
from kagami.model import Account, Mention, Post, RawRef

NAME = "io_archive"
VERSION = "1"
PLATFORM = "x"
SNIFF_BYTES = 64 << 10
REQUIRED = ("tweetid", "userid", "tweet_text", "tweet_time")
_ITEM = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,'"][^,]*?)?)\s*(,|\Z)""", re.S)
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def sniff_source(source: Located) -> bool:
    """A CSV whose header names at least tweetid, userid, tweet_text and tweet_time."""
    with source.path.open("rb") as f:
        head = f.read(SNIFF_BYTES).removeprefix(BOM)
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    names = next(csv.reader([first]), [])
    return set(REQUIRED) <= {n.strip() for n in names}


def _unescape(m: re.Match[str]) -> str:
    e = m.group(1)
    if len(e) > 1:
        return chr(int(e[1:], 16))
    return _SIMPLE_ESCAPES.get(e, e)


def parse_list(value: str, what: str = "list") -> list[str]:
    """The items of a Python-list-like cell (quoted or bare items); raises RecordError if malformed."""
    s = value.strip()
    if s in ("", "[]"):
        return []
    if s.startswith("[") != s.endswith("]"):
        raise RecordError(f"{what}: unbalanced brackets in {value[:60]!r}")
    s = s[1:-1].strip() if s.startswith("[") else s
    items: list[str] = []
    pos = 0
    while pos < len(s):
        m = _ITEM.match(s, pos)
        if m is None or m.end() == pos:
            raise RecordError(f"{what}: malformed list item at {s[pos : pos + 40]!r}")
        single, double, bare, _ = m.groups()
        if single is not None or double is not None:
            items.append(_ESCAPE.sub(_unescape, single if single is not None else double))
        elif bare:
            items.append(bare)
        pos = m.end()
    return items


def is_true(value: str) -> bool:
    """``True``/``False`` as the archive writes them (also 1/0); raises RecordError otherwise."""
    v = value.strip().lower()
    if v in ("true", "1", "t", "yes"):
        return True
    if v in ("false", "0", "f", "no", ""):
        return False
    raise RecordError(f"is_retweet: not a boolean: {value[:30]!r}")


def _kind(r: dict[str, str]) -> tuple[str, str | None, str | None]:
    """The post kind, the id it refers to and that post's author."""
    rt = clean_id(r.get("retweet_tweetid"), "retweet_tweetid")
    if is_true(r.get("is_retweet", "")) or rt:
        return "repost", rt, clean_id(r.get("retweet_userid"), "retweet_userid")
    quoted = clean_id(r.get("quoted_tweet_tweetid"), "quoted_tweet_tweetid")
    if quoted:
        return "quote", quoted, None
    reply = clean_id(r.get("in_reply_to_tweetid"), "in_reply_to_tweetid")
    if reply:
        return "reply", reply, clean_id(r.get("in_reply_to_userid"), "in_reply_to_userid")
    return "post", None, None


def _opt(value: str | None) -> str | None:
    return value if value else None


def row_records(r: dict[str, str], ref: RawRef) -> tuple[Post, Account]:
    """The post and the author observation of one archive row."""
    tid = clean_id(r["tweetid"], "tweetid")
    author = clean_id(r["userid"], "userid")
    if not tid or not author:
        raise RecordError(f"missing {'tweetid' if not tid else 'userid'}")
    at = require_time(r["tweet_time"], "tweet_time")
    kind, ref_id, ref_author = _kind(r)
    mentions = [Mention("", clean_id(m, "user_mentions")) for m in parse_list(r.get("user_mentions", ""))]
    post = Post(
        platform=PLATFORM,
        id=tid,
        author_id=author,
        created_at=at,
        text=r["tweet_text"],
        raw=ref,
        lang=_opt(r.get("tweet_language")),
        kind=kind,
        ref_id=ref_id,
        ref_author_id=ref_author,
        reply_to_id=clean_id(r.get("in_reply_to_tweetid"), "in_reply_to_tweetid"),
        reply_to_author_id=clean_id(r.get("in_reply_to_userid"), "in_reply_to_userid"),
        quote_of_id=clean_id(r.get("quoted_tweet_tweetid"), "quoted_tweet_tweetid"),
        links=[make_link(u) for u in parse_list(r.get("urls", ""), "urls") if u],
        hashtags=[h.lstrip("#") for h in parse_list(r.get("hashtags", ""), "hashtags") if h.lstrip("#")],
        mentions=[m for m in mentions if m.id],
        like_count=to_count(r.get("like_count")),
        repost_count=to_count(r.get("retweet_count")),
        reply_count=to_count(r.get("reply_count")),
        quote_count=to_count(r.get("quote_count")),
        source=_opt(r.get("tweet_client_name")),
        url=f"https://x.com/i/web/status/{tid}",
    )
    created = r.get("account_creation_date")
    account = Account(
        platform=PLATFORM,
        id=author,
        raw=ref,
        handle=_opt(r.get("user_screen_name")),
        display_name=_opt(r.get("user_display_name")),
        created_at=require_time(created, "account_creation_date") if created else None,
        description=_opt(r.get("user_profile_description")),
        location=_opt(r.get("user_reported_location")),
        url=_opt(r.get("user_profile_url")),
        followers=to_count(r.get("follower_count")),
        following=to_count(r.get("following_count")),
        observed_at=at,
    )
    return post, account


def read(
    source: Source, sink: Sink, options: dict[str, Any], progress: Callable[[int], None] | None = None
) -> int:
    """Read one archive CSV; return the number of physical lines read."""

    def prepare(header: list[str]) -> RowHandler:
        names = [h.strip() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise TableError(
                f"{source.name}: not an X information-operations archive: no {', '.join(missing)}"
            )

        def handle(values: list[str], ref: RawRef) -> None:
            post, account = row_records(dict(zip(names, values, strict=True)), ref)
            sink.post(post)
            sink.account(account)

        return handle

    return read_csv(source, sink, progress, prepare)
