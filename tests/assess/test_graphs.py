"""GEXF and GraphML writers: hostile strings, attribute types, determinism, and reading the files back."""

from __future__ import annotations

import doctest
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import igraph
import pytest

import kagami.assess.graphs as graphs_module
from kagami.assess.graphs import clean, write_gexf, write_graphml

G = "{http://gexf.net/1.3}"
M = "{http://graphml.graphdrawing.org/xmlns}"
SURROGATE = b"caf\xff".decode("utf-8", "surrogateescape")  # 'caf\udcff'
HOSTILE = "<script>alert(\"x\")</script> & 'q' \x00\x07\u202eevil\ufffe" + SURROGATE + "\tok\n"
SAFE = "<script>alert(\"x\")</script> & 'q' \u202eevilcaf\tok\n"

NODES: list[dict[str, Any]] = [
    {"id": "x:2", "label": "plain", "campaign": "C01", "score": 0.25, "flagged": True, "posts": 3},
    {"id": "x:1", "label": HOSTILE, "campaign": None, "score": 1, "flagged": False, "posts": 2**40},
    {"id": "bsky:did:plc:3", "campaign": "C02", "score": 0.5, "flagged": True, "posts": 1},
]
EDGES: list[dict[str, Any]] = [
    {"a": "x:2", "b": "x:1", "weight": 2.5, "layers": ["repost", "quote"], "note": HOSTILE},
    {"a": "bsky:did:plc:3", "b": "x:1", "weight": 1, "layers": ("like",), "note": None},
]


def test_doctest() -> None:
    assert doctest.testmod(graphs_module).failed == 0


def test_clean_removes_only_what_xml_forbids() -> None:
    assert clean(HOSTILE) == SAFE


def test_gexf_round_trips_counts_types_and_hostile_strings(tmp_path: Path) -> None:
    path = tmp_path / "n.gexf"
    write_gexf(NODES, EDGES, path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{G}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{G}graph")
    assert graph is not None and graph.get("defaultedgetype") == "undirected"
    declared = {
        a.get("class"): {x.get("id"): (x.get("title"), x.get("type")) for x in a.iter(f"{G}attribute")}
        for a in graph.iter(f"{G}attributes")
    }
    assert declared == {
        "node": {"0": ("campaign", "string"), "1": ("flagged", "boolean"), "2": ("posts", "long"),
                 "3": ("score", "double")},
        "edge": {"0": ("layers", "string"), "1": ("note", "string")},
    }  # fmt: skip
    nodes = {n.get("id"): n for n in graph.iter(f"{G}node")}
    assert list(nodes) == ["bsky:did:plc:3", "x:1", "x:2"]
    assert nodes["x:1"].get("label") == SAFE
    assert nodes["bsky:did:plc:3"].get("label") == "bsky:did:plc:3"
    values = {v.get("for"): v.get("value") for v in nodes["x:1"].iter(f"{G}attvalue")}
    assert values == {"1": "false", "2": str(2**40), "3": "1.0"}  # campaign None is left out
    edges = list(graph.iter(f"{G}edge"))
    assert [(e.get("source"), e.get("target"), e.get("weight")) for e in edges] == [
        ("bsky:did:plc:3", "x:1", "1.0"),
        ("x:1", "x:2", "2.5"),
    ]
    assert {v.get("for"): v.get("value") for v in edges[1].iter(f"{G}attvalue")} == {
        "0": "repost;quote",
        "1": SAFE,
    }
    raw = path.read_bytes()
    assert b"<script>" not in raw and b"\x00" not in raw


def test_graphml_round_trips_and_loads_in_igraph(tmp_path: Path) -> None:
    path = tmp_path / "n.graphml"
    write_graphml(NODES, EDGES, path)
    root = ET.parse(path).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{M}key")}
    assert keys == {
        ("node", "label"): "string", ("node", "campaign"): "string", ("node", "flagged"): "boolean",
        ("node", "posts"): "long", ("node", "score"): "double", ("edge", "weight"): "double",
        ("edge", "layers"): "string", ("edge", "note"): "string",
    }  # fmt: skip
    assert len(list(root.iter(f"{M}node"))) == 3 and len(list(root.iter(f"{M}edge"))) == 2
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount(), g.is_directed()) == (3, 2, False)
    by_id = {v["id"]: v for v in g.vs}
    assert by_id["x:1"]["label"] == SAFE
    assert by_id["x:1"]["posts"] == 2**40 and by_id["x:2"]["score"] == 0.25
    assert by_id["x:2"]["flagged"] is True and by_id["x:1"]["flagged"] is False
    edge = g.es[g.get_eid(by_id["x:1"].index, by_id["x:2"].index)]
    assert edge["weight"] == 2.5 and edge["layers"] == "repost;quote" and edge["note"] == SAFE


@pytest.mark.parametrize("writer", [write_gexf, write_graphml])
def test_output_is_deterministic(tmp_path: Path, writer: Any) -> None:
    writer(NODES, EDGES, tmp_path / "a")
    shuffled_nodes, shuffled_edges = NODES[::-1], [{**e, "a": e["b"], "b": e["a"]} for e in EDGES[::-1]]
    random.Random(1).shuffle(shuffled_nodes)
    writer(shuffled_nodes, shuffled_edges, tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_one_prepared_graph_writes_both_files_as_alone(tmp_path: Path) -> None:
    graph = graphs_module.prepare(NODES, EDGES)
    for writer in (write_gexf, write_graphml):
        writer(NODES, EDGES, tmp_path / "alone")
        writer(NODES, EDGES, tmp_path / "shared", graph)
        assert (tmp_path / "alone").read_bytes() == (tmp_path / "shared").read_bytes()


def test_mixed_values_get_one_type_and_empty_graphs_are_valid(tmp_path: Path) -> None:
    nodes = [{"id": "1", "n": 1, "m": 1, "s": "a"}, {"id": "2", "n": 2.5, "m": "two", "s": 3}]
    write_gexf(nodes, [], tmp_path / "m.gexf")
    types = {
        a.get("title"): a.get("type") for a in ET.parse(tmp_path / "m.gexf").getroot().iter(f"{G}attribute")
    }
    assert types == {"m": "string", "n": "double", "s": "string"}
    write_graphml([], [], tmp_path / "e.graphml")
    assert igraph.Graph.Read_GraphML(str(tmp_path / "e.graphml")).vcount() == 0


@pytest.mark.parametrize(
    ("nodes", "edges", "error"),
    [
        ([{"id": "1"}, {"id": "1"}], [], ValueError),
        ([{"id": "1\x00"}, {"id": "1"}], [], ValueError),  # the same id once cleaned
        ([{"id": "1"}], [{"a": "1", "b": "2", "weight": 1}], ValueError),
        ([{"id": "1", "x": {"nested": 1}}], [], TypeError),
    ],
)
@pytest.mark.parametrize("writer", [write_gexf, write_graphml])
def test_invalid_graphs_are_refused(
    tmp_path: Path, writer: Any, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], error: type
) -> None:
    with pytest.raises(error):
        writer(nodes, edges, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
