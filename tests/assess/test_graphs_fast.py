"""The streamed GEXF/GraphML writers give, byte for byte, what the ElementTree writers they replaced gave.

The reference below is that earlier implementation (ElementTree build, ``ET.indent``, ``write``), kept
here only as the oracle. Random graphs with hostile strings, mixed types, repeated pairs and NaN weights
go through both; so do graphs the writers must refuse, which must fail alike and leave no file.
"""

from __future__ import annotations

import math
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kagami.assess.graphs_columns as graphs_columns
from kagami.assess.graphs import EdgeColumns, clean, write_gexf, write_graphml

Rows = list[dict[str, Any]]


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
        return "integer" if all(v in range(-(2**31), 2**31) for v in values) else "long"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return "double" if numbers else "string"


def _text(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        f = float(v)
        return "NaN" if math.isnan(f) else ("INF" if f > 0 else "-INF") if math.isinf(f) else repr(f)
    return clean(str(v))


def _attrs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    names = sorted({k for r in rows for k in r})
    return [(n, _kind([r[n] for r in rows if r.get(n) is not None])) for n in names]


def _prepare(nodes: Rows, edges: Rows) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    value = _value
    ns: dict[str, Any] = {}
    for n in nodes:
        nid = clean(str(n["id"]))
        if nid in ns:
            raise ValueError(f"duplicate node id {nid!r}")
        extra = {clean(str(k)): value(v) for k, v in n.items() if k not in ("id", "label")}
        ns[nid] = (nid, clean(str(n.get("label") or nid)), extra)
    es = []
    for e in edges:
        a, b = sorted((clean(str(e["a"])), clean(str(e["b"]))))
        missing = [x for x in (a, b) if x not in ns]
        if missing:
            raise ValueError(f"edge {a!r}-{b!r} names unknown node(s) {missing!r}")
        extra = {clean(str(k)): value(v) for k, v in e.items() if k not in ("a", "b", "weight")}
        w = e.get("weight")
        es.append((a, b, 1.0 if w is None else float(w), extra))
    node_list = [ns[k] for k in sorted(ns)]
    es.sort(key=lambda e: (e[0], e[1], e[2]))
    return node_list, es, _attrs([n[2] for n in node_list]), _attrs([e[3] for e in es])


def _save(root: ET.Element, path: Path) -> None:
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _attvalues(parent: ET.Element, values: dict[str, Any], attrs: list[tuple[str, str]]) -> None:
    present = [(i, k, values[n]) for i, (n, k) in enumerate(attrs) if values.get(n) is not None]
    if present:
        box = ET.SubElement(parent, "attvalues")
        for i, kind, v in present:
            ET.SubElement(box, "attvalue", {"for": str(i), "value": _text(v, kind)})


def reference_gexf(nodes: Rows, edges: Rows, path: Path) -> None:
    node_list, es, node_attrs, edge_attrs = _prepare(nodes, edges)
    ns, xsi = "http://gexf.net/1.3", "http://www.w3.org/2001/XMLSchema-instance"
    attrib = {"xmlns": ns, "xmlns:xsi": xsi, "xsi:schemaLocation": f"{ns} {ns}/gexf.xsd", "version": "1.3"}
    root = ET.Element("gexf", attrib)
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "Kagami"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        el = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        for i, (name, kind) in enumerate(attrs):
            ET.SubElement(el, "attribute", {"id": str(i), "title": name, "type": kind})
    nodes_el = ET.SubElement(graph, "nodes")
    for nid, label, values in node_list:
        _attvalues(ET.SubElement(nodes_el, "node", {"id": nid, "label": label}), values, node_attrs)
    edges_el = ET.SubElement(graph, "edges")
    for i, (a, b, w, values) in enumerate(es):
        attrib = {"id": str(i), "source": a, "target": b, "weight": _text(w, "double")}
        _attvalues(ET.SubElement(edges_el, "edge", attrib), values, edge_attrs)
    _save(root, path)


def reference_graphml(nodes: Rows, edges: Rows, path: Path) -> None:
    node_list, es, node_attrs, edge_attrs = _prepare(nodes, edges)
    root = ET.Element("graphml", {"xmlns": "http://graphml.graphdrawing.org/xmlns"})
    node_keys, edge_keys = [("label", "string"), *node_attrs], [("weight", "double"), *edge_attrs]
    for prefix, target, keys in (("v", "node", node_keys), ("e", "edge", edge_keys)):
        for i, (name, kind) in enumerate(keys):
            graphml_type = "int" if kind == "integer" else kind
            ET.SubElement(
                root,
                "key",
                {"id": f"{prefix}{i}", "for": target, "attr.name": name, "attr.type": graphml_type},
            )
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "undirected"})
    rows = [("node", {"id": n[0]}, n[1], n[2], "v", node_keys) for n in node_list]
    rows += [("edge", {"source": e[0], "target": e[1]}, e[2], e[3], "e", edge_keys) for e in es]
    for tag, attrib, first, values, prefix, keys in rows:
        el = ET.SubElement(graph, tag, attrib)
        for i, (name, kind) in enumerate(keys):
            v = first if i == 0 else values.get(name)
            if v is not None:
                ET.SubElement(el, "data", {"key": f"{prefix}{i}"}).text = _text(v, kind)
    _save(root, path)


SURROGATE = b"caf\xff".decode("utf-8", "surrogateescape")
ATOMS = ["<", ">", "&", '"', "'", "\x00", "\x07", "\u202e", SURROGATE, "\r", "\n", "\t", "\ufffe", "{}",
         "x", "日本", "\U0001f600", " ", "\x0b", "&amp;", "]]>", "a" * 300]  # fmt: skip
VALUES: dict[str, Callable[[random.Random, Callable[[], str]], Any]] = {
    "str": lambda r, s: s(),
    "int": lambda r, s: r.choice([0, -1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**70, r.randint(-9, 9)]),
    "float": lambda r, s: r.choice([0.0, -0.0, 1.5, math.nan, math.inf, -math.inf, 1e300, 1e-300, 0.1]),
    "number": lambda r, s: r.choice([0, -0.0, 1, 1.0, 2**40, 0.5, 3]),
    "bool": lambda r, s: r.choice([True, False]),
    "list": lambda r, s: r.choice([["repost", "quote"], ("like",), [], [1, 2.5, None], [s()]]),
    "mixed": lambda r, s: r.choice([s(), 1, 1.0, True, None, ["a", s()], 2**40, -0.0]),
}


def random_graph(r: random.Random, tidy: bool) -> tuple[Rows, Rows]:
    """Hostile values always; hostile ids and keys (the row-by-row path) unless ``tidy``."""

    def s() -> str:
        text = "".join(r.choice(ATOMS) for _ in range(r.randint(0, 4)))
        return clean(text) if tidy else text

    ids = list(
        {
            clean(f"{r.choice(['x:', 'bsky:', ''])}{i}{r.choice(['', s()])}"): i
            for i in range(r.randint(0, 12))
        }
    )
    keys = {s() or "k" for _ in range(r.randint(0, 4))} | {
        r.choice(["score", "label" if tidy else "label\x00"])
    }
    kinds = {k: r.choice(list(VALUES)) for k in keys}
    nodes = [
        {
            "id": i,
            "label": r.choice([s(), "", None, 0]),
            **{k: VALUES[kinds[k]](r, s) for k in keys if r.random() < 0.8},
        }
        for i in ids
    ]
    keys = {
        r.choice(["layers", "note", s() or "z", "w" if tidy else "weight\x00"])
        for _ in range(r.randint(0, 3))
    }
    kinds = {k: r.choice(list(VALUES)) for k in keys}
    edges: Rows = []
    for _ in range(r.randint(0, 40) if ids else 0):
        e: dict[str, Any] = {
            "a": r.choice(ids) + ("" if tidy or r.random() < 0.9 else "\x00"),
            "b": r.choice(ids),
        }
        e["weight"] = r.choice([1, 2.5, -0.0, 0.0, math.nan, None, "2", True])
        edges.append({**e, **{k: VALUES[kinds[k]](r, s) for k in keys if r.random() < 0.8}})
    edges += [dict(e) for e in r.sample(edges, min(len(edges), r.choice([0, 5])))]  # repeated pairs
    if edges and r.random() < 0.05:  # refused: unknown node, bad weight, unsupported value
        edges.append(
            {"a": ids[0], "b": r.choice(["nope", ids[0]]), "weight": r.choice(["x", 1]), "q": {1: 2}}
        )
    return nodes, edges


def _outcome(writer: Callable[[Rows, Rows, Path], None], nodes: Rows, edges: Rows, path: Path) -> Any:
    try:
        writer(nodes, edges, path)
    except (ValueError, TypeError, OverflowError) as error:
        assert not path.exists()
        return type(error), str(error)
    return path.read_bytes()


def _as_columns(edges: Rows) -> Any:
    """The same edges as :class:`EdgeColumns` (attributes a row lacks are None), or the rows themselves where
    they cannot be columns (an edge without an end, an attribute named like an end)."""
    try:
        return EdgeColumns.of(edges)
    except (KeyError, ValueError):
        return edges


@pytest.mark.parametrize("columns", [False, True], ids=["rows", "columns"])
@pytest.mark.parametrize(
    ("writer", "reference"), [(write_gexf, reference_gexf), (write_graphml, reference_graphml)]
)
def test_streamed_output_matches_the_elementtree_writer_byte_for_byte(
    tmp_path: Path, writer: Any, reference: Any, columns: bool
) -> None:
    r = random.Random(20240607)
    outcomes = set()
    for case in range(300):
        nodes, edges = random_graph(r, tidy=case % 2 == 0)
        given = _as_columns(edges) if columns else edges
        new, old = (
            _outcome(writer, nodes, given, tmp_path / "new"),
            _outcome(reference, nodes, edges, tmp_path / "old"),
        )
        assert new == old, (case, nodes, edges)
        outcomes.add(type(new))
        for p in (tmp_path / "new", tmp_path / "old"):
            p.unlink(missing_ok=True)
    assert outcomes == {bytes, tuple}  # both written files and refusals were compared


def test_plain_edges_take_the_column_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("row-by-row path used")

    monkeypatch.setattr(graphs_columns, "_edge_rows", refuse)
    nodes = [{"id": f"x:{i}", "label": f"<{i}>", "n": i} for i in range(50)]
    edges = [
        {"a": f"x:{i}", "b": f"x:{(i * 7) % 50}", "weight": i % 3, "layers": ["repost", "quote"]}
        for i in range(50)
    ]
    edges += [{"a": "x:1", "b": "x:2", "weight": math.nan, "layers": ("like",)}] * 2  # repeated pair, NaN
    write_gexf(nodes, edges, tmp_path / "n.gexf")
    monkeypatch.undo()
    reference_gexf(nodes, edges, tmp_path / "r.gexf")
    assert (tmp_path / "n.gexf").read_bytes() == (tmp_path / "r.gexf").read_bytes()
    data = ET.parse(tmp_path / "n.gexf").getroot().iter("{http://gexf.net/1.3}attvalue")
    assert sum(v.get("value") == "repost;quote" for v in data) == 50


def test_a_refused_graph_leaves_an_existing_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "n.graphml"
    path.write_text("before")
    with pytest.raises(OverflowError):  # 10**400 cannot be a double: refused before the file is opened
        write_graphml([{"id": "1", "v": 0.5}, {"id": "2", "v": 10**400}], [], path)
    assert path.read_text() == "before"


def test_edge_columns_refuse_ragged_columns_and_reserved_names() -> None:
    with pytest.raises(ValueError, match="lengths"):
        EdgeColumns(["x:1"], ["x:2"], [1.0, 2.0])
    with pytest.raises(ValueError, match="may not be named"):
        EdgeColumns(["x:1"], ["x:2"], [1.0], {"weight": [3.0]})
    cols = EdgeColumns(["x:1"], ["x:2"], [None], {"layers": ["repost;like"], "note": [None]})
    assert cols.rows() == [{"a": "x:1", "b": "x:2", "weight": None, "layers": "repost;like", "note": None}]
