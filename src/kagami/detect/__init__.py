"""Detectors: each reads the store and writes its findings as tables beside the evidence.

- :mod:`kagami.detect.coaction`: co-action layers (accounts acting on the same target within a time
  window), with per-pair evidence and an analytic significance model; writes ``coaction_edges`` and
  ``coaction_evidence``.
- :mod:`kagami.detect.cnt`: the same joins under coordination-network-toolkit's definitions, for the
  peer cross-check.
"""

from __future__ import annotations
