"""Telegram Desktop's JSON export (``result.json``): one chat, or an account's ``chats`` and ``left_chats``.

Ids use the export's own peer form (``channel1234567890``, ``user42``, ``chat7``): ``from_id`` and
``forwarded_from_id`` are written that way, and a chat's bare numeric ``id`` is given the prefix its
``type`` implies (channels and supergroups are ``channel``), so a channel's posts and the channel itself
share one id. A message's id is ``<chat peer>/<message id>``.

* Time: ``date`` is the exporting computer's local time with no zone, so ``date_unixtime`` (UTC) is used;
  exports older than that field fall back to ``date`` read as UTC.
* Text: ``text_entities`` (or ``text``) concatenated; links from ``link`` (its text; ``http://`` added when
  bare, as the app does) and ``text_link`` (its ``href``), hashtags, ``mention`` and ``mention_name``.
* A forward has no text of its own: it is a ``repost`` of ``forwarded_from_id`` (None when the original
  author hides it); the export does not carry the original message id, so ``ref_id`` is None.
* ``reply_to_message_id`` is a reply in the same chat (or in ``reply_to_peer_id``); its author is filled in
  when the parent is in the export.
* Reactions of every kind are summed into ``like_count``. Media files are kept as ``key`` (their path in the
  export folder, or file name when not downloaded). Service messages are not posts; a ``create_channel``
  one dates the channel.
* A channel or supergroup is an account observation; so is each sender and forward source as named in
  the chat (one per name and chat). The export's own ``personal_information`` is never loaded.

>>> sniff({"name": "ニュース", "type": "public_channel", "id": 1, "messages": []})
True
>>> chat_peer({"type": "private_supergroup", "id": 5}), chat_peer({"type": "personal_chat", "id": 9})
('channel5', 'user9')
>>> text_parts(["見て ", {"type": "hashtag", "text": "#選挙"}])[0]
'見て #選挙'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from kagami.ingest.base import RecordError, Sink
from kagami.ingest.common import parse_time, pointer, to_int, to_str
from kagami.ingest.links import make_link
from kagami.model import Account, Link, Media, Mention, Post, RawRef

NAME = "telegram"
VERSION = "1"
PLATFORM = "telegram"
PEER_PREFIX = {
    "personal_chat": "user",
    "bot_chat": "user",
    "saved_messages": "user",
    "private_group": "chat",
    "private_supergroup": "channel",
    "public_supergroup": "channel",
    "private_channel": "channel",
    "public_channel": "channel",
}
BROADCAST = ("private_channel", "public_channel")
Path = tuple[str | int, ...]


def sniff(obj: Any) -> bool:
    """A single-chat export (name, type, id, messages) or a full export (chats.list)."""
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("messages"), list) and isinstance(obj.get("type"), str) and "id" in obj:
        return True
    chats = obj.get("chats")
    return isinstance(chats, dict) and isinstance(chats.get("list"), list)


def chat_peer(chat: dict[str, Any]) -> str:
    """The peer id of a chat (``channel<id>``, ``chat<id>`` or ``user<id>``)."""
    cid = to_int(chat.get("id"))
    if cid is None:
        raise RecordError("chat: missing numeric 'id'")
    return f"{PEER_PREFIX.get(str(chat.get('type')), 'chat')}{cid}"


def text_parts(text: Any) -> tuple[str, list[Link], list[str], list[Mention]]:
    """Plain text, links, hashtags and mentions of a ``text`` / ``text_entities`` value."""
    parts = text if isinstance(text, list) else [] if text is None else [text]
    out: list[str] = []
    links: list[Link] = []
    tags: list[str] = []
    mentions: list[Mention] = []
    pos = 0
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            pos += len(part)
            continue
        if not isinstance(part, dict) or not isinstance(part.get("text", ""), str):
            raise RecordError(f"text entity is not an object with text: {str(part)[:60]!r}")
        body, kind = part.get("text", ""), part.get("type")
        start, end = pos, pos + len(body)
        if kind == "link" and body:
            links.append(make_link(body, None if "://" in body else "http://" + body, start, end))
        elif kind == "text_link" and isinstance(part.get("href"), str):
            links.append(make_link(part["href"], None, start, end))
        elif kind == "hashtag" and len(body) > 1:
            tags.append(body.lstrip("#"))
        elif kind == "mention" and len(body) > 1:
            mentions.append(Mention(body.lstrip("@"), None, start, end))
        elif kind == "mention_name":
            uid = to_int(part.get("user_id"))
            mentions.append(Mention(body, None if uid is None else f"user{uid}", start, end))
        out.append(body)
        pos = end
    return "".join(out), links, tags, mentions


def _media(msg: dict[str, Any]) -> list[Media]:
    media = []
    for field, default_kind in (("photo", "photo"), ("file", "file")):
        path = to_str(msg.get(field))
        if path is None:
            continue
        if path.startswith("(File "):  # "(File not included. Change data exporting settings to download.)"
            path = to_str(msg.get("file_name"))
        kind = default_kind if field == "photo" else to_str(msg.get("media_type")) or default_kind
        media.append(Media(url=None, kind=kind, key=path))
    return media


@dataclass(slots=True)
class _Chat:
    """What every message of one chat needs: its peer id, its default author and who wrote what."""

    peer: str
    default_author: str | None
    authors: dict[int, str | None]


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, RecordError) else f"unreadable ({type(exc).__name__}: {exc})"


def _post(msg: Any, path: Path, ref: RawRef, chat: _Chat) -> Post | None:
    """The post of one message; None for a service or unsupported message."""
    if not isinstance(msg, dict):
        raise RecordError("message is not an object")
    mid = to_int(msg.get("id"))
    if mid is None:
        raise RecordError("message: missing 'id'")
    kind = msg.get("type")
    if kind in ("service", "unsupported"):
        return None
    if kind != "message":
        raise RecordError(f"message {mid}: unknown type {str(kind)[:40]!r}")
    created = parse_time(to_int(msg.get("date_unixtime"))) or parse_time(msg.get("date"))
    if created is None:
        raise RecordError(f"message {mid}: no readable date")
    peer = chat.peer
    author = to_str(msg.get("from_id")) or chat.default_author
    entities = msg.get("text_entities")
    text, links, tags, mentions = text_parts(entities if isinstance(entities, list) else msg.get("text"))
    reactions = msg.get("reactions")
    likes = sum(to_int(r.get("count")) or 0 for r in reactions if isinstance(r, dict)) if reactions else None
    post = Post(
        platform=PLATFORM,
        id=f"{peer}/{mid}",
        author_id=author,
        created_at=created,
        text=text or None,
        raw=ref,
        raw_path=pointer(*path),
        links=links,
        hashtags=tags,
        mentions=mentions,
        media=_media(msg),
        like_count=likes,
        source=to_str(msg.get("via_bot")),
    )
    parent = to_int(msg.get("reply_to_message_id"))
    if parent is not None:
        parent_peer = to_str(msg.get("reply_to_peer_id")) or peer
        post.kind, post.reply_to_id = "reply", f"{parent_peer}/{parent}"
        post.reply_to_author_id = chat.authors.get(parent) if parent_peer == peer else None
    if "forwarded_from" in msg or "forwarded_from_id" in msg:
        post.kind, post.ref_author_id = "repost", to_str(msg.get("forwarded_from_id"))
    return post


def _chat(chat: Any, path: Path, ref: RawRef, sink: Sink) -> None:
    """Emit one chat's posts and accounts; a malformed message is quarantined, the rest loads."""
    if not isinstance(chat, dict):
        raise RecordError("chat is not an object")
    peer = chat_peer(chat)
    messages = chat.get("messages", [])
    if not isinstance(messages, list):
        raise RecordError(f"chat {peer}: 'messages' is not a list")
    info = _Chat(peer, peer if chat.get("type") in BROADCAST else None, {})
    for m in messages:
        if isinstance(m, dict) and (mid := to_int(m.get("id"))) is not None:
            info.authors[mid] = to_str(m.get("from_id")) or info.default_author
    seen: dict[tuple[str, str], Path] = {}
    created = None
    for n, msg in enumerate(messages):
        mpath = (*path, "messages", n)
        try:
            post = _post(msg, mpath, ref, info)
        except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
            sink.quarantine(ref.line, _reason(exc), orjson.dumps(msg), pointer(*mpath))
            continue
        if post is None:
            if msg.get("action") == "create_channel" and created is None:
                created = parse_time(to_int(msg.get("date_unixtime"))) or parse_time(msg.get("date"))
            continue
        sink.post(post)
        for id_key, name_key in (("from_id", "from"), ("forwarded_from_id", "forwarded_from")):
            pid, name = to_str(msg.get(id_key)), to_str(msg.get(name_key))
            if pid and name and pid != peer:
                seen.setdefault((pid, name), mpath)
    if peer.startswith("channel"):
        sink.account(
            Account(
                platform=PLATFORM,
                id=peer,
                raw=ref,
                raw_path=pointer(*path),
                display_name=to_str(chat.get("name")),
                created_at=created,
            )
        )
    for (pid, name), mpath in seen.items():
        sink.account(Account(platform=PLATFORM, id=pid, raw=ref, raw_path=pointer(*mpath), display_name=name))


def handle(obj: Any, ref: RawRef, sink: Sink) -> None:
    """Read a single-chat export, or every chat of a full export (a bad chat is quarantined alone)."""
    if not isinstance(obj, dict):
        raise RecordError("not a Telegram Desktop export (expected a JSON object)")
    if not (isinstance(obj.get("chats"), dict) and isinstance(obj["chats"].get("list"), list)):
        _chat(obj, (), ref, sink)
        return
    for key in ("chats", "left_chats"):
        section = obj.get(key)
        chats = section.get("list") if isinstance(section, dict) else None
        for i, chat in enumerate(chats if isinstance(chats, list) else []):
            try:
                _chat(chat, (key, "list", i), ref, sink)
            except (RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
                sink.quarantine(ref.line, _reason(exc), orjson.dumps(chat), pointer(key, "list", i))
