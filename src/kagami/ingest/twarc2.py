"""X API v2 as twarc2 writes it: JSONL of response pages, or twarc2's flattened one-tweet-per-line form.

A page is ``{"data": [...], "includes": {"users", "tweets", "media"}, "meta", "errors", "__twarc"}``
(``data`` is one object in streaming output). Tweets in ``data`` are primary posts; tweets in
``includes.tweets`` (what they retweet, quote or reply to) are loaded as non-primary copies; users become
account observations dated by ``__twarc.retrieved_at``. The flattened form carries ``author`` and full
``referenced_tweets`` inside each tweet. Compliance output (``{"id", "action", "reason"}``) becomes
``compliance`` actions. Pages of tweet counts or list metadata carry no posts or accounts: their raw
payload is kept and nothing else is loaded. X entity offsets are Unicode code points, as Python indexes
``str``, so they are kept as given.

>>> import orjson
>>> from kagami.ingest.base import Sink, Source
>>> page = {"data": [{"id": "2", "text": "RT @a: hi", "author_id": "9", "created_at": "2025-07-20T01:00:00Z",
...          "referenced_tweets": [{"type": "retweeted", "id": "1"}]}],
...         "includes": {"tweets": [{"id": "1", "text": "hi", "author_id": "5"}]}}
>>> kind_of(page["data"][0])
('repost', '1')
"""

from __future__ import annotations

from typing import Any

import orjson

from kagami.ingest.base import RecordError, Sink, with_time
from kagami.ingest.common import as_bool, as_text, parse_time, to_int, to_str
from kagami.ingest.links import make_link
from kagami.model import Account, Action, Media, Mention, Post, RawRef

NAME = "twarc2"
VERSION = "1"
#: The SQL path for large files (see :mod:`kagami.ingest.twarc2_bulk`).
BULK = "kagami.ingest.twarc2_bulk"
PLATFORM = "x"
DEFAULT_AVATAR = "default_profile_images"
_KIND_ORDER = (("retweeted", "repost"), ("quoted", "quote"), ("replied_to", "reply"))


def _is_tweet(obj: Any) -> bool:
    return isinstance(obj, dict) and "id" in obj and "text" in obj


def sniff(obj: Any) -> bool:
    """A twarc2 page, a flattened tweet, an X API v2 response body, or compliance output."""
    if not isinstance(obj, dict):
        return False
    if "__twarc" in obj:
        return True
    if "did" in obj or "account" in obj or "kind" in obj:
        return False
    data = obj.get("data")
    if isinstance(data, list | dict) and ("includes" in obj or "meta" in obj or "errors" in obj or data):
        first = data[0] if isinstance(data, list) and data else data
        return isinstance(first, dict) and ("id" in first or "tweet_count" in first)
    if _is_tweet(obj) and ("author_id" in obj or "edit_history_tweet_ids" in obj):
        return True
    return set(obj) >= {"id", "action", "reason"} and "created_at" in obj


def kind_of(tweet: dict[str, Any]) -> tuple[str, str | None]:
    """The post kind of a tweet and the id it refers to (repost beats quote beats reply)."""
    refs = {
        r.get("type"): to_str(r.get("id"))
        for r in tweet.get("referenced_tweets") or ()
        if isinstance(r, dict)
    }
    for typ, kind in _KIND_ORDER:
        if refs.get(typ):
            return kind, refs[typ]
    return "post", None


def account(user: dict[str, Any], ref: RawRef, path: str) -> Account:
    """An account observation from an X API v2 user object."""
    uid = to_str(user.get("id"))
    if not uid:
        raise RecordError("user without id")
    pm = user.get("public_metrics") or {}
    avatar = as_text(user.get("profile_image_url"))
    return Account(
        platform=PLATFORM,
        id=uid,
        raw=ref,
        raw_path=path,
        handle=as_text(user.get("username")),
        display_name=as_text(user.get("name")),
        created_at=parse_time(user.get("created_at")),
        description=as_text(user.get("description")),
        location=as_text(user.get("location")),
        url=as_text(user.get("url")) or None,
        avatar_url=avatar,
        default_avatar=None if avatar is None else DEFAULT_AVATAR in avatar,
        verified=as_bool(user.get("verified")),
        protected=as_bool(user.get("protected")),
        followers=to_int(pm.get("followers_count")),
        following=to_int(pm.get("following_count")),
        posts_count=to_int(pm.get("tweet_count")),
        observed_at=ref.retrieved_at,
    )


def post(
    tweet: dict[str, Any],
    ref: RawRef,
    path: str,
    primary: bool,
    authors: dict[str, str | None],
    media: dict[str, dict[str, Any]],
) -> Post:
    """A post from an X API v2 tweet object; ``authors`` maps tweet ids to their author ids."""
    tid = to_str(tweet.get("id"))
    if not tid:
        raise RecordError("tweet without id")
    text = as_text(tweet.get("text"))
    kind, ref_id = kind_of(tweet)
    refs = {
        r.get("type"): to_str(r.get("id"))
        for r in tweet.get("referenced_tweets") or ()
        if isinstance(r, dict)
    }
    ent = tweet.get("entities") or {}
    mentions = [
        Mention(
            as_text(m.get("username")) or "",
            to_str(m.get("id")),
            to_int(m.get("start")),
            to_int(m.get("end")),
        )
        for m in ent.get("mentions") or ()
        if isinstance(m, dict)
    ]
    reply_author = to_str(tweet.get("in_reply_to_user_id"))
    ref_author = authors.get(ref_id) if ref_id else None
    if ref_author is None and kind == "reply":
        ref_author = reply_author
    if ref_author is None and kind == "repost" and mentions and mentions[0].start == 3:
        ref_author = mentions[0].id  # "RT @handle: ..." names the original author first
    pm = tweet.get("public_metrics") or {}
    keys = (tweet.get("attachments") or {}).get("media_keys") or ()
    withheld = tweet.get("withheld") or {}
    return Post(
        platform=PLATFORM,
        id=tid,
        author_id=to_str(tweet.get("author_id")),
        created_at=parse_time(tweet.get("created_at")),
        text=text,
        raw=ref,
        raw_path=path,
        primary=primary,
        lang=as_text(tweet.get("lang")),
        kind=kind,
        ref_id=ref_id,
        ref_author_id=ref_author,
        reply_to_id=refs.get("replied_to"),
        reply_to_author_id=reply_author,
        quote_of_id=refs.get("quoted"),
        conversation_id=to_str(tweet.get("conversation_id")),
        links=[
            make_link(
                as_text(u.get("url")) or "",
                as_text(u.get("unwound_url")) or as_text(u.get("expanded_url")),
                to_int(u.get("start")),
                to_int(u.get("end")),
            )
            for u in ent.get("urls") or ()
            if isinstance(u, dict)
        ],
        hashtags=[
            as_text(h["tag"]) or "" for h in ent.get("hashtags") or () if isinstance(h, dict) and h.get("tag")
        ],
        mentions=mentions,
        media=[_media(k, media.get(k)) for k in keys if isinstance(k, str)],
        like_count=to_int(pm.get("like_count")),
        repost_count=to_int(pm.get("retweet_count")),
        reply_count=to_int(pm.get("reply_count")),
        quote_count=to_int(pm.get("quote_count")),
        view_count=to_int(pm.get("impression_count")),
        source=as_text(tweet.get("source")),
        edit_ids=[str(e) for e in tweet.get("edit_history_tweet_ids") or ()],
        withheld_in=[str(c) for c in withheld.get("country_codes") or ()]
        if isinstance(withheld, dict)
        else [],
        url=f"https://x.com/i/web/status/{tid}",
    )


def _media(key: str, m: dict[str, Any] | None) -> Media:
    if not m:
        return Media(url=None, key=key)
    return Media(
        url=as_text(m.get("url")) or as_text(m.get("preview_image_url")), kind=as_text(m.get("type")), key=key
    )


def _guard(sink: Sink, ref: RawRef, path: str, obj: Any, emit: Any) -> None:
    """Emit one record; a bad one is quarantined alone and the rest of the page still loads."""
    try:
        emit()
    except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
        sink.quarantine(ref.line, f"{path or 'record'}: {exc}", orjson.dumps(obj), path)


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Emit the records of one page, flattened tweet or compliance line."""
    if not isinstance(obj, dict):
        raise RecordError("X API v2 payload is not a JSON object")
    meta = obj.get("__twarc")
    if isinstance(meta, dict):
        ref = with_time(ref, parse_time(meta.get("retrieved_at")))
    if "data" not in obj and _is_tweet(obj):
        _flat(obj, ref, sink)
    elif "data" in obj:
        read_page(obj, ref, sink)
    elif {"id", "action"} <= set(obj):
        sink.action(
            Action(
                platform=PLATFORM,
                id=f"compliance:{obj['id']}:{obj.get('action')}:{obj.get('created_at')}:{obj.get('reason')}",
                kind="compliance",
                actor_id=None,
                target_id=to_str(obj["id"]),
                target_kind="post_or_account",
                created_at=parse_time(obj.get("created_at")),
                raw=ref,
                detail=f"{obj.get('action')}:{obj.get('reason')}",
            )
        )
    elif obj.get("errors") and not obj.get("data"):
        return  # an error-only response: the raw payload is kept, nothing else to load
    else:
        raise RecordError("X API v2 payload with neither data nor a tweet")


def read_page(page: dict[str, Any], ref: RawRef, sink: Sink, prefix: str = "") -> None:
    """Emit the records of one X API v2 response page; ``prefix`` is its JSON pointer in the payload."""
    inc = page.get("includes") or {}
    data = page["data"]
    items = (
        [(data, f"{prefix}/data")]
        if isinstance(data, dict)
        else [(d, f"{prefix}/data/{i}") for i, d in enumerate(data or ())]
    )
    inc_tweets = inc.get("tweets") or ()
    authors = {
        str(t.get("id")): to_str(t.get("author_id"))
        for t in [*inc_tweets, *(d for d, _ in items)]
        if isinstance(t, dict)
    }
    media = {m["media_key"]: m for m in inc.get("media") or () if isinstance(m, dict) and "media_key" in m}
    for item, path in items:
        if not isinstance(item, dict):
            sink.quarantine(ref.line, f"{path}: not an object", orjson.dumps(item), path)
        elif _is_tweet(item) or ("text" in item and "username" not in item):
            _guard(
                sink, ref, path, item, lambda i=item, p=path: sink.post(post(i, ref, p, True, authors, media))
            )
        elif "username" in item:
            _guard(sink, ref, path, item, lambda i=item, p=path: sink.account(account(i, ref, p)))
        # other items (tweet counts, lists, spaces) carry no posts or accounts
    for i, t in enumerate(inc_tweets):
        p = f"{prefix}/includes/tweets/{i}"
        _guard(sink, ref, p, t, lambda t=t, p=p: sink.post(post(t, ref, p, False, authors, media)))
    for i, u in enumerate(inc.get("users") or ()):
        p = f"{prefix}/includes/users/{i}"
        _guard(sink, ref, p, u, lambda u=u, p=p: sink.account(account(u, ref, p)))


def _flat(tweet: dict[str, Any], ref: RawRef, sink: Sink) -> None:
    refs = [r for r in tweet.get("referenced_tweets") or () if isinstance(r, dict)]
    authors = {str(r.get("id")): to_str(r.get("author_id")) for r in refs}
    media = {m["media_key"]: m for m in tweet.get("attachments", {}).get("media") or () if "media_key" in m}
    sink.post(post(tweet, ref, "", True, authors, media))
    if isinstance(tweet.get("author"), dict):
        _guard(
            sink,
            ref,
            "/author",
            tweet["author"],
            lambda: sink.account(account(tweet["author"], ref, "/author")),
        )
    for i, r in enumerate(refs):
        if not _is_tweet(r):
            continue
        p = f"/referenced_tweets/{i}"
        _guard(sink, ref, p, r, lambda r=r, p=p: sink.post(post(r, ref, p, False, authors, media)))
        if isinstance(r.get("author"), dict):
            ap = p + "/author"
            _guard(sink, ref, ap, r["author"], lambda r=r, ap=ap: sink.account(account(r["author"], ref, ap)))
