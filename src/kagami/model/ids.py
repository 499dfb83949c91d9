"""Platform-qualified identifiers, so that an X id and a Bluesky id can never collide.

>>> uid("x", "1380242611781386245")
'x:1380242611781386245'
>>> split_uid("bsky:at://did:plc:abc/app.bsky.feed.post/3k")
('bsky', 'at://did:plc:abc/app.bsky.feed.post/3k')
"""

from __future__ import annotations

#: Short platform codes used as the prefix of every uid.
PLATFORMS = ("x", "bsky", "mastodon", "telegram", "csv")


def uid(platform: str, native_id: str) -> str:
    """Return the platform-qualified id of a native id."""
    return f"{platform}:{native_id}"


def split_uid(value: str) -> tuple[str, str]:
    """Split a platform-qualified id into (platform, native id)."""
    platform, sep, native = value.partition(":")
    if not sep or not native:
        raise ValueError(f"not a platform-qualified id: {value!r}")
    return platform, native
