"""The account network as GEXF 1.3 (Gephi) and GraphML (igraph, networkx, Cytoscape), undirected.

Nodes are mappings with ``id`` (str), ``label`` (str; the id when absent) and any other attributes;
edges are mappings with ``a``, ``b`` (node ids), ``weight`` and any other attributes. Attribute values
are str, int, float or bool (None = missing); lists and tuples are joined with ``;`` into a string.
Each attribute gets one declared type from its non-null values: ``boolean`` if all are bool,
``integer`` if all are int (``long`` beyond 32 bits), ``double`` if all are numbers, else ``string``.

Every string (ids, labels, attribute names and values) is written by ElementTree, which escapes markup,
after removing what XML 1.0 forbids and ElementTree lets through: C0 controls other than tab, newline
and carriage return, U+FFFE, U+FFFF and lone surrogates (from ``surrogateescape`` decoding). Other
characters, such as U+202E, are kept: they are the data. Output is deterministic: nodes sorted by id,
edges by (source, target) with the smaller id as source, attributes by name.

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
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
NODE_KEYS = ("id", "label")
EDGE_KEYS = ("a", "b", "weight")
INT32 = range(-(2**31), 2**31)


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return ILLEGAL_XML.sub("", text)


def _value(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(str(x) for x in v)
    if v is None or isinstance(v, str | int | float):
        return v
    raise TypeError(f"graph attribute values must be str, int, float, bool or a list, not {type(v).__name__}")


def _kind(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer" if all(v in INT32 for v in values) else "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _text(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        f = float(v)
        return "NaN" if math.isnan(f) else ("INF" if f > 0 else "-INF") if math.isinf(f) else repr(f)
    return clean(str(v))


@dataclass(frozen=True, slots=True)
class _Graph:
    nodes: list[tuple[str, str, dict[str, Any]]]
    edges: list[tuple[str, str, float, dict[str, Any]]]
    node_attrs: list[tuple[str, str]]  # (name, kind), sorted by name
    edge_attrs: list[tuple[str, str]]


def _attrs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    names = sorted({k for r in rows for k in r})
    return [(n, _kind([r[n] for r in rows if r.get(n) is not None])) for n in names]


def _prepare(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> _Graph:
    ns: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for n in nodes:
        nid = clean(str(n["id"]))
        if nid in ns:
            raise ValueError(f"duplicate node id {nid!r}")
        extra = {clean(str(k)): _value(v) for k, v in n.items() if k not in NODE_KEYS}
        ns[nid] = (nid, clean(str(n.get("label") or nid)), extra)
    es = []
    for e in edges:
        a, b = sorted((clean(str(e["a"])), clean(str(e["b"]))))
        missing = [x for x in (a, b) if x not in ns]
        if missing:
            raise ValueError(f"edge {a!r}-{b!r} names unknown node(s) {missing!r}")
        extra = {clean(str(k)): _value(v) for k, v in e.items() if k not in EDGE_KEYS}
        w = e.get("weight")
        es.append((a, b, 1.0 if w is None else float(w), extra))
    node_list = [ns[k] for k in sorted(ns)]
    es.sort(key=lambda e: (e[0], e[1], e[2]))
    return _Graph(node_list, es, _attrs([n[2] for n in node_list]), _attrs([e[3] for e in es]))


def _write(root: ET.Element, path: str | Path) -> None:
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _gexf_attrs(graph: ET.Element, cls: str, attrs: list[tuple[str, str]]) -> None:
    el = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
    for i, (name, kind) in enumerate(attrs):
        ET.SubElement(el, "attribute", {"id": str(i), "title": name, "type": kind})


def _attvalues(parent: ET.Element, values: dict[str, Any], attrs: list[tuple[str, str]]) -> None:
    present = [
        (i, kind, values[name]) for i, (name, kind) in enumerate(attrs) if values.get(name) is not None
    ]
    if present:
        box = ET.SubElement(parent, "attvalues")
        for i, kind, v in present:
            ET.SubElement(box, "attvalue", {"for": str(i), "value": _text(v, kind)})


def write_gexf(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], path: str | Path
) -> None:
    """Write an undirected GEXF 1.3 file with typed node and edge attributes."""
    g = _prepare(nodes, edges)
    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
            "version": "1.3",
        },
    )
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "Kagami"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    _gexf_attrs(graph, "node", g.node_attrs)
    _gexf_attrs(graph, "edge", g.edge_attrs)
    nodes_el = ET.SubElement(graph, "nodes")
    for nid, label, values in g.nodes:
        _attvalues(ET.SubElement(nodes_el, "node", {"id": nid, "label": label}), values, g.node_attrs)
    edges_el = ET.SubElement(graph, "edges")
    for i, (a, b, w, values) in enumerate(g.edges):
        attrib = {"id": str(i), "source": a, "target": b, "weight": _text(w, "double")}
        _attvalues(ET.SubElement(edges_el, "edge", attrib), values, g.edge_attrs)
    _write(root, path)


GRAPHML_TYPES = {
    "boolean": "boolean",
    "integer": "int",
    "long": "long",
    "double": "double",
    "string": "string",
}


def write_graphml(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], path: str | Path
) -> None:
    """Write an undirected GraphML file; ``label`` and ``weight`` are declared keys like the attributes."""
    g = _prepare(nodes, edges)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    node_keys = [("label", "string"), *g.node_attrs]
    edge_keys = [("weight", "double"), *g.edge_attrs]
    for prefix, target, keys in (("v", "node", node_keys), ("e", "edge", edge_keys)):
        for i, (name, kind) in enumerate(keys):
            attrib = {
                "id": f"{prefix}{i}",
                "for": target,
                "attr.name": name,
                "attr.type": GRAPHML_TYPES[kind],
            }
            ET.SubElement(root, "key", attrib)
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "undirected"})
    for nid, label, values in g.nodes:
        el = ET.SubElement(graph, "node", {"id": nid})
        for i, (name, kind) in enumerate(node_keys):
            v = label if i == 0 else values.get(name)
            if v is not None:
                ET.SubElement(el, "data", {"key": f"v{i}"}).text = _text(v, kind)
    for a, b, w, values in g.edges:
        el = ET.SubElement(graph, "edge", {"source": a, "target": b})
        for i, (name, kind) in enumerate(edge_keys):
            v = w if i == 0 else values.get(name)
            if v is not None:
                ET.SubElement(el, "data", {"key": f"e{i}"}).text = _text(v, kind)
    _write(root, path)
