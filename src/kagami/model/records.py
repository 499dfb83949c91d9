"""The typed records every reader produces and every stage consumes.

A record never travels without its evidence: ``raw`` points to the byte-exact payload it was read
from (file, line, sha256 of the raw bytes, retrieval time, reader) and ``raw_path`` is the JSON
pointer of the record inside that payload (``/data/3``, ``/includes/users/0``; empty for the whole
payload).

>>> ref = RawRef("a.jsonl", "f" * 64, 1, "0" * 64, None, "twarc2", "1")
>>> p = Post(platform="x", id="1", author_id="9", created_at=None, text="こんにちは", raw=ref)
>>> p.uid, p.author_uid, p.kind
('x:1', 'x:9', 'post')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kagami.model.ids import uid

#: What a post is: an original post, a repost (retweet/boost), a quote or a reply.
POST_KINDS = ("post", "repost", "quote", "reply")

#: Engagements that have no post of their own, and deletions and status changes.
ACTION_KINDS = (
    "like",
    "unlike",
    "follow",
    "unfollow",
    "delete_post",
    "delete_repost",
    "account_status",
    "compliance",
)


@dataclass(slots=True, frozen=True)
class RawRef:
    """Where a record came from: the raw payload's file, line, hash and reader."""

    source_file: str
    file_sha256: str
    line: int | None
    sha256: str
    retrieved_at: datetime | None
    reader: str
    reader_version: str


@dataclass(slots=True)
class Link:
    """A link as posted, as expanded by the platform, normalised, and its registered domain."""

    url: str
    expanded: str | None = None
    normalized: str | None = None
    domain: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Mention:
    """A mentioned account: handle as written and the platform id when known."""

    handle: str
    id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Media:
    """An attached picture or video: its URL, type and content hash when the platform gives one."""

    url: str | None
    kind: str | None = None
    key: str | None = None
    hash: str | None = None


@dataclass(slots=True)
class Account:
    """One observation of an account's profile (the store keeps every observation)."""

    platform: str
    id: str
    raw: RawRef
    raw_path: str = ""
    handle: str | None = None
    display_name: str | None = None
    created_at: datetime | None = None
    description: str | None = None
    location: str | None = None
    url: str | None = None
    avatar_url: str | None = None
    default_avatar: bool | None = None
    verified: bool | None = None
    protected: bool | None = None
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    bot: bool | None = None  # the account declares itself automated (Mastodon's bot flag)
    observed_at: datetime | None = None

    @property
    def uid(self) -> str:
        return uid(self.platform, self.id)


@dataclass(slots=True)
class Post:
    """A post, repost, quote or reply, with its entities and public metrics.

    ``primary`` is False for a post seen only as a referenced object (an X ``includes.tweets`` entry, a
    quoted post embedded in another): the store prefers a primary copy when both are seen.
    """

    platform: str
    id: str
    author_id: str | None
    created_at: datetime | None
    text: str | None
    raw: RawRef
    raw_path: str = ""
    primary: bool = True
    lang: str | None = None
    kind: str = "post"
    ref_id: str | None = None
    ref_author_id: str | None = None
    reply_to_id: str | None = None
    reply_to_author_id: str | None = None
    quote_of_id: str | None = None
    conversation_id: str | None = None
    links: list[Link] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    like_count: int | None = None
    repost_count: int | None = None
    reply_count: int | None = None
    quote_count: int | None = None
    view_count: int | None = None
    source: str | None = None
    edit_ids: list[str] = field(default_factory=list)
    withheld_in: list[str] = field(default_factory=list)
    url: str | None = None

    @property
    def uid(self) -> str:
        return uid(self.platform, self.id)

    @property
    def author_uid(self) -> str | None:
        return None if self.author_id is None else uid(self.platform, self.author_id)


@dataclass(slots=True)
class Action:
    """An engagement with no post of its own (like, follow) or a deletion or status change.

    ``id`` must be deterministic for the same input (a record key, or the payload hash and path) so that
    re-ingesting adds nothing.
    """

    platform: str
    id: str
    kind: str
    actor_id: str | None
    target_id: str | None
    target_kind: str  # "post" | "account" | "action" (an unlike or unfollow) | "record" | "post_or_account"
    created_at: datetime | None
    raw: RawRef
    raw_path: str = ""
    detail: str | None = None

    @property
    def uid(self) -> str:
        return uid(self.platform, self.id)


@dataclass(slots=True)
class Quarantined:
    """A line or record that could not be read: kept with its reason, never interpreted."""

    source_file: str
    file_sha256: str
    line: int | None
    reason: str
    raw: bytes
    reader: str
    raw_path: str = ""
