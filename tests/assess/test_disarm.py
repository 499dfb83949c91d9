"""DISARM bundle loading, the shipped mapping rules and techniques_for."""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

import kagami.assess.disarm as disarm_module
from kagami.assess.disarm import (
    SIGNALS,
    Disarm,
    DisarmError,
    Rule,
    Rules,
    Technique,
    check_rules,
    default_rules,
    find_bundle,
    load_disarm,
    load_rules,
    techniques_for,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "assess-rules.md"


def ref(tid: str) -> list[dict[str, str]]:
    return [{"source_name": "mitre-attack", "url": f"https://example.org/{tid}.md", "external_id": tid}]


def bundle(*techniques: dict[str, Any]) -> dict[str, Any]:
    tactic = {
        "type": "x-mitre-tactic",
        "name": "Maximise Exposure",
        "x_mitre_shortname": "maximise-exposure",
        "external_references": [{"source_name": "DISARM", "external_id": "TA17"}],
    }
    return {"type": "bundle", "id": "bundle--1", "objects": [tactic, *techniques]}


def technique(tid: str, name: str, **extra: Any) -> dict[str, Any]:
    phases = [{"kill_chain_name": "mitre-attack", "phase_name": "maximise-exposure"}]
    return {
        "type": "attack-pattern",
        "name": name,
        "external_references": ref(tid),
        "kill_chain_phases": phases,
    } | extra


def write(tmp_path: Path, data: Any, name: str = "b.json") -> Path:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(data))
    return path


def test_doctest() -> None:
    assert doctest.testmod(disarm_module).failed == 0


def test_load_disarm_reads_ids_names_tactics_and_skips_revoked(tmp_path: Path) -> None:
    objs = bundle(
        technique("T0049", "Flood Information Space "),
        technique("T0049.005", "Conduct Swarming"),
        technique("T0019", "Old", revoked=True),
        technique("T0020", "Gone", x_mitre_deprecated=True),
        {"type": "attack-pattern", "name": "no id", "external_references": [{"source_name": "x"}]},
        {"type": "relationship", "source_ref": "a", "target_ref": "b"},
        technique("T0121", "Unknown tactic", kill_chain_phases=[{"phase_name": "nowhere"}]),
    )
    d = load_disarm(write(tmp_path, objs))
    assert list(d.techniques) == ["T0049", "T0049.005", "T0121"]
    assert d.techniques["T0049"] == Technique(
        "T0049", "Flood Information Space", ("TA17",), ("Maximise Exposure",), "https://example.org/T0049.md"
    )
    assert d.techniques["T0121"].tactics == ()
    assert d.source == str(tmp_path / "b.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "no 'objects' list"),
        (orjson.dumps(bundle()), "no techniques"),
    ],
)
def test_load_disarm_errors_name_the_file(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "DISARM.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DisarmError, match=message) as info:
        load_disarm(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_find_bundle_prefers_explicit_then_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAGAMI_DISARM", raising=False)
    assert find_bundle(None) is None
    monkeypatch.setenv("KAGAMI_DISARM", str(tmp_path / "env.json"))
    assert find_bundle(None) == tmp_path / "env.json"
    assert find_bundle(tmp_path / "mine.json") == tmp_path / "mine.json"
    assert find_bundle(str(tmp_path / "s.json")) == tmp_path / "s.json"
    monkeypatch.setenv("KAGAMI_DISARM", "  ")
    assert find_bundle(None) is None


def test_shipped_rules_cover_every_signal_in_both_languages() -> None:
    rules = default_rules()
    assert [r.signal for r in rules.rules] == list(SIGNALS)
    for r in rules.rules:
        assert r.techniques and r.why_en.endswith(".") and r.why_ja.endswith("。")
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", r.why_ja), r.signal


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"signal": "x"}, "JSON list"),
        ([{"signal": "copypasta", "techniques": [], "why_en": "e", "why_ja": "j"}], "non-empty techniques"),
        ([{"signal": "copypsta", "techniques": ["T0084.001"], "why_en": "e", "why_ja": "j"}], "unknown"),
        ([{"signal": "copypasta", "techniques": ["T84"], "why_en": "e", "why_ja": "j"}], "not technique ids"),
        ([{"signal": "copypasta", "techniques": ["T0084"], "why_en": "e", "why_ja": "j"}] * 2, "repeated"),
    ],
)
def test_load_rules_rejects_bad_files(tmp_path: Path, rules: Any, message: str) -> None:
    with pytest.raises(DisarmError, match=message):
        load_rules(write(tmp_path, rules, "rules.json"))


def test_techniques_for_merges_and_sorts_without_bundle() -> None:
    hits = techniques_for({"like_flood": True, "repost_ring": True, "copypasta": False}, None)
    assert [h.id for h in hits] == ["T0049.001", "T0121"]
    merged = hits[1]
    assert merged.signals == ("repost_ring", "like_flood")  # vocabulary order, not input order
    assert merged.name == "" and merged.tactic == "" and merged.tactic_id == ""
    assert merged.rule_en.startswith("Accounts repost") and "lockstep" in merged.rule_en
    assert "リポスト" in merged.rule_ja and "いいね" in merged.rule_ja
    assert techniques_for({s: False for s in SIGNALS}, None) == []


def test_techniques_for_rejects_unknown_signals() -> None:
    with pytest.raises(ValueError, match="repost_rings"):
        techniques_for({"repost_rings": True}, None)


def test_techniques_for_uses_bundle_names_and_custom_rules() -> None:
    tech = Technique("T0084.001", "Use Copypasta", ("TA06",), ("Develop Content",), "u")
    d = Disarm({"T0084.001": tech}, "mine.json")
    rules = Rules((Rule("copypasta", ("T0084.001", "T0999"), "Same text.", "同じ文章。"),), "r.json")
    hits = techniques_for({"copypasta": True, "automation": True}, d, rules)
    assert [(h.id, h.name, h.tactic, h.tactic_id) for h in hits] == [
        ("T0084.001", "Use Copypasta", "Develop Content", "TA06"),
        ("T0999", "", "", ""),
    ]
    assert check_rules(rules, d) == ["T0999"]


def doc_table() -> dict[str, list[tuple[str, str]]]:
    """signal -> [(technique id, name)] from the rules table in docs/assess-rules.md."""
    table: dict[str, list[tuple[str, str]]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\| `(\w+)` \| (T\d{4}(?:\.\d{3})?) \| ([^|]+) \|.*", line)
        if m:
            table.setdefault(m[1], []).append((m[2], m[3].strip()))
    return table


def test_docs_table_lists_exactly_the_shipped_rules() -> None:
    table = doc_table()
    assert {s: [t for t, _ in ids] for s, ids in table.items()} == {
        r.signal: list(r.techniques) for r in default_rules().rules
    }


def test_rule_ids_exist_in_the_real_bundle_with_the_documented_names(shared_data: Path) -> None:
    d = load_disarm(shared_data / "disarm" / "DISARM.json")
    assert len(d.techniques) == 391
    assert len({t for tech in d.techniques.values() for t in tech.tactic_ids}) == 16
    assert check_rules(default_rules(), d) == []
    for signal, ids in doc_table().items():
        for tid, name in ids:
            assert d.techniques[tid].name == name, (signal, tid)
    flood = d.techniques["T0049"]
    assert (flood.name, flood.tactic_ids, flood.tactics) == (
        "Flood Information Space",
        ("TA17",),
        ("Maximise Exposure",),
    )
    hits = techniques_for(dict.fromkeys(SIGNALS, True), d)
    assert all(h.name and h.tactic and h.tactic_id.startswith("TA") for h in hits)
    assert sorted({s for h in hits for s in h.signals}) == sorted(SIGNALS)
