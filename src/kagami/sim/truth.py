"""The ground truth: one row per account per platform that appears in the written files.

Columns: platform, account_id, handle, label, campaign, role. ``label`` is ``organic``, ``campaign``
or a hard negative (``fandom``, ``news_bot``, ``party``, ``breaking_news``, ``critic``); ``campaign`` is
the campaign id (``ring-1`` …) for campaign accounts and empty otherwise.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kagami.sim.events import PLATFORMS
from kagami.sim.world import World

COLUMNS = ("platform", "account_id", "handle", "label", "campaign", "role")
LABELS = ("organic", "campaign", "fandom", "news_bot", "party", "breaking_news", "critic")


def write_truth(world: World, seen: set[int], path: Path) -> dict[str, int]:
    """Write truth.csv for the accounts in ``seen``; return how many accounts per label."""
    counts: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for a in sorted((world.accounts[i] for i in seen), key=lambda a: (a.platform, a.idx)):
            w.writerow((PLATFORMS[a.platform], a.pid, a.handle, a.label, a.campaign, a.role))
            counts[a.label] = counts.get(a.label, 0) + 1
    return counts
