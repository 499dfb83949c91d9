"""One campaign's section of the situation report, and the safe table and cell helpers it is built of.

Each helper takes values straight from the campaigns document and returns HTML that is safe to place:
``cell`` shows any value (cut, hidden characters marked, escaped, in a ``<bdi>``), ``number`` formats
numbers and falls back to ``cell``, ``when`` writes an ISO time in JST with the UTC original in its
title, and ``table`` puts bilingual headers over rows, capped at ``MAX_ROWS`` with a note. Missing or
mistyped fields render as empty cells or "none", never as an error.

>>> cell("<i>\u202e")
'<bdi>&lt;i&gt;<span class="cc">⟨U+202E⟩</span></bdi>'
>>> number(0.8234), number(12345), when("2026-11-29T19:00:00Z")[:38]
('0.82', '12,345', '<time datetime="2026-11-29T19:00:00Z" ')
>>> "Member accounts" in campaign_section(1, {"id": "C01"})
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kagami.assess.report_svg import network_svg, to_jst
from kagami.assess.report_text import bi, bi_block, bi_term, plain, show, text_of

#: Rows shown per table; the rest are counted in a note.
MAX_ROWS = 500
#: Characters of a post's text shown; longer texts end in an ellipsis and their full length.
POST_LIMIT = 1000
Row = Mapping[str, Any]
Fmt = Callable[[Any], str]
#: A table column: (header key in STRINGS, document field, cell formatter).
Column = tuple[str, str, Fmt]


def rows(value: Any) -> list[Row]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_map(value: Any) -> Row:
    return value if isinstance(value, Mapping) else {}


def cell(value: Any, limit: int = 300) -> str:
    """A hostile string for element content: made safe and direction-isolated."""
    return f"<bdi>{show(value, limit)}</bdi>"


def number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return cell(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def when(value: Any) -> str:
    if value is None or value == "":
        return "–"
    jst = to_jst(value)
    return (
        cell(value) if jst is None else f'<time datetime="{plain(value)}" title="{plain(value)}">{jst}</time>'
    )


def _some(values: Any, fmt: Callable[[Any], str], cap: int = 5) -> str:
    """The first ``cap`` items of a list cell, one per line, and how many more there are."""
    listed = items(values)
    out = "<br>".join(fmt(v) for v in listed[:cap])
    return out + (f"<br>{bi('more', n=f'{len(listed) - cap:,}')}" if len(listed) > cap else "")


def _sha(value: Any) -> str:
    full = text_of(value)
    return f'<code title="{plain(full, 128)}">{show(full[:12], 12)}{"…" if len(full) > 12 else ""}</code>'


def table(cols: Sequence[Column], items: Sequence[Row]) -> str:
    """A table of ``items`` with bilingual headers, one cell per column; "none" when there are no items."""
    if not items:
        return f'<p class="empty">{bi("empty")}</p>'
    head = "".join(f"<th>{bi(key)}</th>" for key, _, _ in cols)
    classes = ["num" if fmt is number else ("post" if key == "text" else "") for key, _, fmt in cols]
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{k}">{fmt(item.get(field))}</td>' if k else f"<td>{fmt(item.get(field))}</td>"
            for k, (_, field, fmt) in zip(classes, cols, strict=True)
        )
        + "</tr>"
        for item in items[:MAX_ROWS]
    )
    cut = (
        f'<p class="note">{bi("rows_cut", shown=f"{MAX_ROWS:,}", total=f"{len(items):,}")}</p>'
        if len(items) > MAX_ROWS
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{cut}"


def facts(pairs: Sequence[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{bi(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def _network(c: Row) -> str:
    svg, nodes_cut, edges_cut = network_svg(as_map(c.get("network")))
    if not svg:
        return f'<h3>{bi("network")}</h3><p class="empty">{bi("network.none")}</p>'
    notes = "".join(
        f'<p class="note">{bi(key, shown=f"{cut[0]:,}", total=f"{cut[1]:,}")}</p>'
        for key, cut in (("network.nodes_cut", nodes_cut), ("network.edges_cut", edges_cut))
        if cut
    )
    return f"<h3>{bi('network')}</h3>{bi_block('network.text')}{svg}{notes}"


def _text(limit: int) -> Fmt:
    return lambda v: cell(v, limit)


def _list(limit: int, cap: int) -> Fmt:
    return lambda v: ", ".join(cell(x, limit) for x in items(v)[:cap])


#: A campaign's tables in order: (heading key, document field, columns).
TABLES: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    (
        "disarm",
        "disarm",
        (
            ("id", "id", _text(20)),
            ("name", "name", cell),
            ("tactic", "tactic", cell),
            ("rule", "rule", _text(1000)),
        ),
    ),
    (
        "origin",
        "origin",
        (
            ("indicator", "indicator", lambda v: bi_term("indicator", v)),
            ("value", "value", cell),
            ("confidence", "confidence", number),
            ("accounts", "accounts", number),
        ),
    ),
    (
        "narratives",
        "narratives",
        (("label", "label", cell), ("terms", "terms", _list(60, 20)), ("posts", "posts", number)),
    ),
    (
        "targets",
        "top_targets",
        (
            ("author", "author_handle", cell),
            ("text", "text", _text(POST_LIMIT)),
            ("engagements", "engagements", number),
            ("post", "post_uid", _text(80)),
        ),
    ),
    (
        "links",
        "top_links",
        (
            ("domain", "domain", cell),
            ("url", "url", lambda v: f"<code>{cell(v, 500)}</code>"),
            ("posts", "posts", number),
        ),
    ),
    ("hashtags", "hashtags", (("tag", "tag", cell), ("posts", "posts", number))),
    (
        "claims",
        "claims",
        (("claim", "claim", _text(1000)), ("rating", "rating", cell), ("posts", "posts", number)),
    ),
    (
        "evidence",
        "evidence",
        (
            ("kind", "kind", cell),
            ("fact", "fact", _text(1000)),
            ("post_ids", "post_ids", lambda v: _some(v, _text(80))),
            ("times", "times", lambda v: _some(v, when)),
            ("sha", "raw_sha256", lambda v: _some(v, _sha)),
        ),
    ),
    (
        "members",
        "accounts",
        (
            ("handle", "handle", cell),
            ("uid", "uid", _text(80)),
            ("platform", "platform", cell),
            ("role", "role", lambda v: bi_term("role", v)),
            ("score", "score", number),
        ),
    ),
)
#: Explanations shown above a table.
NOTES = {"origin": "origin.text", "links": "links.text"}


def campaign_section(i: int, c: Row) -> str:
    """One campaign's section: key facts, network, techniques, indicators, content and evidence."""
    summary = facts(
        [
            ("score", number(c.get("score"))),
            ("confidence", bi_term("confidence", c.get("confidence"))),
            ("accounts", number(c.get("size"))),
            ("platforms", _list(40, 50)(c.get("platforms"))),
            ("first_seen", when(c.get("first_seen"))),
            ("last_seen", when(c.get("last_seen"))),
            ("layers", _list(40, 50)(c.get("layers"))),
        ]
    )
    body = "".join(
        f"<h3>{bi(key)}</h3>{bi_block(NOTES[key]) if key in NOTES else ''}{table(cols, rows(c.get(field)))}"
        for key, field, cols in TABLES
    )
    return (
        f'<section class="campaign" id="c{i}"><h2>{bi("campaign", id=cell(c.get("id"), 40))}</h2>'
        f"{summary}{_network(c)}{body}</section>"
    )
