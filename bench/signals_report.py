"""Per-label figures for every detector on one simulated world (for docs/signals/*.md; nothing is tuned
here). Simulates, ingests, runs the detectors and prints Markdown tables by ground-truth group.

    python bench/signals_report.py --config held-out --seed 9001 --scale 1
    python bench/signals_report.py --config dev --seed 1 --scale 1 --skip narratives

Held-out seeds (9001-9010) are for reporting only: never choose a parameter from this output.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kagami.detect.amplification import detect_amplification
from kagami.detect.automation import detect_automation
from kagami.detect.claimreview import read_claims
from kagami.detect.claims import match_claims, store_claims
from kagami.detect.coaction import build_edges
from kagami.detect.communities import detect_communities
from kagami.detect.lockstep import detect_lockstep
from kagami.detect.narratives import detect_narratives
from kagami.detect.origin_lang import origin_language
from kagami.detect.origin_links import origin_links
from kagami.detect.origin_time import origin_timezone
from kagami.detect.watchlists import load_watchlist
from kagami.ingest import ingest
from kagami.sim import named, simulate
from kagami.store import Store

ROOT = Path(__file__).resolve().parents[1]
WATCHLISTS = ROOT.parent / "shared" / "data" / "watchlists"
CLAIMS = ROOT / "tests" / "fixtures" / "claims"

#: group: the campaign id for campaign accounts, else the label (organic, fandom, party, ...)
TRUTH = """CREATE OR REPLACE TABLE truth AS
SELECT platform || ':' || account_id AS uid, CASE WHEN label = 'campaign' THEN campaign ELSE label END AS grp, role
FROM read_csv($path, all_varchar = true)"""

REPORTS = {
    "coordination": """SELECT t.grp, count(*) AS accounts,
        count(*) FILTER (WHERE t.uid IN (SELECT a FROM coaction_edges WHERE qvalue <= 0.01
                                          UNION SELECT b FROM coaction_edges WHERE qvalue <= 0.01)) AS "significant edge",
        count(*) FILTER (WHERE t.uid IN (SELECT account_uid FROM lockstep_groups)) AS lockstep,
        count(*) FILTER (WHERE t.uid IN (SELECT account_uid FROM community_members)) AS community
        FROM truth t GROUP BY 1 ORDER BY 1""",
    "automation": """SELECT t.grp, count(*) AS accounts, round(median(s.score), 2) AS "median score",
        round(quantile_cont(s.score, 0.9), 2) AS p90, count(*) FILTER (WHERE s.score >= 0.5) AS "score >= 0.5"
        FROM truth t JOIN automation_scores s ON s.account_uid = t.uid GROUP BY 1 ORDER BY 1""",
    "origin": """SELECT t.grp, count(*) AS accounts,
        count(*) FILTER (WHERE z.schedule = 'office' AND z.best_offset_h <> 9 AND z.confidence >= 0.5) AS "office, offset != +9",
        count(*) FILTER (WHERE NOT coalesce(z.jst_consistent, true)) AS "not JST-consistent",
        count(*) FILTER (WHERE l.simplified_share > 0) AS "simplified chars",
        count(*) FILTER (WHERE coalesce(l.confidence, 0) >= 0.5) AS "language conf >= 0.5",
        count(*) FILTER (WHERE k.state_media_posts > 0 AND k.confidence >= 0.5) AS "state media",
        count(*) FILTER (WHERE k.lookalike_posts > 0 AND k.confidence >= 0.5) AS "look-alike",
        count(*) FILTER (WHERE k.lookalike_posts > 0) AS "any look-alike post",
        count(*) FILTER (WHERE k.io_posts > 0) AS "IO watchlist"
        FROM truth t LEFT JOIN origin_timezone z ON z.subject_uid = t.uid
        LEFT JOIN origin_language l ON l.account_uid = t.uid LEFT JOIN origin_link_accounts k ON k.account_uid = t.uid
        GROUP BY 1 ORDER BY 1""",
    "amplification": """SELECT t.grp AS "author group", count(*) AS targets, round(median(a.burst_z), 2) AS "median z",
        round(max(a.burst_z), 2) AS "max z", round(median(a.young_share), 2) AS young,
        round(median(a.inauthentic_share), 2) AS inauthentic
        FROM amplification a JOIN truth t ON t.uid = a.author_uid GROUP BY 1 ORDER BY 1""",
    # the same bursts by who made them: a quote flood's bursts are on a politician's posts (authored by an
    # ordinary account), so they show under the group that made most of each burst's engagements
    "amplification by engagers": """WITH eng AS (
            SELECT ref_uid AS target, author_uid AS actor FROM posts WHERE kind = 'repost' AND ref_uid IS NOT NULL
            UNION ALL SELECT quote_of_uid, author_uid FROM posts WHERE quote_of_uid IS NOT NULL
            UNION ALL SELECT target_uid, actor_uid FROM actions WHERE kind = 'like' AND target_kind = 'post'
        ), maj AS (
            SELECT e.target, t.grp, count(*) AS n, sum(count(*)) OVER (PARTITION BY e.target) AS tot
            FROM eng e JOIN truth t ON t.uid = e.actor JOIN amplification a ON a.target_uid = e.target
            WHERE a.burst_z >= 3 GROUP BY e.target, t.grp
            QUALIFY row_number() OVER (PARTITION BY e.target ORDER BY count(*) DESC, t.grp) = 1
        )
        SELECT m.grp AS "main engager group", split_part(m.target, ':', 1) AS platform, count(*) AS "bursts (z >= 3)",
        round(median(m.n / m.tot), 2) AS "its share", round(median(a.burst_z), 2) AS "median z",
        round(median(a.young_share), 2) AS young, round(median(a.automated_share), 2) AS automated,
        round(median(a.coordinated_share), 2) AS coordinated, round(median(a.inauthentic_share), 2) AS inauthentic
        FROM maj m JOIN amplification a ON a.target_uid = m.target GROUP BY 1, 2 ORDER BY 1, 2""",
    "narratives": """SELECT t.grp, count(DISTINCT p.uid) AS "posts (not reposts)",
        count(DISTINCT m.post_uid) AS "in a narrative", count(DISTINCT c.post_uid) AS "match a known claim"
        FROM truth t JOIN posts p ON p.author_uid = t.uid AND p.kind <> 'repost'
        LEFT JOIN narrative_members m ON m.post_uid = p.uid LEFT JOIN claim_matches c ON c.post_uid = p.uid
        GROUP BY 1 ORDER BY 1""",
}


def table(store: Store, title: str, sql: str) -> str:
    cur = store.con.execute(sql)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    lines = [f"### {title}", "", "| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="held-out", choices=["dev", "held-out"])
    ap.add_argument("--seed", type=int, default=9001)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--skip", nargs="*", default=[], choices=sorted({k.split()[0] for k in REPORTS}))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        simulate(named(a.config, seed=a.seed, scale=a.scale), out)
        store = Store(":memory:")
        ingest(store, [out / "x.jsonl", out / "bsky.jsonl"])
        store.con.execute(TRUTH, {"path": str(out / "truth.csv")})
        timings = {"simulate + ingest": time.perf_counter() - t0}
        steps: dict[str, Callable[[], object]] = {
            "coordination": lambda: (
                build_edges(store),
                detect_lockstep(store.con),
                detect_communities(store.con),
            ),
            "automation": lambda: detect_automation(store.con),
            "origin": lambda: (
                origin_timezone(store),
                origin_language(store),
                origin_links(
                    store,
                    [load_watchlist(WATCHLISTS / "io_domains.csv")],
                    [WATCHLISTS / "prc_state_handles.csv"],
                ),
            ),
            "amplification": lambda: detect_amplification(store.con),
            "narratives": lambda: (
                detect_narratives(store.con),
                store_claims(store.con, read_claims(CLAIMS / "example.jsonld")),
                match_claims(store.con),
            ),
        }
        out_text = [f"## {a.config} seed {a.seed}, scale {a.scale}\n"]
        for name, step in steps.items():
            if name in a.skip:
                continue
            t = time.perf_counter()
            step()
            timings[name] = time.perf_counter() - t
            out_text += [
                table(store, title, sql) for title, sql in REPORTS.items() if title.split()[0] == name
            ]
        out_text.append("Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
        print("\n".join(out_text))


if __name__ == "__main__":
    main()
