"""Write the outputs of ``kagami analyze``: accounts.csv, campaigns.json, the network files.

accounts.csv is read by people in spreadsheets: a cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'`` (OWASP's CSV
injection advice), and every cell is one line (CR/LF inside become spaces).

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-0.5"), safe_cell("普通の投稿")
('\\'=HYPERLINK("http://x")', "'-0.5", '普通の投稿')
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import orjson

from kagami.assess.graphs import EdgeColumns, prepare, write_gexf, write_graphml

ACCOUNT_COLUMNS = (
    "platform", "account_id", "handle", "flagged", "campaign_id", "score", "coordination", "automation",
    "origin", "reasons",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A CSV cell that no spreadsheet will run as a formula, on one line."""
    raw = "" if value is None else str(value)
    text = raw.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    # decide on the raw value (a leading CR becomes a space) and past leading blanks some spreadsheets trim
    return "'" + text if raw.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START) else text


def write_accounts(rows: Sequence[Sequence[Any]], path: Path) -> Path:
    """accounts.csv from rows in :data:`ACCOUNT_COLUMNS` order (numbers formatted, text made safe)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ACCOUNT_COLUMNS)
        for r in rows:
            cells = []
            for v in r:
                if isinstance(v, bool):
                    cells.append("true" if v else "false")
                elif isinstance(v, float):
                    cells.append(f"{v:.3f}")
                else:
                    cells.append(safe_cell(v))
            w.writerow(cells)
    return path


def write_json(doc: Mapping[str, Any], path: Path) -> Path:
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    return path


def network(
    con: duckdb.DuckDBPyConnection, campaigns: Sequence[Mapping[str, Any]], alpha: float
) -> tuple[list[dict[str, Any]], EdgeColumns]:
    """Flagged accounts and every account with a significant edge to one, and those edges (as columns:
    780k edges at scale 10; their layers joined by ";" as the network files write a list)."""
    campaign_of = {a["uid"]: c["id"] for c in campaigns for a in c["accounts"]}
    cols = con.execute(
        "SELECT a, b, sum(weight) AS w, array_to_string(list(DISTINCT layer ORDER BY layer), ';') AS layers "
        "FROM coaction_edges WHERE qvalue <= ? AND (a IN (SELECT uid FROM assess_verdicts WHERE flagged) "
        "OR b IN (SELECT uid FROM assess_verdicts WHERE flagged)) GROUP BY a, b ORDER BY a, b",
        [alpha],
    ).fetchnumpy()
    a, b, layers = cols["a"].tolist(), cols["b"].tolist(), cols["layers"].tolist()
    weights = [round(w, 3) for w in cols["w"].astype(float).tolist()]
    uids = sorted(set(a) | set(b) | set(campaign_of))
    info = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT a.uid, a.platform, a.handle, coalesce(v.score, 0), coalesce(a.automation, 0) "
            "FROM assess_accounts a LEFT JOIN (SELECT uid, max(score) AS score FROM assess_verdicts "
            "WHERE flagged GROUP BY uid) v USING (uid) WHERE a.uid IN (SELECT unnest(?))",
            [uids],
        ).fetchall()
    }
    nodes = []
    for u in uids:
        platform, handle, score, auto = info.get(u, ("", "", 0.0, 0.0))
        nodes.append({"id": u, "label": handle or u, "platform": platform, "campaign": campaign_of.get(u, ""),
                      "flagged": u in campaign_of, "score": round(float(score), 3),
                      "automation": round(float(auto), 3)})  # fmt: skip
    return nodes, EdgeColumns(a, b, weights, {"layers": layers})


def write_network(nodes: list[dict[str, Any]], edges: EdgeColumns, out: Path) -> list[Path]:
    graph = prepare(nodes, edges)
    write_gexf(nodes, edges, out / "network.gexf", graph)
    write_graphml(nodes, edges, out / "network.graphml", graph)
    return [out / "network.gexf", out / "network.graphml"]
