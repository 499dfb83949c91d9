"""DISARM Red techniques for a campaign, from the signals its assembly found.

The DISARM framework (DISARM Foundation, CC BY-SA 4.0) ships as a STIX 2.1 bundle: tactics are
``x-mitre-tactic`` objects, techniques ``attack-pattern`` objects whose ``external_references`` hold the
id (``T0049``, ``T0049.001``) and whose ``kill_chain_phases`` name the tactic by its short name. Kagami does
not ship the bundle: :func:`find_bundle` takes the user's copy (``--disarm`` or ``KAGAMI_DISARM``) and
:func:`load_disarm` reads it; nothing is ever downloaded.

The mapping from campaign signals (:data:`SIGNALS`, booleans) to technique ids is a versioned data file,
``disarm_rules.json``; each rule says why, in English and Japanese (docs/assess-rules.md lists them).
Without a bundle the ids still come from the rules, with empty names and tactics.

>>> hits = techniques_for({"quote_flood": True, "reply_flood": True, "automation": False}, None)
>>> [(h.id, h.signals) for h in hits]
[('T0049', ('quote_flood',)), ('T0049.005', ('quote_flood', 'reply_flood')), ('T0116.001', ('reply_flood',))]
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

RULES_FILE = Path(__file__).with_name("disarm_rules.json")
ENV_VAR = "KAGAMI_DISARM"
TECHNIQUE_ID = re.compile(r"T\d{4}(?:\.\d{3})?")
TACTIC_ID = re.compile(r"TA\d{2,}")

#: The campaign signals a rule may name, in the order hits list them (docs/assess-rules.md defines each).
SIGNALS = (
    "repost_ring", "quote_flood", "reply_flood", "like_flood", "copypasta", "hashtag_push", "link_push",
    "lookalike_domains", "state_media", "io_domains", "automation", "young_accounts", "creation_waves",
    "cross_platform", "known_false_claim", "foreign_schedule", "script_leakage",
)  # fmt: skip


class DisarmError(ValueError):
    """A DISARM bundle or rules file that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    name: str
    tactic_ids: tuple[str, ...]
    tactics: tuple[str, ...]
    url: str


@dataclass(frozen=True, slots=True)
class Disarm:
    techniques: dict[str, Technique]
    source: str


@dataclass(frozen=True, slots=True)
class Rule:
    signal: str
    techniques: tuple[str, ...]
    why_en: str
    why_ja: str


@dataclass(frozen=True, slots=True)
class Rules:
    rules: tuple[Rule, ...]
    source: str


@dataclass(frozen=True, slots=True)
class TechniqueHit:
    id: str
    name: str
    tactic: str
    rule_en: str
    rule_ja: str
    signals: tuple[str, ...]
    tactic_id: str = ""


def find_bundle(explicit: str | Path | None) -> Path | None:
    """The bundle to use: the explicit path, else ``$KAGAMI_DISARM``, else None."""
    if explicit is not None and str(explicit):
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else None


def _read_json(path: Path, what: str) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise DisarmError(f"{what} not found: {path}") from None
    except OSError as e:
        raise DisarmError(f"{what} cannot be read: {path}: {e.strerror}") from None
    except orjson.JSONDecodeError as e:
        raise DisarmError(f"{what} is not valid JSON: {path}: {e}") from None


def _external_id(obj: Mapping[str, Any], pattern: re.Pattern[str]) -> tuple[str, str] | None:
    for ref in obj.get("external_references") or ():
        if (
            isinstance(ref, dict)
            and isinstance(ref.get("external_id"), str)
            and pattern.fullmatch(ref["external_id"])
        ):
            return ref["external_id"], str(ref.get("url") or "")
    return None


def load_disarm(path: str | Path) -> Disarm:
    """The techniques of a DISARM STIX 2.1 bundle (revoked and deprecated ones left out)."""
    path = Path(path)
    bundle = _read_json(path, "DISARM bundle")
    objects = bundle.get("objects") if isinstance(bundle, dict) else None
    if not isinstance(objects, list):
        raise DisarmError(f"DISARM bundle has no 'objects' list (not a STIX bundle): {path}")
    live = [
        o for o in objects if isinstance(o, dict) and not o.get("revoked") and not o.get("x_mitre_deprecated")
    ]
    tactics: dict[str, tuple[str, str]] = {}
    for o in live:
        ref = _external_id(o, TACTIC_ID)
        if o.get("type") == "x-mitre-tactic" and ref and isinstance(o.get("x_mitre_shortname"), str):
            tactics[o["x_mitre_shortname"]] = (ref[0], str(o.get("name") or ""))
    techniques: dict[str, Technique] = {}
    for o in live:
        ref = _external_id(o, TECHNIQUE_ID)
        if o.get("type") != "attack-pattern" or ref is None or not isinstance(o.get("name"), str):
            continue
        phases = [p.get("phase_name") for p in o.get("kill_chain_phases") or () if isinstance(p, dict)]
        known = [tactics[p] for p in phases if isinstance(p, str) and p in tactics]
        techniques[ref[0]] = Technique(
            ref[0], o["name"].strip(), tuple(t[0] for t in known), tuple(t[1] for t in known), ref[1]
        )
    if not techniques:
        raise DisarmError(f"DISARM bundle holds no techniques (attack-pattern objects with a T-id): {path}")
    return Disarm(dict(sorted(techniques.items())), str(path))


def load_rules(path: str | Path | None = None) -> Rules:
    """The mapping rules (default: the shipped ``disarm_rules.json``), checked against :data:`SIGNALS`."""
    path = RULES_FILE if path is None else Path(path)
    data = _read_json(path, "DISARM rules file")
    if not isinstance(data, list):
        raise DisarmError(f"DISARM rules file must hold a JSON list of rules: {path}")
    rules, seen = [], set()
    for i, r in enumerate(data):
        ok = isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("signal", "why_en", "why_ja"))
        ids = r.get("techniques") if ok else None
        if not ok or not isinstance(ids, list) or not ids:
            raise DisarmError(f"DISARM rule {i} needs signal, non-empty techniques, why_en, why_ja: {path}")
        if r["signal"] not in SIGNALS or r["signal"] in seen:
            raise DisarmError(f"DISARM rule {i}: unknown or repeated signal {r['signal']!r}: {path}")
        bad = [t for t in ids if not isinstance(t, str) or not TECHNIQUE_ID.fullmatch(t)]
        if bad:
            raise DisarmError(f"DISARM rule {i}: not technique ids {bad!r}: {path}")
        seen.add(r["signal"])
        rules.append(Rule(r["signal"], tuple(ids), r["why_en"], r["why_ja"]))
    return Rules(tuple(rules), str(path))


@cache
def default_rules() -> Rules:
    """The shipped rules, read once."""
    return load_rules()


def check_rules(rules: Rules, disarm: Disarm) -> list[str]:
    """Technique ids the rules cite that the bundle lacks (an older or newer DISARM version)."""
    return sorted({t for r in rules.rules for t in r.techniques if t not in disarm.techniques})


def techniques_for(
    signals: Mapping[str, bool], disarm: Disarm | None, rules: Rules | None = None
) -> list[TechniqueHit]:
    """The techniques the true signals point to, sorted by id; a technique hit by several signals is merged.

    Names and tactics come from ``disarm`` (empty when it is None or lacks the id). Raises ValueError for
    a signal name outside :data:`SIGNALS`.
    """
    unknown = sorted(set(signals) - set(SIGNALS))
    if unknown:
        raise ValueError(f"unknown campaign signals {unknown!r}; known: {', '.join(SIGNALS)}")
    rules = default_rules() if rules is None else rules
    by_id: dict[str, list[Rule]] = {}
    for rule in sorted(rules.rules, key=lambda r: SIGNALS.index(r.signal)):
        if signals.get(rule.signal):
            for tid in dict.fromkeys(rule.techniques):
                by_id.setdefault(tid, []).append(rule)
    hits = []
    for tid, fired in sorted(by_id.items()):
        tech = disarm.techniques.get(tid) if disarm is not None else None
        hits.append(
            TechniqueHit(
                id=tid,
                name=tech.name if tech else "",
                tactic="; ".join(tech.tactics) if tech else "",
                rule_en=" ".join(r.why_en for r in fired),
                rule_ja="".join(r.why_ja for r in fired),
                signals=tuple(r.signal for r in fired),
                tactic_id="; ".join(tech.tactic_ids) if tech else "",
            )
        )
    return hits
