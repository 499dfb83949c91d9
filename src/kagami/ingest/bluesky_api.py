"""AT Protocol XRPC responses (records, feeds, threads, follow lists, profiles) as Kagami records.

Shapes read: ``com.atproto.repo.getRecord``/``listRecords`` (``{uri, cid, value}``, ``{records: [...]}``);
``app.bsky.feed.getPosts``/``searchPosts`` (``posts``), ``getTimeline``/``getAuthorFeed``/``getFeed``
(``feed``, with repost reasons), ``getPostThread`` (``thread``, parents and replies);
``app.bsky.graph.getFollows``/``getFollowers``; ``app.bsky.actor.getProfile(s)``/``searchActors``; and
``com.atproto.repo.describeRepo`` or a bare DID document (the DID's handle). A lone record of a collection
Kagami does not model (a feed generator, a block, a list) is quarantined with its collection named.

>>> ref = RawRef("f.json", "f" * 64, None, "0" * 64, None, NAME, VERSION)
>>> sniff({"did": "did:plc:z72i7hdynmk6r22z27h6tvur"}), sniff({"uri": "at://did:plc:a/app.bsky.feed.like/3",
...     "value": {"subject": {"uri": "at://did:plc:b/app.bsky.feed.post/3"}}})
(False, True)
>>> _account({"did": "did:plc:a", "handle": "a.example.jp", "followersCount": 12}, ref, "/subject").followers
12
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from kagami.ingest.atproto import PLATFORM, Record, emit, from_record, post_from_record, split_uri, uri_did
from kagami.ingest.base import RecordError, Sink
from kagami.ingest.common import parse_time, pointer, to_int, to_str
from kagami.model import Account, Action, Post, RawRef

NAME = "bluesky_api"
VERSION = "1"

_LISTS = ("records", "posts", "feed", "profiles", "actors")
_FOREIGN = ("time_us", "data", "includes", "account", "content", "acct")  # Jetstream, X, Mastodon


#: Turns one item of a list (at its JSON pointer) into records; RecordError quarantines the item alone.
Item = Callable[[Any, RawRef, str], list[Record]]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_did(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("did:")


def _at(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("at://")


def _bare(value: Any) -> bool:
    """A record on its own: a Bluesky lexicon ``$type`` and no URI to say whose it is."""
    kind = value.get("$type") if isinstance(value, dict) else None
    return isinstance(kind, str) and kind.startswith(("app.bsky.", "chat.bsky.")) and "#" not in kind


def _shape(obj: Any) -> str | None:
    """Which response ``obj`` is, from its top-level keys; None when it is not an AT Protocol response."""
    if not isinstance(obj, dict) or any(k in obj for k in _FOREIGN):
        return None
    if _at(obj.get("uri")) and isinstance(obj.get("value"), dict):
        return "record"
    if _at(obj.get("uri")) and isinstance(obj.get("record"), dict) and isinstance(obj.get("author"), dict):
        return "post_view"
    if "uri" not in obj and _bare(obj.get("value", obj)):
        return "record"  # cannot be attributed: handle() says so
    if isinstance(obj.get("thread"), dict):
        return "thread"
    if isinstance(obj.get("subject"), dict) and _is_did(obj["subject"].get("did")):
        for key in ("follows", "followers"):
            if isinstance(obj.get(key), list):
                return key
    for key in _LISTS:
        items = obj.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            first = items[0].get("post") if key == "feed" else items[0]
            if isinstance(first, dict) and (_at(first.get("uri")) or _is_did(first.get("did"))):
                return key
    if isinstance(obj.get("didDoc"), dict) or (_is_did(obj.get("id")) and "alsoKnownAs" in obj):
        return "did_doc"
    if _is_did(obj.get("did")) and isinstance(obj.get("handle"), str):
        return "profile"
    return None


def sniff(obj: Any) -> bool:
    """An AT Protocol record or app view response (never a Jetstream event, X or Mastodon payload)."""
    return _shape(obj) is not None


def _account(view: Any, ref: RawRef, path: str) -> Account:
    """One observation of a ProfileView (basic, plain or detailed)."""
    if not isinstance(view, dict) or not _is_did(view.get("did")):
        raise RecordError(f"{path or '/'}: profile without a DID")
    handle = to_str(view.get("handle"))
    avatar = to_str(view.get("avatar"))
    verification = view.get("verification")
    status = verification.get("verifiedStatus") if isinstance(verification, dict) else None
    return Account(
        PLATFORM,
        view["did"],
        ref,
        path,
        handle=None if handle == "handle.invalid" else handle,
        display_name=to_str(view.get("displayName")),
        created_at=parse_time(view.get("createdAt")),
        description=to_str(view.get("description")),
        avatar_url=avatar,
        default_avatar=avatar is None,
        verified=None if status is None else status == "valid",
        followers=to_int(view.get("followersCount")),
        following=to_int(view.get("followsCount")),
        posts_count=to_int(view.get("postsCount")),
        observed_at=parse_time(view.get("indexedAt")),
    )


def _post_view(view: Any, ref: RawRef, path: str, *, primary: bool = True) -> list[Record]:
    """A PostView (or an embedded viewRecord): the post, its author, and the post it quotes."""
    if not isinstance(view, dict) or not _at(view.get("uri")):
        return []  # notFoundPost / blockedPost carry nothing but a URI
    record = view.get("record", view.get("value"))
    if not isinstance(record, dict):
        raise RecordError(f"{path}: post view without its record")
    author = _account(view.get("author"), ref, path + "/author")
    if author.id != uri_did(view["uri"]):
        raise RecordError(f"{path}: author {author.id} does not own {view['uri']}")
    embeds = view.get("embeds")  # a viewRecord's hydrated embeds, a PostView's is ``embed``
    hydrated = view.get("embed") or (embeds[0] if isinstance(embeds, list) and embeds else None)
    when = parse_time(view.get("indexedAt"))
    post = post_from_record(view["uri"], record, ref, path, when=when, primary=primary, view_embed=hydrated)
    post.like_count = to_int(view.get("likeCount"))
    post.repost_count = to_int(view.get("repostCount"))
    post.reply_count = to_int(view.get("replyCount"))
    post.quote_count = to_int(view.get("quoteCount"))
    out: list[Record] = [post, author]
    quoted = _dict(view.get("embed")).get("record")
    quoted_path = path + "/embed/record"
    if isinstance(quoted, dict) and isinstance(quoted.get("record"), dict):  # recordWithMedia#view
        quoted, quoted_path = quoted["record"], quoted_path + "/record"
    if isinstance(quoted, dict) and isinstance(quoted.get("author"), dict) and "value" in quoted:
        out += _post_view(quoted, ref, quoted_path, primary=False)
    return out


def _feed_item(item: Any, ref: RawRef, path: str) -> list[Record]:
    """A FeedViewPost: the post, the posts it replies to, and who reposted it into the feed."""
    target = _dict(_dict(item).get("post")).get("uri")
    if not _at(target):
        raise RecordError(f"{path}: feed item without a post")
    out = _post_view(item["post"], ref, path + "/post")
    reply = _dict(item.get("reply"))
    for key in ("root", "parent"):
        out += _post_view(reply.get(key), ref, f"{path}/reply/{key}", primary=False)
    reason = _dict(item.get("reason"))
    if str(reason.get("$type", "")).endswith("#reasonRepost"):
        by = _account(reason.get("by"), ref, path + "/reason/by")
        key = to_str(reason.get("uri")) or f"{by.id}#repost#{target}"
        when = parse_time(reason.get("indexedAt"))
        repost = Post(PLATFORM, key, by.id, when, None, ref, path + "/reason", kind="repost", ref_id=target)
        repost.ref_author_id = uri_did(target)
        out += [repost, by]
    return out


def _record(obj: Any, ref: RawRef, path: str) -> list[Record]:
    """A ``{uri, cid, value}`` record; RecordError for one of a collection Kagami does not model."""
    if not isinstance(obj, dict):
        raise RecordError(f"{path or '/'}: record entry is not an object")
    uri = obj.get("uri")
    if not isinstance(uri, str):
        kind = _dict(obj.get("value")).get("$type") or obj.get("$type") or "AT Protocol"
        raise RecordError(f"{kind} record without its at:// URI: it cannot be attributed to an account")
    rec = from_record(uri, obj.get("value"), ref, path)
    if rec is None:
        collection = split_uri(obj["uri"])[1]
        raise RecordError(f"{collection} record: not a post, repost, like, follow or profile; not modelled")
    return [rec]


def _profile(view: Any, ref: RawRef, path: str) -> list[Record]:
    return [_account(view, ref, path)]


def _guarded(sink: Sink, ref: RawRef, item: Any, path: str, one: Item) -> None:
    """Emit one item's records, or quarantine the item alone: the rest of the payload still loads."""
    try:
        records = one(item, ref, path)
    except RecordError as exc:
        sink.quarantine(ref.line, str(exc), orjson.dumps(item), path)
        return
    emit(sink, records)


def _thread(root: dict[str, Any], ref: RawRef, sink: Sink) -> None:
    """A ThreadViewPost and, walked without recursion, its parents and replies."""
    stack: list[tuple[Any, str]] = [(root, "/thread")]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict) or "post" not in node:
            continue  # notFoundPost, blockedPost
        _guarded(sink, ref, node["post"], path + "/post", _post_view)
        stack.append((node.get("parent"), path + "/parent"))
        replies = node.get("replies")
        stack.extend(
            (r, f"{path}/replies/{i}") for i, r in enumerate(replies if isinstance(replies, list) else [])
        )


def _follows(obj: dict[str, Any], key: str, ref: RawRef, sink: Sink) -> None:
    """getFollows (the subject follows each) or getFollowers (each follows the subject)."""
    subject = _account(obj["subject"], ref, "/subject")
    sink.account(subject)

    def follow(view: Any, ref: RawRef, path: str) -> list[Record]:
        other = _account(view, ref, path)
        actor, target = (subject.id, other.id) if key == "follows" else (other.id, subject.id)
        # The viewer's own follow record, when the viewer is the follower, is the follow's real key.
        mine = _dict(view.get("viewer")).get("following") if key == "follows" else None
        fid = mine if isinstance(mine, str) and uri_did(mine) == actor else f"{actor}#follows#{target}"
        return [other, Action(PLATFORM, fid, "follow", actor, target, "account", None, ref, path)]

    for i, view in enumerate(obj[key]):
        _guarded(sink, ref, view, pointer(key, i), follow)


def _did_doc(obj: dict[str, Any], ref: RawRef, sink: Sink) -> None:
    """describeRepo (handle when verified both ways) or a DID document (handle it declares)."""
    doc = _dict(obj.get("didDoc", obj))
    did = to_str(obj.get("did", doc.get("id")))
    if did is None or not _is_did(did):
        raise RecordError("DID document without a DID")
    if "didDoc" in obj:
        handle = to_str(obj.get("handle")) if obj.get("handleIsCorrect") is True else None
    else:
        aka = doc.get("alsoKnownAs")
        names = (
            [a for a in aka if isinstance(a, str) and a.startswith("at://")] if isinstance(aka, list) else []
        )
        handle = names[0].removeprefix("at://") if names else None
    if handle is None:
        raise RecordError(f"{did}: DID document without a verified handle; nothing to record")
    sink.account(Account(PLATFORM, did, ref, "", handle=handle))


_ITEMS: dict[str, Item] = {
    "records": _record,
    "posts": _post_view,
    "feed": _feed_item,
    "profiles": _profile,
    "actors": _profile,
}


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Emit the records of one XRPC response or record."""
    shape = _shape(obj)
    if shape is None:
        raise RecordError("not an AT Protocol record or app view response")
    if shape == "record":
        emit(sink, _record(obj, ref, ""))
    elif shape == "post_view":
        emit(sink, _post_view(obj, ref, ""))
    elif shape == "profile":
        emit(sink, _profile(obj, ref, ""))
    elif shape == "thread":
        _thread(obj["thread"], ref, sink)
    elif shape in ("follows", "followers"):
        _follows(obj, shape, ref, sink)
    elif shape == "did_doc":
        _did_doc(obj, ref, sink)
    else:
        for i, item in enumerate(obj[shape]):
            _guarded(sink, ref, item, pointer(shape, i), _ITEMS[shape])
