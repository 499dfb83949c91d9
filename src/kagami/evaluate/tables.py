"""Read the ground truth (truth.csv) and a detector's verdicts (accounts.csv).

Verdicts need ``platform``, ``account_id`` and ``flagged`` (true/false, 1/0, yes/no); ``campaign_id``
is optional. Accounts are keyed by (platform, account_id).

>>> import io
>>> v = read_verdicts(io.StringIO("platform,account_id,flagged,campaign_id\\nx,1,true,A\\nx,2,0,\\n"))
>>> v[("x", "1")], v[("x", "2")].flagged
(Verdict(flagged=True, campaign='A'), False)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

Key = tuple[str, str]
TRUE = {"true", "1", "yes", "y", "t"}
FALSE = {"false", "0", "no", "n", "f", ""}


@dataclass(frozen=True, slots=True)
class TruthRow:
    label: str
    campaign: str
    role: str
    handle: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    flagged: bool
    campaign: str = ""


def _require(reader: csv.DictReader[str], cols: tuple[str, ...], what: str) -> None:
    missing = [c for c in cols if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def read_truth(f: TextIO) -> dict[Key, TruthRow]:
    r = csv.DictReader(f)
    _require(r, ("platform", "account_id", "label"), "truth")
    return {
        (row["platform"], row["account_id"]): TruthRow(
            row["label"], row.get("campaign") or "", row.get("role") or "", row.get("handle") or ""
        )
        for row in r
    }


def read_verdicts(f: TextIO) -> dict[Key, Verdict]:
    r = csv.DictReader(f)
    _require(r, ("platform", "account_id", "flagged"), "verdicts")
    out: dict[Key, Verdict] = {}
    for n, row in enumerate(r, 2):
        flag = (row["flagged"] or "").strip().lower()
        if flag not in TRUE | FALSE:
            raise ValueError(f"verdicts line {n}: flagged must be true or false, got {row['flagged']!r}")
        out[(row["platform"], row["account_id"])] = Verdict(
            flag in TRUE, (row.get("campaign_id") or "").strip()
        )
    return out


def load_truth(path: str | Path) -> dict[Key, TruthRow]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return read_truth(f)


def load_verdicts(path: str | Path) -> dict[Key, Verdict]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return read_verdicts(f)
