"""A readable table of an :class:`~kagami.evaluate.metrics.Evaluation` (英語・日本語の見出し).

>>> from kagami.evaluate.metrics import evaluate
>>> from kagami.evaluate.tables import TruthRow, Verdict
>>> ev = evaluate({("x", "1"): TruthRow("campaign", "ring-1", "")}, {("x", "1"): Verdict(True, "A")})
>>> "ring-1" in render(ev) and "precision 適合率" in render(ev)
True
"""

from __future__ import annotations

from kagami.evaluate.metrics import Evaluation


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:6.2f}%"


def render(ev: Evaluation) -> str:
    """The evaluation as plain-text tables."""
    lines = [
        f"accounts 対象アカウント  {ev.accounts}   flagged 検知  {ev.flagged}   "
        f"unknown 不明 {ev.unknown_flagged}",
        f"precision 適合率 {_pct(ev.precision)}   recall 再現率 {_pct(ev.recall)}   F1 {_pct(ev.f1)}   "
        f"FPR 誤検知率 {_pct(ev.fpr)}   purity 純度 {_pct(ev.purity)}",
        "",
        f"{'campaign キャンペーン':<24}{'size':>7}{'flagged':>9}{'recall':>10}  recovered by 検出クラスタ",
    ]
    for cid, c in ev.campaigns.items():
        rec = ", ".join(f"{k}:{v}" for k, v in list(c.recovered_by.items())[:4]) or "-"
        lines.append(f"{cid:<24}{c.size:>7}{c.flagged:>9}{_pct(c.recall):>10}  {rec}")
    lines += ["", f"{'label ラベル (非キャンペーン)':<24}{'size':>7}{'flagged':>9}{'FPR':>10}"]
    for label, s in ev.labels.items():
        lines.append(f"{label:<24}{s.size:>7}{s.flagged:>9}{_pct(s.fpr):>10}")
    if ev.predicted:
        lines += ["", f"{'predicted 予測クラスタ':<24}{'size':>7}  {'majority 多数派':<18}{'purity':>9}"]
        for pid, p in ev.predicted.items():
            lines.append(f"{pid:<24}{p.size:>7}  {p.majority:<18}{_pct(p.purity):>9}")
    return "\n".join(lines)
