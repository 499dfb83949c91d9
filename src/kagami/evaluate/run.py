"""Evaluate a verdicts file against a truth file and write the result as JSON.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "t.csv").write_text("platform,account_id,label,campaign\\nx,1,campaign,ring-1\\n")
>>> _ = (d / "v.csv").write_text("platform,account_id,flagged\\nx,1,true\\n")
>>> ev, out = evaluate_files(d / "t.csv", d / "v.csv")
>>> ev.recall, out.name
(1.0, 'v.eval.json')
"""

from __future__ import annotations

from pathlib import Path

import orjson

from kagami.evaluate.metrics import Evaluation, evaluate
from kagami.evaluate.tables import load_truth, load_verdicts


def default_out(verdicts: str | Path) -> Path:
    """``accounts.csv`` -> ``accounts.eval.json`` beside it."""
    p = Path(verdicts)
    return p.with_name(p.stem + ".eval.json")


def evaluate_files(
    truth: str | Path, verdicts: str | Path, out: str | Path | None = None
) -> tuple[Evaluation, Path]:
    """Score ``verdicts`` against ``truth``; write the JSON to ``out`` (default beside the verdicts)."""
    ev = evaluate(load_truth(truth), load_verdicts(verdicts))
    path = Path(out) if out is not None else default_out(verdicts)
    path.write_bytes(orjson.dumps(ev.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    return ev, path
