"""The output writers hold hostile content: formulas, markup, line breaks and quotes stay inert text."""

from __future__ import annotations

import csv
import doctest
import json
from pathlib import Path
from typing import Any

import pytest

import kagami.assess.outputs as outputs_module
from kagami.assess.outputs import ACCOUNT_COLUMNS, FORMULA_START, safe_cell, write_accounts, write_json

HOSTILE = [
    '=HYPERLINK("http://evil","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
    "line one\nline two",
    "a,b",
    'say "hi"',
    "選挙　ハンドル",
]


def test_doctests() -> None:
    assert doctest.testmod(outputs_module).failed == 0


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_quoted(prefix: str) -> None:
    cell = safe_cell(prefix + "1+1")
    assert cell.startswith("'") and "1+1" in cell


def test_formula_start_set_is_the_owasp_list() -> None:
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("普通の投稿", "普通の投稿"),
        ("a=b", "a=b"),  # only a leading formula character is dangerous
        ("user@example", "user@example"),
        ("", ""),
        (None, ""),
        (12, "12"),
        ("two\nlines", "two lines"),
        ("two\r\nlines", "two lines"),
        ("=1\n=2", "'=1 =2"),
        ("x\r=1", "x =1"),
        ("  =1+1", "'  =1+1"),  # some spreadsheets trim leading blanks on import
        ("\r\n=1", "' =1"),
    ],
)
def test_safe_cell_values(value: Any, expected: str) -> None:
    assert safe_cell(value) == expected


def test_safe_cell_is_one_line_and_never_a_formula() -> None:
    for value in HOSTILE:
        cell = safe_cell(value)
        assert "\n" not in cell and "\r" not in cell
        assert not cell.startswith(FORMULA_START)


def account_row(handle: str) -> tuple[Any, ...]:
    return ("x", "=1", handle, True, "C01", 0.5, 0.25, 0.0, 1.0, f"reason for {handle}")


def test_write_accounts_round_trips_hostile_handles(tmp_path: Path) -> None:
    path = write_accounts([account_row(h) for h in HOSTILE], tmp_path / "accounts.csv")
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(HOSTILE) + 1  # one physical line per row: no broken records
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(ACCOUNT_COLUMNS)
    assert len(rows) == len(HOSTILE) + 1
    for handle, row in zip(HOSTILE, rows[1:], strict=True):
        assert len(row) == len(ACCOUNT_COLUMNS)
        assert row[0] == "x" and row[1] == "'=1"
        assert row[3:6] == ["true", "C01", "0.500"] and row[6:9] == ["0.250", "0.000", "1.000"]
        one_line = handle.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        if handle.startswith(FORMULA_START):
            assert row[2] == "'" + one_line
        else:
            assert row[2] == one_line
        assert not row[9].startswith(FORMULA_START)


def test_write_accounts_quotes_per_rfc4180(tmp_path: Path) -> None:
    path = write_accounts([account_row('=HYPERLINK("http://evil")')], tmp_path / "a.csv")
    line = path.read_text(encoding="utf-8").splitlines()[1]
    assert '"\'=HYPERLINK(""http://evil"")"' in line  # quotes doubled inside a quoted field


def test_write_accounts_false_and_empty(tmp_path: Path) -> None:
    path = write_accounts(
        [("bsky", "did:plc:x", None, False, "", 0.0, 0.0, 0.0, 0.0, "")], tmp_path / "a.csv"
    )
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1] == ["bsky", "did:plc:x", "", "false", "", "0.000", "0.000", "0.000", "0.000", ""]


def test_campaigns_json_keeps_unicode_and_round_trips(tmp_path: Path) -> None:
    doc = {
        "schema_version": 1,
        "campaigns": [
            {"id": "C01", "handle": "選挙アカウント", "text": "</script><b>x</b>", "label": "期日前投票",
             "nul": "a\x00b", "sep": "a\u2028b", "score": 0.5, "ids": {1: "one"}}
        ],
    }  # fmt: skip
    path = write_json(doc, tmp_path / "campaigns.json")
    raw = path.read_bytes()
    assert "選挙アカウント".encode() in raw and b"\\u9078" not in raw  # UTF-8, not \u-escaped
    loaded = json.loads(raw.decode("utf-8"))  # valid JSON for the standard library too
    assert loaded["campaigns"][0]["handle"] == "選挙アカウント"
    assert loaded["campaigns"][0]["text"] == "</script><b>x</b>"
    assert loaded["campaigns"][0]["nul"] == "a\x00b" and loaded["campaigns"][0]["sep"] == "a\u2028b"
    assert loaded["campaigns"][0]["ids"] == {"1": "one"}
    assert raw.endswith(b"\n")
