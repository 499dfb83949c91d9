"""AT Protocol records as Kagami records: the mapping Jetstream events and XRPC responses share.

Facets index the UTF-8 bytes of a post's text; links and mentions get code-point offsets into the Python
string instead, so ``text[link.start:link.end]`` is the text as displayed. A blob's CID is the sha-256 of
the uploaded bytes, so identical pictures posted by different accounts share ``Media.hash``.

>>> ref = RawRef("e.jsonl", "f" * 64, 1, "0" * 64, None, "jetstream", "1")
>>> rec = {"text": "速報 nhk.or.jp/a", "createdAt": "2024-09-09T19:46:02Z", "facets": [{
...     "index": {"byteStart": 7, "byteEnd": 18},
...     "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://www.nhk.or.jp/a"}]}]}
>>> p = post_from_record("at://did:plc:a/app.bsky.feed.post/3k", rec, ref)
>>> p.text[p.links[0].start : p.links[0].end], p.links[0].domain, p.author_id
('nhk.or.jp/a', 'nhk.or.jp', 'did:plc:a')
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kagami.ingest.base import RecordError, Sink
from kagami.ingest.common import parse_time, to_str
from kagami.ingest.links import make_link
from kagami.model import Account, Action, Link, Media, Mention, Post, RawRef

PLATFORM = "bsky"
POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
LIKE = "app.bsky.feed.like"
FOLLOW = "app.bsky.graph.follow"
PROFILE = "app.bsky.actor.profile"
#: The collections Kagami models; records of any other collection carry no post, engagement or profile.
MODELLED = (POST, REPOST, LIKE, FOLLOW, PROFILE)
#: What deleting a record of each modelled collection means.
DELETE_KINDS = {POST: "delete_post", REPOST: "delete_repost", LIKE: "unlike", FOLLOW: "unfollow"}

Record = Post | Account | Action

_FACET = "app.bsky.richtext.facet#"
_EMBED = "app.bsky.embed."


def split_uri(uri: Any) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` as (did, collection, rkey); RecordError for anything else."""
    parts = uri[5:].split("/") if isinstance(uri, str) and uri.startswith("at://") else []
    if len(parts) != 3 or not parts[0].startswith("did:") or not parts[1] or not parts[2]:
        raise RecordError(f"not an at:// record URI with a DID: {str(uri)[:120]!r}")
    return parts[0], parts[1], parts[2]


def uri_did(uri: Any) -> str | None:
    """The DID that owns an at:// URI, or None."""
    if not isinstance(uri, str) or not uri.startswith("at://did:"):
        return None
    return uri[5:].split("/", 1)[0]


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def cid_sha256(cid: Any) -> str | None:
    """The hex sha-256 inside a base32 CIDv1 (``bafk…``/``bafy…``), or None for any other CID."""
    if not isinstance(cid, str) or not cid.startswith("b") or len(cid) > 100:
        return None
    body = cid[1:].upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 36 or raw[0] != 1 or raw[2:4] != b"\x12\x20":
        return None
    return raw[4:].hex()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _span(text: str, data: bytes, index: dict[str, Any]) -> tuple[int, int] | tuple[None, None]:
    """Code-point offsets of a facet's UTF-8 byte range; (None, None) if it is not on character bounds."""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= len(data):
        return None, None
    if len(data) == len(text):
        return start, end
    try:
        cs = len(data[:start].decode("utf-8"))
        return cs, cs + len(data[start:end].decode("utf-8"))
    except UnicodeDecodeError:
        return None, None


def facets(text: str, record: dict[str, Any]) -> tuple[list[Link], list[str], list[Mention]]:
    """Links, hashtags (facets, then the record's extra ``tags``) and mentions of a post record."""
    links: list[Link] = []
    tags: list[str] = []
    mentions: list[Mention] = []
    data = text.encode("utf-8")
    for facet in _list(record.get("facets")):
        start, end = _span(text, data, _dict(_dict(facet).get("index")))
        for feat in _list(_dict(facet).get("features")):
            feat = _dict(feat)
            kind = str(feat.get("$type", "")).removeprefix(_FACET)
            if kind == "link" and isinstance(feat.get("uri"), str):
                links.append(make_link(feat["uri"], None, start, end))
            elif kind == "tag" and isinstance(feat.get("tag"), str):
                tags.append(feat["tag"].lstrip("#"))
            elif kind == "mention" and isinstance(feat.get("did"), str):
                written = text[start:end].lstrip("@") if start is not None else ""
                mentions.append(Mention(written or feat["did"], feat["did"], start, end))
    tags.extend(t.lstrip("#") for t in _list(record.get("tags")) if isinstance(t, str))
    return links, list(dict.fromkeys(t for t in tags if t)), mentions


def _blob(blob: Any, url: Any, kind: str) -> Media:
    blob = _dict(blob)
    cid = to_str(_dict(blob.get("ref")).get("$link")) or to_str(blob.get("cid"))
    return Media(to_str(url), kind, cid, cid_sha256(cid))


def embed(record: dict[str, Any], view: Any = None) -> tuple[str | None, list[Link], list[Media]]:
    """A post embed's quoted URI, link card and media (``view``, a PostView's hydrated embed, has URLs)."""
    emb, view = _dict(record.get("embed")), _dict(view)
    kind = str(emb.get("$type", "")).removeprefix(_EMBED)
    quote: str | None = None
    if kind in ("record", "recordWithMedia"):
        strong = _dict(emb.get("record"))
        strong = _dict(strong.get("record")) if kind == "recordWithMedia" else strong
        target = strong.get("uri")
        quote = target if uri_did(target) and str(target).split("/")[3:4] == [POST] else None
        if kind == "recordWithMedia":
            _, links, media = embed({"embed": emb.get("media")}, view.get("media"))
            return quote, links, media
        return quote, [], []
    if kind == "images":
        images = _list(emb.get("images"))
        urls = [_dict(v).get("fullsize") for v in _list(view.get("images"))][: len(images)]
        urls += [None] * (len(images) - len(urls))
        pairs = zip(images, urls, strict=True)
        return None, [], [_blob(_dict(img).get("image"), url, "image") for img, url in pairs]
    if kind == "video":
        return None, [], [_blob(emb.get("video"), view.get("playlist"), "video")]
    if kind == "external":
        uri = _dict(emb.get("external")).get("uri")
        return None, [make_link(uri)] if isinstance(uri, str) and uri else [], []
    return None, [], []


def post_from_record(
    uri: str,
    record: dict[str, Any],
    ref: RawRef,
    raw_path: str = "",
    *,
    when: datetime | None = None,
    primary: bool = True,
    view_embed: Any = None,
) -> Post:
    """A post, reply or quote from an ``app.bsky.feed.post`` record; ``when`` stands in for createdAt."""
    did, _, rkey = split_uri(uri)
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError(f"{uri}: post record has no text")
    reply = _dict(record.get("reply"))
    parent = to_str(_dict(reply.get("parent")).get("uri"))
    root = to_str(_dict(reply.get("root")).get("uri")) or parent
    links, tags, mentions = facets(text, record)
    quote, card, media = embed(record, view_embed)
    posted = {link.url for link in links} | {link.normalized for link in links if link.normalized}
    links += [c for c in card if c.url not in posted and c.normalized not in posted]
    langs = _list(record.get("langs"))
    return Post(
        platform=PLATFORM,
        id=uri,
        author_id=did,
        created_at=parse_time(record.get("createdAt")) or when,
        text=text,
        raw=ref,
        raw_path=raw_path,
        primary=primary,
        lang=to_str(langs[0]) if langs else None,
        kind="quote" if quote else "reply" if parent else "post",
        ref_id=quote,
        ref_author_id=uri_did(quote),
        reply_to_id=parent,
        reply_to_author_id=uri_did(parent),
        quote_of_id=quote,
        conversation_id=root or uri,
        links=links,
        hashtags=tags,
        mentions=mentions,
        media=media,
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
    )


def _subject(uri: str, record: dict[str, Any]) -> str:
    subject = record.get("subject")
    target = subject if isinstance(subject, str) else _dict(subject).get("uri")
    if not isinstance(target, str) or not target:
        raise RecordError(f"{uri}: record has no subject")
    return target


def from_record(
    uri: str, record: Any, ref: RawRef, raw_path: str, when: datetime | None = None, **post: Any
) -> Record | None:
    """The Kagami record of one AT Protocol record; None for a collection Kagami does not model."""
    did, collection, _ = split_uri(uri)
    if collection not in MODELLED:
        return None
    if not isinstance(record, dict):
        raise RecordError(f"{uri}: record is not an object")
    declared = record.get("$type")
    if declared is not None and declared != collection:
        raise RecordError(f"{uri}: record $type {declared!r} does not match its collection {collection}")
    created = parse_time(record.get("createdAt")) or when
    if collection == POST:
        return post_from_record(uri, record, ref, raw_path, when=when, **post)
    if collection == PROFILE:
        account = Account(PLATFORM, did, ref, raw_path, observed_at=when)
        account.display_name = to_str(record.get("displayName"))
        account.description = to_str(record.get("description"))
        account.default_avatar = not record.get("avatar")
        return account
    target = _subject(uri, record)
    if collection == REPOST:
        repost = Post(PLATFORM, uri, did, created, None, ref, raw_path, kind="repost", ref_id=target)
        repost.ref_author_id = uri_did(target)
        return repost
    if collection == FOLLOW:
        if not target.startswith("did:"):
            raise RecordError(f"{uri}: follow subject is not a DID: {target[:80]!r}")
        return Action(PLATFORM, uri, "follow", did, target, "account", created, ref, raw_path)
    kind = "post" if target.split("/")[3:4] == [POST] else "record"
    return Action(PLATFORM, uri, "like", did, target, kind, created, ref, raw_path)


def emit(sink: Sink, records: Iterable[Record | None]) -> None:
    """Hand records to the sink, each by its type."""
    for rec in records:
        if isinstance(rec, Post):
            sink.post(rec)
        elif isinstance(rec, Account):
            sink.account(rec)
        elif isinstance(rec, Action):
            sink.action(rec)
