"""Preparing a graph for the network files: cleaning, one declared type per attribute, the text of
every value, and the order of nodes and edges (:mod:`kagami.assess.graphs` writes it out).

>>> clean("a\\x00b\\u202e"), _kind([1, 2.5]), _kind([True, None]), _kind([1, "x"])
('ab\\u202e', 'double', 'boolean', 'string')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
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
class Graph:
    """A graph made ready for writing: what both network files are written from."""

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


def _edge_rows(
    edges: Sequence[Mapping[str, Any]], ns: Mapping[str, Any]
) -> list[tuple[str, str, float, Any]]:
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


@dataclass(frozen=True, slots=True)
class EdgeColumns:
    """Edges column by column, as a query returns them: the same graph as the rows
    ``{"a": a[i], "b": b[i], "weight": weight[i], **{name: values[i] for name, values in attrs.items()}}``
    (None as a value is no value), without a mapping per edge (780k edges at scale 10)."""

    a: Sequence[Any]
    b: Sequence[Any]
    weight: Sequence[Any]
    attrs: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if set(self.attrs) & set(EDGE_KEYS):
            raise ValueError(f"edge attributes may not be named {', '.join(EDGE_KEYS)}")
        lengths = {len(self.a), len(self.b), len(self.weight), *map(len, self.attrs.values())}
        if len(lengths) > 1:
            raise ValueError(f"edge columns of different lengths: {sorted(lengths)}")

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]]) -> EdgeColumns:
        """The columns of edges given one mapping each (a missing attribute is None)."""
        names = sorted(set(chain.from_iterable(rows)) - set(EDGE_KEYS))
        return cls(
            [r["a"] for r in rows],
            [r["b"] for r in rows],
            [r.get("weight") for r in rows],
            {n: [r.get(n) for r in rows] for n in names},
        )

    def rows(self) -> list[dict[str, Any]]:
        """One mapping per edge (for the row-by-row rules)."""
        names = list(self.attrs)
        return [
            {"a": a, "b": b, "weight": w, **dict(zip(names, values, strict=True))}
            for a, b, w, *values in zip(self.a, self.b, self.weight, *self.attrs.values(), strict=True)
        ]


def _edge_columns(edges: EdgeColumns, ns: Mapping[str, Any]) -> tuple[Any, ...]:
    """The same edges as ``_edge_rows``, column by column, for clean string ids and keys."""
    names = set(edges.attrs) if len(edges.a) else set()
    if any(type(k) is not str or clean(k) != k for k in names):
        raise _Unusual
    a, b = list(edges.a), list(edges.b)
    ends = set(a).union(b)
    if not ends.issubset(ns) or set(map(type, ends)) - {str}:  # node ids are clean, so these are too
        raise _Unusual
    weights = [1.0 if w is None else float(w) for w in edges.weight]
    src = [x if x <= y else y for x, y in zip(a, b, strict=True)]
    dst = [y if x <= y else x for x, y in zip(a, b, strict=True)]
    keys = [x + "\x00" + y for x, y in zip(src, dst, strict=True)]  # NUL sorts first and never occurs in ids
    by_pair: Callable[[int], Any] = keys.__getitem__
    if len(set(keys)) < len(keys):  # repeated pairs: the reference's own key (its order with NaN weights)
        by_pair = lambda i: (src[i], dst[i], weights[i])  # noqa: E731
    order = sorted(range(len(a)), key=by_pair)
    cols = [_values(list(map(edges.attrs[name].__getitem__, order))) for name in sorted(names)]
    picked = ([src[i] for i in order], [dst[i] for i in order], [weights[i] for i in order])
    return (*picked, [_Column(n, _kind(c), c) for n, c in zip(sorted(names), cols, strict=True)])


def prepare(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]] | EdgeColumns) -> Graph:
    """The graph of ``nodes`` and ``edges`` cleaned, typed and ordered; prepare once to write both files."""
    ns: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for n in nodes:
        nid = clean(str(n["id"]))
        if nid in ns:
            raise ValueError(f"duplicate node id {nid!r}")
        extra = {clean(str(k)): _value(v) for k, v in n.items() if k not in NODE_KEYS}
        ns[nid] = (nid, clean(str(n.get("label") or nid)), extra)
    given = edges if isinstance(edges, EdgeColumns) else list(edges)  # rows listed once, for both paths
    try:
        columns = given if isinstance(given, EdgeColumns) else EdgeColumns.of(given)
        src, dst, weights, edge_attrs = _edge_columns(columns, ns)
    except Exception:  # anything unusual: the reference rules decide, and raise what they raise
        es = _edge_rows(given.rows() if isinstance(given, EdgeColumns) else given, ns)
        src, dst, weights = [e[0] for e in es], [e[1] for e in es], [e[2] for e in es]
        edge_attrs = _columns([e[3] for e in es])
    node_list = [ns[k] for k in sorted(ns)]
    ids, labels = [n[0] for n in node_list], [n[1] for n in node_list]
    return Graph(ids, labels, _columns([n[2] for n in node_list]), src, dst, weights, edge_attrs)
