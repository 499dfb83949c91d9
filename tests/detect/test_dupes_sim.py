"""Copy-paste clusters on the simulated election (dev, seed 1, scale 0.05) and on the real payloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kagami.detect.dupes import build_text_clusters
from kagami.detect.textnorm import ngrams, normalize
from kagami.ingest import ingest
from kagami.sim.lexicon.claims import CLAIMS
from kagami.store import Store
from tests.conftest import ingest_world, truth_table


@pytest.fixture(scope="module")
def sim_store(sim_world: Callable[[str, int, float], Path]) -> Iterator[Store]:
    out = sim_world("dev", 1, 0.05)
    store = ingest_world(out)
    truth_table(store, out)
    build_text_clusters(store)
    yield store
    store.close()


def planted(store: Store) -> list[str]:
    """copypasta-1's claim posts (not its filler): most of a phrasing of the claim's 3-grams are kept."""
    claim = next(c for c in CLAIMS if c.key == "ballots")
    bases = [ngrams(normalize(p)) for p in claim.phrasings]
    rows = store.con.execute(
        "SELECT p.uid, p.text FROM posts p JOIN truth t ON t.uid = p.author_uid "
        "WHERE t.who = 'copypasta-1' AND p.kind <> 'repost'"
    ).fetchall()
    out = []
    for uid, text in rows:
        grams = ngrams(normalize(text))
        if max(len(b & grams) / len(b) for b in bases) >= 0.5:
            out.append(uid)
    return out


def test_copypasta_claim_posts_cluster_together(sim_store: Store) -> None:
    posts = planted(sim_store)
    assert len(posts) >= 15
    rows = sim_store.con.execute(
        "SELECT m.post_uid, m.cluster_id, c.accounts FROM text_cluster_members m "
        "JOIN text_clusters c USING (cluster_id) WHERE list_contains(?, m.post_uid)",
        [posts],
    ).fetchall()
    assert len(rows) >= 0.95 * len(posts)  # recall of the claim posts
    # few clusters (one per phrasing used in a burst), each with many accounts
    clusters = {c for _, c, _ in rows}
    assert len(clusters) <= 4
    assert min(a for _, _, a in rows) >= 10


def test_party_releases_cluster_as_what_they_are(sim_store: Store) -> None:
    by_who = dict(
        sim_store.con.execute(
            "SELECT t.who, count(DISTINCT m.cluster_id) FROM text_cluster_members m "
            "JOIN truth t ON t.uid = m.author_uid GROUP BY ALL"
        ).fetchall()
    )
    assert by_who["party"] >= 10  # identical party material is copy-paste, honestly reported
    assert by_who["news_bot"] >= 10  # so are a bot's repeated bulletins
    pure_party = sim_store.scalar(
        "SELECT count(*) FROM (SELECT cluster_id FROM text_cluster_members m JOIN truth t "
        "ON t.uid = m.author_uid GROUP BY cluster_id HAVING bool_and(t.who = 'party') AND count(*) >= 20)"
    )
    assert pure_party >= 3


def test_clusters_never_hold_reposts(sim_store: Store) -> None:
    assert (
        sim_store.scalar(
            "SELECT count(*) FROM text_cluster_members m JOIN posts p ON p.uid = m.post_uid "
            "WHERE p.kind = 'repost'"
        )
        == 0
    )
    sizes = sim_store.scalar(
        "SELECT count(*) FROM text_clusters c WHERE size <> "
        "(SELECT count(*) FROM text_cluster_members m WHERE m.cluster_id = c.cluster_id)"
    )
    assert sizes == 0


def test_real_payloads(store: Store, shared_data: Path) -> None:
    ingest(store, [shared_data / "formats"])
    reposts = store.scalar("SELECT count(*) FROM posts WHERE kind = 'repost'")
    counts = build_text_clusters(store)
    assert reposts > 600  # the captures' retweets ("RT @…") and boosts: none is a text of its own
    # posts without an author (330 in these captures) cannot be attributed to anyone and are left out
    assert counts.posts == store.scalar(
        "SELECT count(*) FROM posts WHERE kind <> 'repost' AND author_uid IS NOT NULL"
    )
    assert store.scalar("SELECT count(*) FROM posts WHERE author_uid IS NULL") == 330
    assert (
        store.scalar(
            "SELECT count(*) FROM text_cluster_members m JOIN posts p ON p.uid = m.post_uid "
            "WHERE p.kind = 'repost'"
        )
        == 0
    )
    # one market headline was posted by ten X accounts within twenty minutes
    row = store.con.execute(
        "SELECT size, accounts, platforms, spread_s FROM text_clusters "
        "WHERE exemplar_text LIKE 'Sensex Rebounds Over 500 Points%'"
    ).fetchone()
    assert row is not None and row[1] == 10 and row[2] == ["x"] and row[3] < 1200
    # the Mastodon test account repeats its own test toots: clusters of one account
    assert (
        store.scalar("SELECT count(*) FROM text_clusters WHERE platforms = ['mastodon'] AND accounts = 1")
        >= 3
    )
