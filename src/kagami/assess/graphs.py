"""The account network as GEXF 1.3 (Gephi) and GraphML (igraph, networkx, Cytoscape), undirected.

Nodes are mappings with ``id`` (str), ``label`` (str; the id when absent) and any other attributes;
edges are mappings with ``a``, ``b`` (node ids), ``weight`` and any other attributes. Attribute values
are str, int, float or bool (None = missing); lists and tuples are joined with ``;`` into a string.
Each attribute gets one declared type from its non-null values: ``boolean`` if all are bool,
``integer`` if all are int (``long`` beyond 32 bits), ``double`` if all are numbers, else ``string``.

Every string (ids, labels, attribute names and values) is escaped exactly as ElementTree escapes it,
after removing what XML 1.0 forbids: C0 controls other than tab, newline and carriage return, U+FFFE,
U+FFFF and lone surrogates (from ``surrogateescape`` decoding). Other characters, such as U+202E, are
kept: they are the data. The text is streamed column by column (hundreds of thousands of edges take
seconds), byte for byte what ``ET.indent`` and ``ElementTree.write`` would give. Output is
deterministic: nodes sorted by id, edges by (source, target) with the smaller id as source, attributes
by name. Nothing is written when the graph is refused (duplicate id, unknown node, unsupported value).

>>> import tempfile, xml.etree.ElementTree as ET
>>> path = Path(tempfile.mkdtemp()) / "n.graphml"
>>> write_graphml([{"id": "x:1", "label": "a<b>\\x00", "score": 0.5}, {"id": "x:2"}],
...               [{"a": "x:2", "b": "x:1", "weight": 2, "layers": ["repost", "quote"]}], path)
>>> [e.text for e in ET.parse(path).getroot().iter("{http://graphml.graphdrawing.org/xmlns}data")][:2]
['a<b>', '0.5']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NODE_KEYS = ("id", "label")
EDGE_KEYS = ("a", "b", "weight")
PLAIN = {str, int, float, bool, type(None)}  # values taken as they are; anything else goes through _value
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
GRAPHML_TYPES = {
    "boolean": "boolean",
    "integer": "int",
    "long": "long",
    "double": "double",
    "string": "string",
}
ATTRIB = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"),
          ("\t", "&#09;"))  # fmt: skip
SEQUENCES = {list, tuple}
SPECIAL = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}
BATCH = 20_000
Rows = tuple[str, list[Sequence[Any]], int]  # a str.format template per child, its columns, the count


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return ILLEGAL_XML.sub("", text)


def _value(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(str(x) for x in v)
    if v is None or isinstance(v, str | int | float):
        return v
    raise TypeError(f"graph attribute values must be str, int, float, bool or a list, not {type(v).__name__}")


def _values(col: list[Any]) -> list[Any]:
    """``_value`` of each, without a call per value where the column is plain or lists of plain strings."""
    types = set(map(type, col))
    if types <= PLAIN:
        return col
    lists = [v for v in col if type(v) in SEQUENCES]
    if types <= PLAIN | SEQUENCES and set(map(type, chain.from_iterable(lists))) <= {str}:
        return [";".join(v) if type(v) in SEQUENCES else v for v in col]  # str(x) is x for a str
    return [_value(v) for v in col]


def _kind(values: list[Any]) -> str:
    """The declared type of a column; ``None`` values do not count."""
    vs = [v for v in values if v is not None]
    types = set(map(type, vs))
    if not types <= PLAIN:  # subclasses (numpy scalars, enums): the rules value by value
        if all(isinstance(v, bool) for v in vs):
            return "boolean"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
            return "integer" if all(-(2**31) <= v < 2**31 for v in vs) else "long"
        exact = all(isinstance(v, int | float) and not isinstance(v, bool) for v in vs)
        return "double" if exact else "string"
    if types <= {bool}:
        return "boolean"
    if types <= {int}:
        return "integer" if min(vs) >= -(2**31) and max(vs) < 2**31 else "long"
    return "double" if types <= {int, float} else "string"


def _text(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        f = float(v)
        return "NaN" if math.isnan(f) else ("INF" if f > 0 else "-INF") if math.isinf(f) else repr(f)
    return clean(str(v))


def _texts(values: list[Any], kind: str) -> list[str | None]:
    """``_text`` of each value (None stays None), computed once per distinct value where that is exact."""
    types = set(map(type, values)) - {type(None)}
    if types <= {bool} or (types <= {int} and kind != "double") or (types <= {str} and kind == "string"):
        table = {v: _text(v, kind) for v in set(values) if v is not None}  # one type: no 1 == True merging
        return list(map(table.get, values))
    if kind == "double" and types <= {int, float}:  # float repr, with _text's names for NaN and infinities
        return [None if v is None else SPECIAL.get(r := repr(float(v)), r) for v in values]
    return [None if v is None else _text(v, kind) for v in values]


def _escape(text: str, table: tuple[tuple[str, str], ...] = ATTRIB) -> str:
    for char, entity in table:  # ElementTree's _escape_attrib (_escape_cdata: the first three), same order
        if char in text:
            text = text.replace(char, entity)
    return text


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    kind: str
    values: list[Any]  # one per node or edge, in output order; None = missing

    def escaped(self, table: tuple[tuple[str, str], ...]) -> list[str | None]:
        texts = _texts(self.values, self.kind)
        escaped = {t: _escape(t, table) for t in set(texts) if t is not None}
        return list(map(escaped.get, texts))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _Graph:
    ids: list[str]  # sorted
    labels: list[str]
    node_attrs: list[_Column]  # sorted by name
    sources: list[str]  # edges sorted by (source, target, weight), source <= target
    targets: list[str]
    weights: list[float]
    edge_attrs: list[_Column]


def _columns(rows: list[dict[str, Any]]) -> list[_Column]:
    names = sorted({k for r in rows for k in r})
    return [_Column(n, _kind(col), col) for n in names for col in ([r.get(n) for r in rows],)]


def _edge_rows(edges: list[Mapping[str, Any]], ns: Mapping[str, Any]) -> list[tuple[str, str, float, Any]]:
    """Edges one by one: the reference rules, used whenever the column path meets something unusual."""
    es = []
    for e in edges:
        a, b = sorted((clean(str(e["a"])), clean(str(e["b"]))))
        missing = [x for x in (a, b) if x not in ns]
        if missing:
            raise ValueError(f"edge {a!r}-{b!r} names unknown node(s) {missing!r}")
        extra = {clean(str(k)): _value(v) for k, v in e.items() if k not in EDGE_KEYS}
        w = e.get("weight")
        es.append((a, b, 1.0 if w is None else float(w), extra))
    es.sort(key=lambda e: (e[0], e[1], e[2]))
    return es


class _Unusual(Exception):
    """The input needs the row-by-row rules (which may also refuse it)."""


def _edge_columns(rows: list[Mapping[str, Any]], ns: Mapping[str, Any]) -> tuple[Any, ...]:
    """The same edges as ``_edge_rows``, column by column, for clean string ids and keys."""
    names = set(chain.from_iterable(rows)) - set(EDGE_KEYS)
    if any(type(k) is not str or clean(k) != k for k in names):
        raise _Unusual
    a, b = [r["a"] for r in rows], [r["b"] for r in rows]
    ends = set(a).union(b)
    if not ends.issubset(ns) or set(map(type, ends)) - {str}:  # node ids are clean, so these are too
        raise _Unusual
    weights = [1.0 if w is None else float(w) for w in (r.get("weight") for r in rows)]
    src = [x if x <= y else y for x, y in zip(a, b, strict=True)]
    dst = [y if x <= y else x for x, y in zip(a, b, strict=True)]
    keys = [x + "\x00" + y for x, y in zip(src, dst, strict=True)]  # NUL sorts first and never occurs in ids
    by_pair: Callable[[int], Any] = keys.__getitem__
    if len(set(keys)) < len(keys):  # repeated pairs: the reference's own key (its order with NaN weights)
        by_pair = lambda i: (src[i], dst[i], weights[i])  # noqa: E731
    order = sorted(range(len(rows)), key=by_pair)
    ordered = [rows[i] for i in order]
    cols = []
    for name in sorted(names):
        col = [r.get(name) for r in ordered]
        cols.append(_values(col))
    picked = ([src[i] for i in order], [dst[i] for i in order], [weights[i] for i in order])
    return (*picked, [_Column(n, _kind(c), c) for n, c in zip(sorted(names), cols, strict=True)])


def _prepare(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> _Graph:
    ns: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for n in nodes:
        nid = clean(str(n["id"]))
        if nid in ns:
            raise ValueError(f"duplicate node id {nid!r}")
        extra = {clean(str(k)): _value(v) for k, v in n.items() if k not in NODE_KEYS}
        ns[nid] = (nid, clean(str(n.get("label") or nid)), extra)
    rows = list(edges)
    try:
        src, dst, weights, edge_attrs = _edge_columns(rows, ns)
    except Exception:  # anything unusual: the reference rules decide, and raise what they raise
        es = _edge_rows(rows, ns)
        src, dst, weights = [e[0] for e in es], [e[1] for e in es], [e[2] for e in es]
        edge_attrs = _columns([e[3] for e in es])
    node_list = [ns[k] for k in sorted(ns)]
    ids, labels = [n[0] for n in node_list], [n[1] for n in node_list]
    return _Graph(ids, labels, _columns([n[2] for n in node_list]), src, dst, weights, edge_attrs)


def _tails(
    cols: list[list[str | None]], count: int, block: Callable[[tuple[str | None, ...]], str]
) -> list[str]:
    """Per row, the markup of its attribute values, built once per distinct combination of values."""
    combos: list[tuple[str | None, ...]] = list(zip(*cols, strict=True)) if cols else [()] * count
    table = {combo: block(combo) for combo in set(combos)}
    return list(map(table.__getitem__, combos))


def _attvalues(tag: str) -> Callable[[tuple[str | None, ...]], str]:
    def block(values: tuple[str | None, ...]) -> str:
        lines = "".join(
            f'          <attvalue for="{i}" value="{v}" />\n' for i, v in enumerate(values) if v is not None
        )
        return f">\n        <attvalues>\n{lines}        </attvalues>\n      </{tag}>\n" if lines else " />\n"

    return block


def _data(prefix: str, first: int) -> Callable[[tuple[str | None, ...]], str]:
    def block(values: tuple[str | None, ...]) -> str:
        keyed = ((f"{prefix}{i}", v) for i, v in enumerate(values, first) if v is not None)
        return "".join(
            f'      <data key="{k}">{v}</data>\n' if v else f'      <data key="{k}" />\n' for k, v in keyed
        )

    return block


def _parent(indent: str, tag: str, attrib: str, count: int) -> tuple[str, str]:
    """Opening and closing text of an element with ``count`` children, as ET.indent lays it out."""
    if count:
        return f"{indent}<{tag}{attrib}>\n", f"{indent}</{tag}>\n"
    return f"{indent}<{tag}{attrib} />\n", ""


def _save(path: str | Path, parts: list[str | Rows]) -> None:
    with open(path, "w", encoding="utf-8", errors="xmlcharrefreplace") as f:  # as ElementTree.write opens it
        for part in parts:
            if isinstance(part, str):
                f.write(part)
                continue
            row, columns, count = part
            for lo in range(0, count, BATCH):
                f.write("".join(map(row.format, *(c[lo : lo + BATCH] for c in columns))))


def write_gexf(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], path: str | Path
) -> None:
    """Write an undirected GEXF 1.3 file with typed node and edge attributes."""
    g = _prepare(nodes, edges)
    ids = dict(zip(g.ids, map(_escape, g.ids), strict=True))
    node_tails = _tails([c.escaped(ATTRIB) for c in g.node_attrs], len(g.ids), _attvalues("node"))
    edge_tails = _tails([c.escaped(ATTRIB) for c in g.edge_attrs], len(g.sources), _attvalues("edge"))
    parts: list[str | Rows] = [
        f'{DECLARATION}<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GEXF_NS} '
        f'{GEXF_NS}/gexf.xsd" version="1.3">\n  <meta>\n    <creator>Kagami</creator>\n  </meta>\n'
        '  <graph defaultedgetype="undirected" mode="static">\n'
    ]
    for cls, attrs in (("node", g.node_attrs), ("edge", g.edge_attrs)):
        start, end = _parent("    ", "attributes", f' class="{cls}" mode="static"', len(attrs))
        lines = [
            f'      <attribute id="{i}" title="{_escape(c.name)}" type="{c.kind}" />\n'
            for i, c in enumerate(attrs)
        ]
        parts.append(start + "".join(lines) + end)
    edge_cols: list[Sequence[Any]] = [range(len(g.sources)), list(map(ids.__getitem__, g.sources))]
    edge_cols += [list(map(ids.__getitem__, g.targets)), _texts(g.weights, "double"), edge_tails]
    node_cols: list[Sequence[Any]] = [list(ids.values()), list(map(_escape, g.labels)), node_tails]
    sections: list[Rows] = [
        ('      <node id="{}" label="{}"{}', node_cols, len(g.ids)),
        ('      <edge id="{}" source="{}" target="{}" weight="{}"{}', edge_cols, len(g.sources)),
    ]
    for tag, rows in zip(("nodes", "edges"), sections, strict=True):
        start, end = _parent("    ", tag, "", rows[2])
        parts += [start, rows, end]
    _save(path, [*parts, "  </graph>\n</gexf>"])


def write_graphml(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], path: str | Path
) -> None:
    """Write an undirected GraphML file; ``label`` and ``weight`` are declared keys like the attributes."""
    g = _prepare(nodes, edges)
    cdata = ATTRIB[:3]
    ids = dict(zip(g.ids, map(_escape, g.ids), strict=True))
    labels = _Column("label", "string", g.labels).escaped(cdata)
    node_tails = _tails([labels, *(c.escaped(cdata) for c in g.node_attrs)], len(g.ids), _data("v", 0))
    edge_tails = _tails([c.escaped(cdata) for c in g.edge_attrs], len(g.sources), _data("e", 1))
    parts: list[str | Rows] = [f'{DECLARATION}<graphml xmlns="{GRAPHML_NS}">\n']
    for prefix, target, keys in (
        ("v", "node", [("label", "string"), *((c.name, c.kind) for c in g.node_attrs)]),
        ("e", "edge", [("weight", "double"), *((c.name, c.kind) for c in g.edge_attrs)]),
    ):
        parts += [
            f'  <key id="{prefix}{i}" for="{target}" attr.name="{_escape(name)}"'
            f' attr.type="{GRAPHML_TYPES[kind]}" />\n'
            for i, (name, kind) in enumerate(keys)
        ]
    start, end = _parent("  ", "graph", ' id="G" edgedefault="undirected"', len(g.ids) + len(g.sources))
    edge_cols = [list(map(ids.__getitem__, g.sources)), list(map(ids.__getitem__, g.targets))]
    parts += [
        start,
        ('    <node id="{}">\n{}    </node>\n', [list(ids.values()), node_tails], len(g.ids)),
        (
            '    <edge source="{}" target="{}">\n      <data key="e0">{}</data>\n{}    </edge>\n',
            [*edge_cols, _texts(g.weights, "double"), edge_tails],
            len(g.sources),
        ),
        end + "</graphml>",
    ]
    _save(path, parts)
