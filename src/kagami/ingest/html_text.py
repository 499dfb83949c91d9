"""Plain text and links from the HTML that platforms such as Mastodon put in a post, for analysis.

The HTML itself stays byte-exact in the raw payload (it is the evidence); what a reader stores as a post's
text is what a person reads: tags removed by a real parser (:mod:`html.parser`, which never fetches or
runs anything), entities unescaped, ``<br>`` as a line break and paragraphs separated by a blank line.
The content of ``<script>``, ``<style>`` and similar elements is dropped, never kept as text, and so is
any element carrying one of ``drop_classes`` (Mastodon's ``quote-inline`` fallback, for example).
Whitespace collapses as a browser renders it. Anchors are returned with their classes and ``rel`` so a
reader can tell a link from a mention or a hashtag.

>>> t = html_to_text('<p>Hi &amp; <a href="https://ex.jp/?a=1&amp;b=2" class="x">ex.jp</a></p><p>2<br>3</p>')
>>> t.text
'Hi & ex.jp\\n\\n2\\n3'
>>> t.anchors[0].href, sorted(t.anchors[0].classes)
('https://ex.jp/?a=1&b=2', ['x'])
>>> plain_text("<p>ok</p><script>alert(1)</script>")
'ok'
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser

#: Elements whose content is never text: code, styles, templates and embedded documents.
SKIP_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "svg", "head", "title"}
)
#: Elements that end a line where they start and end (``p`` gets a blank line).
BLOCKS = frozenset(
    {"div", "li", "ul", "ol", "blockquote", "pre", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"header", "footer", "section", "article", "dl", "dt", "dd", "hr", "figure", "figcaption"}
)
#: Elements that have no end tag, so never open a skipped region.
VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}
)

_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_SPACES = re.compile(r" {2,}")
_NL_SPACES = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")


@dataclass(slots=True, frozen=True)
class Anchor:
    """One ``<a href>``: its target (entities unescaped), CSS classes and ``rel`` values."""

    href: str
    classes: frozenset[str]
    rel: frozenset[str]


@dataclass(slots=True, frozen=True)
class HtmlText:
    """The plain text of an HTML fragment and the anchors outside dropped elements, in order."""

    text: str
    anchors: tuple[Anchor, ...]


class _Extractor(HTMLParser):
    """Collects text and anchors; tracks one skipped element (and its nesting) at a time."""

    def __init__(self, drop_classes: Collection[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.drop_classes = frozenset(drop_classes)
        self.out: list[str | int] = []  # text, or a block boundary's newlines
        self.anchors: list[Anchor] = []
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if self.skip_tag == "p" and (tag in BLOCKS or tag == "p"):
                # A block start closes an open <p> (HTML's rule), so an unclosed dropped paragraph
                # cannot swallow the rest of the post.
                self.skip_tag, self.skip_depth = None, 0
                self.handle_starttag(tag, attrs)
            elif tag == self.skip_tag and tag not in VOID:
                self.skip_depth += 1
            return
        values = {k.lower(): v or "" for k, v in attrs}
        classes = frozenset(values.get("class", "").split())
        if tag in SKIP_CONTENT or classes & self.drop_classes:
            if tag not in VOID:
                self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "p":
            self.out.append(2)
        elif tag in BLOCKS:
            self.out.append(1)
        if tag == "a" and values.get("href"):
            rel = frozenset(values.get("rel", "").lower().split())
            self.anchors.append(Anchor(values["href"].strip(), classes, rel))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.skip_tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if tag == "p":
            self.out.append(2)
        elif tag in BLOCKS:
            self.out.append(1)

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            self.out.append(_SPACE.sub(" ", data))

    def text(self) -> str:
        """The collected text; adjacent block boundaries merge into the widest (1 or 2 newlines)."""
        parts: list[str] = []
        pending = 0
        for tok in self.out:
            if isinstance(tok, int):
                pending = max(pending, tok)
            elif pending and not tok.strip(" "):
                continue
            else:
                if pending and parts:
                    parts.append("\n" * pending)
                parts.append(tok)
                pending = 0
        joined = _NL_SPACES.sub("\n", _SPACES.sub(" ", "".join(parts)))
        return _MANY_NL.sub("\n\n", joined).strip(" \n")


def html_to_text(html: str, drop_classes: Collection[str] = ()) -> HtmlText:
    """The plain text of ``html`` and its anchors; elements with a class in ``drop_classes`` are left out."""
    parser = _Extractor(drop_classes)
    parser.feed(html)
    parser.close()
    return HtmlText(parser.text(), tuple(parser.anchors))


def plain_text(html: str | None, drop_classes: Collection[str] = ()) -> str | None:
    """Just the text of :func:`html_to_text`; None for None and for HTML with no text."""
    if html is None:
        return None
    return html_to_text(html, drop_classes).text or None
