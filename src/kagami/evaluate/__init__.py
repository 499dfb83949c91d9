"""Measure detectors' verdicts against the simulator's ground truth: per-campaign recall, precision, F1,
false-positive rates overall and per hard-negative label, and campaign purity."""

from kagami.evaluate.metrics import Evaluation, evaluate
from kagami.evaluate.tables import Verdict, load_truth, load_verdicts

__all__ = ["Evaluation", "Verdict", "evaluate", "load_truth", "load_verdicts"]
