"""Typed records shared by every stage: accounts, posts, actions, links, media and their provenance."""

from kagami.model.ids import PLATFORMS, split_uid, uid
from kagami.model.records import (
    ACTION_KINDS,
    POST_KINDS,
    Account,
    Action,
    Link,
    Media,
    Mention,
    Post,
    Quarantined,
    RawRef,
)

__all__ = [
    "ACTION_KINDS",
    "PLATFORMS",
    "POST_KINDS",
    "Account",
    "Action",
    "Link",
    "Media",
    "Mention",
    "Post",
    "Quarantined",
    "RawRef",
    "split_uid",
    "uid",
]
