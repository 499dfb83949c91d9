"""Inline SVG charts for the situation report: each campaign's timeline and its account network.

Nothing is fetched: every chart is an ``<svg>`` element written into the page, labelled in both
languages, with times in Japan Standard Time (UTC+9; Japan keeps no daylight saving, so a fixed offset is
exact and needs no time-zone database). Timelines share one time axis so campaigns can be compared; bars
are hourly, or wider buckets (aligned to JST midnight) when a campaign spans too many hours to draw.

The network is laid out with igraph's Fruchterman-Reingold under a fixed seed, so the same document
always gives the same picture. At most ``MAX_NODES`` accounts are drawn (hubs first, then the most
strongly connected) and ``MAX_EDGES`` links (the heaviest); a note says when some were left out. Every
dot carries a ``<title>`` with the handle and id; hubs are larger, darker and labelled.

>>> to_jst("2026-11-29T19:00:00Z")
'2026-11-30 04:00 JST'
>>> net = {"nodes": [{"id": "x:1", "label": "<a>", "role": "hub"}], "edges": []}
>>> svg, nodes_cut, edges_cut = network_svg(net)
>>> "&lt;a&gt;" in svg, nodes_cut, edges_cut
(True, None, None)
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import igraph as ig

from kagami.assess.report_text import LANGS, plain, text_of, tr

JST = timezone(timedelta(hours=9), "JST")
MAX_NODES = 300
MAX_EDGES = 3000
SEED = 20261129
BUCKETS = (1, 2, 3, 6, 12, 24, 168)
TICKS = (1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720, 2160)
W, H, LEFT, RIGHT = 780, 190, 104, 12
BANDS = ((16, 76, "posts", "bar-posts"), (96, 156, "engagements", "bar-eng"))


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (naive times are UTC), or None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def to_jst(value: Any) -> str | None:
    """An ISO 8601 time written as ``YYYY-MM-DD HH:MM JST``, or None when unreadable."""
    t = parse_time(value)
    return None if t is None else t.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


def _svg_text(x: float, y: float, key: str, anchor: str = "start", **fmt: str) -> str:
    return "".join(
        f'<text class="{lang}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{tr(key, lang, **fmt)}</text>'
        for lang in LANGS
    )


def _hours(series: Sequence[Any]) -> dict[int, tuple[float, float]]:
    """Posts and engagements by hour since the epoch (UTC), summed over repeated hours."""
    out: dict[int, tuple[float, float]] = {}
    for row in series:
        if not isinstance(row, Mapping) or (t := parse_time(row.get("t"))) is None:
            continue
        h = math.floor(t.timestamp() / 3600)
        p, e = out.get(h, (0.0, 0.0))
        out[h] = (p + _num(row.get("posts")), e + _num(row.get("engagements")))
    return out


def _num(value: Any) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else 0.0


def time_axis(timelines: Sequence[Sequence[Any]]) -> tuple[int, int, int] | None:
    """The shared (first bucket start, end, bucket hours) in epoch hours, or None when no time is readable."""
    hours = [h for series in timelines for h in _hours(series)]
    if not hours:
        return None
    lo, hi = min(hours), max(hours) + 1
    bucket = next((b for b in BUCKETS if (hi - lo) / b <= 400), BUCKETS[-1])
    start = (lo + 9) // bucket * bucket - 9  # buckets aligned to JST midnight
    end = -((-(hi + 9)) // bucket) * bucket - 9
    return start, end, bucket


def timeline_svg(series: Sequence[Any], axis: tuple[int, int, int], title: str) -> str:
    """Bars of posts (top band) and engagements (bottom band) per bucket on the shared ``axis``."""
    start, end, bucket = axis
    span, width = end - start, W - LEFT - RIGHT
    sums: dict[int, list[float]] = {}
    for h, (p, e) in _hours(series).items():
        acc = sums.setdefault((h - start) // bucket, [0.0, 0.0])
        acc[0] += p
        acc[1] += e
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img">'
    ]
    parts.append(f"<title>{plain(title)}</title>")
    bar_w = max(0.6, bucket / span * width - 0.4)
    for k, (top, bottom, key, cls) in enumerate(BANDS):
        peak = max((v[k] for v in sums.values()), default=0.0)
        parts.append(_svg_text(LEFT - 6, top + 10, key, "end"))
        parts.append(_svg_text(LEFT - 6, top + 24, "max", "end", n=f"{peak:,.0f}"))
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{W - RIGHT}" y2="{bottom}"/>')
        for i in sorted(sums):
            if peak <= 0 or sums[i][k] <= 0:
                continue
            x = LEFT + i * bucket / span * width
            bar_h = max(1.0, sums[i][k] / peak * (bottom - top))
            parts.append(
                f'<rect class="{cls}" x="{x:.1f}" y="{bottom - bar_h:.1f}" width="{bar_w:.1f}" '
                f'height="{bar_h:.1f}">'
                f"<title>{_bucket_label(start + i * bucket)} · {sums[i][k]:,.0f}</title></rect>"
            )
    parts.append(_ticks(start, end))
    parts.append(_svg_text(W - RIGHT, H - 2, "bucket", "end", h=str(bucket)))
    parts.append(_svg_text(LEFT, H - 2, "axis.time"))
    parts.append("</svg>")
    return "".join(parts)


def _bucket_label(hour: int) -> str:
    return datetime.fromtimestamp(hour * 3600, JST).strftime("%m/%d %H:00")


def _ticks(start: int, end: int) -> str:
    """Tick marks and JST labels under the bottom band, at most about eight."""
    step = next((s for s in TICKS if (end - start) / s <= 8), TICKS[-1])
    width, y = W - LEFT - RIGHT, BANDS[-1][1]
    out = []
    first = -((-(start + 9)) // step) * step - 9
    for hour in range(first, end + 1, step):
        x = LEFT + (hour - start) / (end - start) * width
        t = datetime.fromtimestamp(hour * 3600, JST)
        label = t.strftime("%m/%d") if step >= 24 else t.strftime("%m/%d %H:%M")
        out.append(f'<line class="axis" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}"/>')
        out.append(f'<text x="{x:.1f}" y="{y + 16}" text-anchor="middle">{label}</text>')
    return "".join(out)


def _graph(
    network: Mapping[str, Any],
) -> tuple[list[Mapping[str, Any]], list[tuple[int, int, float]], int, int]:
    """Nodes and index edges to draw, with the document's node and edge counts before any cut."""
    nodes: dict[str, Mapping[str, Any]] = {}
    for n in network.get("nodes") or []:
        if isinstance(n, Mapping) and text_of(n.get("id")) not in nodes:
            nodes[text_of(n.get("id"))] = n
    edges = [
        (text_of(e.get("a")), text_of(e.get("b")), _num(e.get("weight")) or 1.0)
        for e in network.get("edges") or []
        if isinstance(e, Mapping)
    ]
    edges = [(a, b, w) for a, b, w in edges if a != b and a in nodes and b in nodes]
    strength = dict.fromkeys(nodes, 0.0)
    for a, b, w in edges:
        strength[a] += w
        strength[b] += w
    order = sorted(nodes, key=lambda i: (text_of(nodes[i].get("role")) != "hub", -strength[i], i))[:MAX_NODES]
    index = {uid: k for k, uid in enumerate(order)}
    kept = sorted((e for e in edges if e[0] in index and e[1] in index), key=lambda e: (-e[2], e[0], e[1]))
    drawn = [(index[a], index[b], w) for a, b, w in kept[:MAX_EDGES]]
    return [nodes[i] for i in order], drawn, len(nodes), len(kept)


def _layout(n: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[float, float]]:
    """Fruchterman-Reingold positions scaled to the unit square, the same on every run."""
    if n == 1:
        return [(0.5, 0.5)]
    g = ig.Graph(n=n, edges=[(a, b) for a, b, _ in edges])
    ig.set_random_number_generator(random.Random(SEED))
    try:
        coords = g.layout_fruchterman_reingold(weights=[w for _, _, w in edges] or None, niter=500).coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    scale = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0  # one scale for both axes keeps the shape
    dx, dy = (1 - (max(xs) - min(xs)) / scale) / 2, (1 - (max(ys) - min(ys)) / scale) / 2
    return [((x - min(xs)) / scale + dx, (y - min(ys)) / scale + dy) for x, y in coords]


def network_svg(
    network: Mapping[str, Any], size: int | None = None
) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    """The network picture (``size`` pixels square, by default by node count), and (shown, total) for
    nodes and for edges when some were left out."""
    nodes, edges, n_total, e_total = _graph(network)
    if not nodes:
        return "", None, None
    size = size or (360 if len(nodes) <= 20 else 640)
    pos = [(24 + x * (size - 48), 24 + y * (size - 48)) for x, y in _layout(len(nodes), edges)]
    top = max((w for _, _, w in edges), default=1.0) or 1.0
    degree = [0] * len(nodes)
    for a, b, _ in edges:
        degree[a] += 1
        degree[b] += 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}">'
    ]
    for a, b, w in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(
            f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{0.4 + 2.2 * w / top:.2f}"/>'
        )
    labels = []
    for k, node in enumerate(nodes):
        hub = text_of(node.get("role")) == "hub"
        (x, y), r = pos[k], (7.0 if hub else 3.0 + min(4.0, math.sqrt(degree[k])))
        name = f"{text_of(node.get('label'))} ({text_of(node.get('id'))})"
        parts.append(
            f'<circle class="node{" hub" if hub else ""}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
            f"<title>{plain(name)}{' · ハブ / hub' if hub else ''}</title></circle>"
        )
        if hub:
            left = x > size * 0.75  # labels near the right edge run leftwards, inside the picture
            labels.append(
                f'<text class="hub-label" x="{x - 9 if left else x + 9:.1f}" y="{y + 3:.1f}" '
                f'text-anchor="{"end" if left else "start"}">'
                f"{plain(node.get('label'), 24)}</text>"
            )
    parts.extend(labels)
    parts.append("</svg>")
    nodes_cut = (len(nodes), n_total) if n_total > len(nodes) else None
    edges_cut = (len(edges), e_total) if e_total > len(edges) else None
    return "".join(parts), nodes_cut, edges_cut
