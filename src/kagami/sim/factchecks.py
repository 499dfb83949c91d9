"""Fact-checks of the scenario's false claims, as a fact-checker publishes them (schema.org ClaimReview
JSON-LD), so that the demonstration also shows claim matching. The fact-checker and its site are
invented, like the claims; each check words the claim in its own way (one of the campaign's phrasings),
as a real fact-check rarely quotes every variant.

>>> import json, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     docs = json.loads(write_factchecks(Path(d) / "f.jsonld").read_text("utf-8"))
>>> len(docs) == len(CLAIMS), docs[0]["reviewRating"]["alternateName"], docs[0]["@type"]
(True, '誤り', 'ClaimReview')
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kagami.sim.lexicon.claims import CLAIMS

PUBLISHER = {
    "@type": "Organization",
    "name": "架空ファクトチェック機構 (simulated)",
    "url": "https://factcheck.example.jp",
}


def factchecks(published: str = "2025-07-12") -> list[dict[str, Any]]:
    """One ClaimReview per false claim of the simulator, rated 誤り (false)."""
    return [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://factcheck.example.jp/sim/{claim.key}",
            "claimReviewed": claim.phrasings[-1],
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "匿名アカウント"}},
            "author": PUBLISHER,
            "reviewRating": {
                "@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
                "alternateName": "誤り",
            },
            "datePublished": published,
            "inLanguage": "ja",
        }
        for claim in CLAIMS
    ]  # fmt: skip


def write_factchecks(path: Path) -> Path:
    """Write :func:`factchecks` as a JSON-LD list to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(factchecks(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
