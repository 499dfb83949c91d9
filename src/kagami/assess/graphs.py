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

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kagami.assess.graphs_columns import (
    ATTRIB,
    BATCH,
    DECLARATION,
    GEXF_NS,
    GRAPHML_NS,
    GRAPHML_TYPES,
    XSI_NS,
    EdgeColumns,
    Graph,
    Rows,
    _Column,
    _escape,
    _texts,
    clean,
    prepare,
)

__all__ = ["EdgeColumns", "Graph", "clean", "prepare", "write_gexf", "write_graphml"]


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
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]] | EdgeColumns,
    path: str | Path,
    prepared: Graph | None = None,
) -> None:
    """Write an undirected GEXF 1.3 file with typed node and edge attributes.

    ``prepared``: :func:`prepare` of the same nodes and edges, when another file is written from them too.
    """
    g = prepared if prepared is not None else prepare(nodes, edges)
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
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]] | EdgeColumns,
    path: str | Path,
    prepared: Graph | None = None,
) -> None:
    """Write an undirected GraphML file; ``label`` and ``weight`` are declared keys like the attributes.

    ``prepared``: :func:`prepare` of the same nodes and edges, when another file is written from them too.
    """
    g = prepared if prepared is not None else prepare(nodes, edges)
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
