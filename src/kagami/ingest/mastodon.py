"""Mastodon REST API statuses and accounts: one object, a page (list), a thread context or search results.

Identity across the fediverse:

* a post's id is the status ``uri`` (its ActivityPub id, the same on every instance); the API's ``id`` is
  local to the instance that answered and is not used as a key;
* an account's id is its ``acct`` made absolute and lower-cased, ``user@domain``: a local account's
  ``acct`` has no domain, so the host of its profile ``url`` is added (an instance whose web host differs
  from its account domain gives its local users a second spelling; remote ``acct`` values carry the
  account domain). Mentions are keyed the same way, so they join to authors;
* ``in_reply_to_id`` and ``in_reply_to_account_id`` are local ids: they are resolved to a ``uri`` and an
  ``acct`` when the same payload holds the parent (a thread context, a timeline page) or the account (the
  author, a mention), and otherwise kept as ``local/<instance host>/<local id>``, unique but joinable
  only with replies seen through the same instance (None when no local account reveals that host).

``text`` is the plain text of ``content`` (see :mod:`kagami.ingest.html_text`; Mastodon's ``quote-inline``
"RE: <url>" fallback is left out); the HTML stays byte-exact in the raw payload. ``spoiler_text``,
``poll`` and ``edited_at`` have no field in the records and stay in the raw payload (of two copies of a
status the store keeps the one retrieved last); the ``bot`` flag becomes ``Account.bot``. A reblog is a
``repost`` whose reblogged status is also loaded (``primary=False``); a Mastodon 4.4 quote
(``quote: {state, quoted_status}``) or an older ``quote: <status>`` is a ``quote`` even when the quoted
post is no longer shown (``quote_of_id`` None).

>>> sniff({"uri": "https://m.example/s/1", "account": {}, "content": "<p>hi</p>"})
True
>>> sniff([{"acct": "a", "username": "a"}]), sniff({"acct": "a"})
(True, False)
>>> canonical_acct("Alice", "https://Social.Example.jp/@Alice")
'Alice@social.example.jp'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson

from kagami.ingest.base import RecordError, Sink
from kagami.ingest.common import parse_time, pointer, require_str, require_time, to_int, to_str
from kagami.ingest.html_text import html_to_text, plain_text
from kagami.ingest.links import make_link
from kagami.model import Account, Link, Media, Mention, Post, RawRef

NAME = "mastodon"
VERSION = "1"
PLATFORM = "mastodon"
#: Containers the API returns around statuses and accounts (thread context, search results).
CONTAINERS = {("ancestors", "descendants"), ("accounts", "hashtags", "statuses")}
DROP_CLASSES = ("quote-inline",)
#: Deepest path a nested (reblogged or quoted) status may have; deeper is a hostile payload.
MAX_DEPTH = 8
Path = tuple[str | int, ...]


def _is_status(obj: Any) -> bool:
    """Shaped like a status (a missing ``uri`` is then reported as such, not as an unknown object)."""
    return isinstance(obj, dict) and "account" in obj and "content" in obj


def _is_account(obj: Any) -> bool:
    return isinstance(obj, dict) and "acct" in obj and "username" in obj


def _is_record(obj: Any) -> bool:
    return (_is_status(obj) and "uri" in obj) or _is_account(obj)


def sniff(obj: Any) -> bool:
    """A status, an account, a list of them, a thread context or search results."""
    if isinstance(obj, list):
        return bool(obj) and _is_record(obj[0])
    if isinstance(obj, dict) and tuple(sorted(obj)) in CONTAINERS:
        return all(isinstance(v, list) for v in obj.values())
    return _is_record(obj)


def host_of(url: Any) -> str | None:
    """Lower-case host (with a non-default port) of a URL; None when there is none."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return f"{host}:{port}" if port and port not in (80, 443) else host


def canonical_acct(acct: str, url: Any) -> str:
    """``acct`` as ``user@domain``: the domain from ``acct`` when it has one, else from the profile URL."""
    user, _, domain = acct.strip().lstrip("@").partition("@")
    domain = domain.lower() or (host_of(url) or "")
    if not user or not domain:
        raise RecordError(f"account {acct!r}: cannot make acct absolute (no domain and no profile url)")
    return f"{user}@{domain}"


def account_id(obj: dict[str, Any]) -> str:
    """The canonical id of an account or mention object."""
    return canonical_acct(require_str(obj, "acct", "account"), obj.get("url")).lower()


def _statuses(status: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """A status and the statuses nested in it (reblog, quoted status)."""
    if not isinstance(status, dict) or depth > MAX_DEPTH:
        return
    yield status
    yield from _statuses(status.get("reblog"), depth + 1)
    quote = status.get("quote")
    if isinstance(quote, dict):
        yield from _statuses(quote if _is_status(quote) else quote.get("quoted_status"), depth + 1)


class _Context:
    """What one payload reveals about the local ids of the instance that answered."""

    def __init__(self, items: list[tuple[Path, Any]]) -> None:
        self.status_uri: dict[str, str] = {}
        self.account: dict[str, str] = {}
        self.host: str | None = None
        for _, item in items:
            for s in _statuses(item) if _is_status(item) else ():
                if isinstance(s.get("id"), str) and isinstance(s.get("uri"), str):
                    self.status_uri[s["id"]] = s["uri"]
                mentions = s.get("mentions")
                self._account(s.get("account"))
                for m in mentions if isinstance(mentions, list) else []:
                    self._account(m)
            if _is_account(item):
                self._account(item)

    def _account(self, obj: Any) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("acct"), str) or not obj.get("id"):
            return
        try:
            self.account[str(obj["id"])] = account_id(obj)
        except RecordError:
            return
        if "@" not in obj["acct"] and self.host is None:
            self.host = host_of(obj.get("url"))

    def local(self, local_id: Any, table: dict[str, str]) -> str | None:
        """A local id resolved through ``table``, else as ``local/<host>/<id>``; None when unknown."""
        key = to_str(local_id)
        if key is None:
            return None
        if key in table:
            return table[key]
        return f"local/{self.host}/{key}" if self.host else None


def _account(obj: Any, path: Path, ref: RawRef) -> Account:
    if not isinstance(obj, dict):
        raise RecordError(f"{pointer(*path) or 'payload'}: account is not an object")
    acct = require_str(obj, "acct", "account")
    avatar = to_str(obj.get("avatar"))
    return Account(
        platform=PLATFORM,
        id=account_id(obj),
        raw=ref,
        raw_path=pointer(*path),
        handle=canonical_acct(acct, obj.get("url")),
        display_name=to_str(obj.get("display_name")) or None,
        created_at=parse_time(obj.get("created_at")),
        description=plain_text(to_str(obj.get("note")), DROP_CLASSES),
        url=to_str(obj.get("url")),
        avatar_url=avatar,
        default_avatar=None if avatar is None else urlsplit(avatar).path.endswith("/missing.png"),
        protected=obj["locked"] if isinstance(obj.get("locked"), bool) else None,
        bot=obj["bot"] if isinstance(obj.get("bot"), bool) else None,
        followers=to_int(obj.get("followers_count")),
        following=to_int(obj.get("following_count")),
        posts_count=to_int(obj.get("statuses_count")),
    )


def _links(html: str, card: Any) -> list[Link]:
    """Links in the content that are not mentions or hashtags, then the preview card's URL if new."""
    links: list[Link] = []
    for a in html_to_text(html, DROP_CLASSES).anchors:
        if a.classes & {"mention", "hashtag"} or "tag" in a.rel:
            continue
        links.append(make_link(a.href))
    if isinstance(card, dict) and isinstance(card.get("url"), str) and card["url"]:
        card_link = make_link(card["url"])
        if all(card_link.normalized != x.normalized and card["url"] != x.url for x in links):
            links.append(card_link)
    return links


def _media(obj: Any) -> Media:
    """An attachment; the origin's ``remote_url`` first, so one file matches across instances."""
    if not isinstance(obj, dict):
        raise RecordError("media attachment is not an object")
    url = to_str(obj.get("remote_url")) or to_str(obj.get("url"))
    return Media(url=url, kind=to_str(obj.get("type")), key=to_str(obj.get("id")))


def _mention(obj: Any) -> Mention:
    if not isinstance(obj, dict):
        raise RecordError("mention is not an object")
    return Mention(handle=require_str(obj, "acct", "mention"), id=account_id(obj))


def _status(obj: Any, path: Path, ref: RawRef, ctx: _Context, primary: bool) -> tuple[Post, list[Any]]:
    """The post, and every record it gives: itself, its author's profile, reblogged or quoted statuses."""
    where = pointer(*path) or "payload"
    if not _is_status(obj):
        raise RecordError(f"{where}: not a Mastodon status")
    if len(path) > MAX_DEPTH:
        raise RecordError(f"{where}: statuses nested too deep")
    uri = require_str(obj, "uri", "status")
    author = _account(obj["account"], (*path, "account"), ref)
    content = to_str(obj.get("content")) or ""
    application = obj.get("application")
    post = Post(
        platform=PLATFORM,
        id=uri,
        author_id=author.id,
        created_at=require_time(obj.get("created_at"), f"status {uri}"),
        text=plain_text(content, DROP_CLASSES),
        raw=ref,
        raw_path=pointer(*path),
        primary=primary,
        lang=to_str(obj.get("language")),
        links=_links(content, obj.get("card")),
        hashtags=[n for t in obj.get("tags") or [] if isinstance(t, dict) and (n := to_str(t.get("name")))],
        mentions=[_mention(m) for m in obj.get("mentions") or []],
        media=[_media(m) for m in obj.get("media_attachments") or []],
        like_count=to_int(obj.get("favourites_count")),
        repost_count=to_int(obj.get("reblogs_count")),
        reply_count=to_int(obj.get("replies_count")),
        quote_count=to_int(obj.get("quotes_count")),
        source=to_str(application.get("name")) if isinstance(application, dict) else None,
        url=to_str(obj.get("url")),
    )
    records: list[Any] = [post, author]
    if obj.get("in_reply_to_id") is not None:
        post.kind = "reply"
        post.reply_to_id = ctx.local(obj["in_reply_to_id"], ctx.status_uri)
        post.reply_to_author_id = ctx.local(obj.get("in_reply_to_account_id"), ctx.account)
    quote = obj.get("quote")
    if isinstance(quote, dict):
        post.kind = "quote"
        quoted: Any
        if _is_status(quote):  # Fedibird-style: the quoted status itself
            quoted, qpath = quote, (*path, "quote")
        else:  # Mastodon 4.4: {state, quoted_status} or, nested, {state, quoted_status_id}
            quoted, qpath = quote.get("quoted_status"), (*path, "quote", "quoted_status")
        if isinstance(quoted, dict):
            sub, more = _status(quoted, qpath, ref, ctx, primary=False)
            post.quote_of_id = post.ref_id = sub.id
            post.ref_author_id = sub.author_id
            records.extend(more)
        elif quote.get("quoted_status_id") is not None:
            post.quote_of_id = post.ref_id = ctx.local(quote["quoted_status_id"], ctx.status_uri)
    if isinstance(obj.get("reblog"), dict):
        sub, more = _status(obj["reblog"], (*path, "reblog"), ref, ctx, primary=False)
        post.kind, post.ref_id, post.ref_author_id = "repost", sub.id, sub.author_id
        records.extend(more)
    return post, records


def _items(obj: Any) -> tuple[list[tuple[Path, Any]], bool]:
    """The records of a payload with their paths, and whether the payload is a single record."""
    if isinstance(obj, list):
        return [((i,), item) for i, item in enumerate(obj)], False
    if isinstance(obj, dict) and tuple(sorted(obj)) in CONTAINERS:
        if not all(isinstance(v, list) for v in obj.values()):
            raise RecordError("Mastodon container whose members are not lists")
        keys = [k for k in sorted(obj) if k != "hashtags"]
        return [((k, i), item) for k in keys for i, item in enumerate(obj[k])], False
    if _is_status(obj) or _is_account(obj):
        return [((), obj)], True
    raise RecordError("not a Mastodon status, account, list, context or search result")


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Emit the posts and account observations of one payload; quarantine a bad member of a list."""
    items, single = _items(obj)
    ctx = _Context(items)
    for path, item in items:
        try:
            if _is_status(item):
                records = _status(item, path, ref, ctx, primary=True)[1]
            elif _is_account(item):
                records = [_account(item, path, ref)]
            else:
                raise RecordError(f"{pointer(*path)}: not a Mastodon status or account")
        except (RecordError, KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            if single:
                raise
            reason = str(exc) if isinstance(exc, RecordError) else f"unreadable ({type(exc).__name__}: {exc})"
            sink.quarantine(ref.line, reason, orjson.dumps(item), pointer(*path))
            continue
        for rec in records:
            if isinstance(rec, Post):
                sink.post(rec)
            else:
                sink.account(rec)
