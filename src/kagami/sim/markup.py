"""Post content as one compact string with inline markers for hashtags, links and mentions.

The generators write content once; each platform's writer renders it with its own conventions (a t.co
link and code-point offsets on X, a shortened link and UTF-8 byte offsets in Bluesky facets).

>>> c = "米が高い " + tag("物価高") + " " + link("https://www.nhk.or.jp/a") + " " + mention(7)
>>> [(k, v) for k, v in segments(c)]
[(0, '米が高い '), (1, '物価高'), (0, ' '), (2, 'https://www.nhk.or.jp/a'), (0, ' '), (3, '7')]
>>> plain(c, lambda i: f"user{i}")
'米が高い #物価高 https://www.nhk.or.jp/a @user7'
>>> text, facets = render_bsky("見て " + tag("参院選"), lambda i: ("", ""))
>>> text.encode()[facets[0][0]:facets[0][1]].decode()
'#参院選'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

TEXT, TAG, LINK, MENTION = 0, 1, 2, 3
_OPEN = {TAG: "\ue000", LINK: "\ue001", MENTION: "\ue002"}
_END = "\ue00f"
_SPLIT = re.compile("([\ue000\ue001\ue002])([^\ue00f]*)\ue00f")
_KIND = {"\ue000": TAG, "\ue001": LINK, "\ue002": MENTION}

#: A Bluesky facet: (byteStart, byteEnd, feature kind, value): kind is "tag", "link" or "mention".
Facet = tuple[int, int, str, str]


def tag(name: str) -> str:
    """A hashtag (without '#')."""
    return f"\ue000{name}{_END}"


def link(url: str) -> str:
    """A link to ``url`` (rendered as a t.co link on X, a shortened URL on Bluesky)."""
    return f"\ue001{url}{_END}"


def mention(account: int) -> str:
    """A mention of the simulated account with index ``account`` (same platform as the post)."""
    return f"\ue002{account}{_END}"


def segments(content: str) -> Iterator[tuple[int, str]]:
    """The (kind, value) pieces of a content string, in order."""
    parts = _SPLIT.split(content)
    for i in range(0, len(parts), 3):
        if parts[i]:
            yield TEXT, parts[i]
        if i + 2 < len(parts):
            yield _KIND[parts[i + 1]], parts[i + 2]


def links(content: str) -> list[str]:
    """The URLs linked from a content string."""
    return [v for k, v in segments(content) if k == LINK]


def hashtags(content: str) -> list[str]:
    return [v for k, v in segments(content) if k == TAG]


def plain(content: str, handle: Callable[[int], str]) -> str:
    """The content as a person would read it, with full URLs."""
    out = []
    for kind, value in segments(content):
        out.append(
            value if kind in (TEXT, LINK) else ("#" + value if kind == TAG else "@" + handle(int(value)))
        )
    return "".join(out)


def short_url(url: str, limit: int = 26) -> str:
    """A link as the Bluesky app shows it: no scheme, no ``www.``, cut with '...'."""
    s = url.split("://", 1)[-1]
    s = s[4:] if s.startswith("www.") else s
    return s if len(s) <= limit else s[: limit - 3] + "..."


def render_bsky(content: str, account: Callable[[int], tuple[str, str]]) -> tuple[str, list[Facet]]:
    """Bluesky text and facets; ``account(i)`` gives (handle, did). Offsets are UTF-8 bytes."""
    out: list[str] = []
    facets: list[Facet] = []
    pos = 0
    for kind, value in segments(content):
        if kind == TEXT:
            piece = value
        elif kind == TAG:
            piece = "#" + value
        elif kind == LINK:
            piece = short_url(value)
        else:
            handle, did = account(int(value))
            piece = "@" + handle
            value = did
        n = len(piece.encode())
        if kind != TEXT:
            facets.append((pos, pos + n, ("", "tag", "link", "mention")[kind], value))
        out.append(piece)
        pos += n
    return "".join(out), facets
