"""Verdicts against ground truth.

Precision, recall and F1 are over accounts: a true positive is a flagged campaign account. The
false-positive rate is over every non-campaign account, and per label (organic and each hard negative).
Purity asks how cleanly the predicted campaigns map to true ones: for each predicted campaign, the
share of its accounts that belong to its majority true campaign (non-campaign accounts count as
``(none)``); overall purity weights each predicted campaign by its size. Accounts absent from the
verdicts count as not flagged; flagged accounts absent from the truth are reported, not scored.

>>> from kagami.evaluate.tables import TruthRow, Verdict
>>> truth = {("x", "1"): TruthRow("campaign", "ring-1", "amplifier"), ("x", "2"): TruthRow("organic", "", "")}
>>> ev = evaluate(truth, {("x", "1"): Verdict(True, "A"), ("x", "2"): Verdict(True, "A")})
>>> ev.precision, ev.recall, ev.fpr, ev.purity
(0.5, 1.0, 1.0, 0.5)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from kagami.evaluate.tables import Key, TruthRow, Verdict

NONE = "(none)"


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass(slots=True)
class CampaignScore:
    size: int
    flagged: int
    recall: float
    recovered_by: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class LabelScore:
    size: int
    flagged: int
    fpr: float


@dataclass(slots=True)
class PredictedScore:
    size: int
    majority: str
    purity: float


@dataclass(slots=True)
class Evaluation:
    """Every number ``kagami eval`` reports."""

    accounts: int
    flagged: int
    true_positives: int
    false_positives: int
    precision: float
    recall: float
    f1: float
    fpr: float
    purity: float | None
    unknown_flagged: int
    campaigns: dict[str, CampaignScore]
    labels: dict[str, LabelScore]
    predicted: dict[str, PredictedScore]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(truth: dict[Key, TruthRow], verdicts: dict[Key, Verdict]) -> Evaluation:
    """Score ``verdicts`` against ``truth``."""
    flagged = {k for k, v in verdicts.items() if v.flagged and k in truth}
    unknown = sum(1 for k, v in verdicts.items() if v.flagged and k not in truth)
    members: dict[str, list[Key]] = {}
    by_label: dict[str, list[Key]] = {}
    for k, row in truth.items():
        if row.label == "campaign":
            members.setdefault(row.campaign or NONE, []).append(k)
        else:
            by_label.setdefault(row.label, []).append(k)
    positives = sum(len(v) for v in members.values())
    tp = sum(1 for k in flagged if truth[k].label == "campaign")
    fp = len(flagged) - tp
    precision, recall = _ratio(tp, len(flagged)), _ratio(tp, positives)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    campaigns = {}
    for cid, keys in sorted(members.items()):
        hit = [k for k in keys if k in flagged]
        rec = Counter(verdicts[k].campaign for k in hit if verdicts[k].campaign)
        campaigns[cid] = CampaignScore(
            len(keys), len(hit), _ratio(len(hit), len(keys)), dict(rec.most_common())
        )
    labels = {
        label: LabelScore(len(keys), n, _ratio(n, len(keys)))
        for label, keys in sorted(by_label.items())
        for n in [sum(1 for k in keys if k in flagged)]
    }
    groups: dict[str, Counter[str]] = {}
    for k in flagged:
        pred = verdicts[k].campaign
        if pred:
            row = truth[k]
            groups.setdefault(pred, Counter())[row.campaign if row.label == "campaign" else NONE] += 1
    predicted, majority_total = {}, 0
    for pred, counts in sorted(groups.items()):
        (major, top), size = counts.most_common(1)[0], sum(counts.values())
        predicted[pred] = PredictedScore(size, major, _ratio(top, size))
        majority_total += top
    total = sum(p.size for p in predicted.values())
    purity = _ratio(majority_total, total) if total else None
    negatives = sum(len(v) for v in by_label.values())
    return Evaluation(
        accounts=len(truth),
        flagged=len(flagged),
        true_positives=tp,
        false_positives=fp,
        precision=precision,
        recall=recall,
        f1=f1,
        fpr=_ratio(fp, negatives),
        purity=purity,
        unknown_flagged=unknown,
        campaigns=campaigns,
        labels=labels,
        predicted=predicted,
    )
