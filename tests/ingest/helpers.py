"""Helpers for ingest tests: compare whole stores, build twarc2 pages."""

from __future__ import annotations

from typing import Any

from kagami.store import Store

#: Tables that hold evidence; ``sources`` and ``ingest_runs`` also log when things ran.
EVIDENCE = ("posts", "account_observations", "accounts", "actions", "quarantine", "raw_payloads")


def snapshot(store: Store, tables: tuple[str, ...] = EVIDENCE) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every evidence table, sorted, plus the sources' content columns."""
    out = {t: store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    out["sources"] = store.con.execute(
        "SELECT file_sha256, path, size, format, status, lines, posts, accounts, actions, quarantined "
        "FROM sources ORDER BY ALL"
    ).fetchall()
    return out


def tweet(tid: str, author: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "text": text,
        "author_id": author,
        "created_at": "2025-07-20T03:00:00.000Z",
        "edit_history_tweet_ids": [tid],
        **extra,
    }


def user(uid: str, username: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": uid,
        "username": username,
        "name": username,
        "created_at": "2025-06-01T00:00:00.000Z",
        "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
        "public_metrics": {"followers_count": 1, "following_count": 2, "tweet_count": 3, "listed_count": 0},
        **extra,
    }


def page(
    tweets: list[dict[str, Any]],
    users: list[dict[str, Any]],
    included: list[dict[str, Any]] | None = None,
    retrieved_at: str = "2025-07-21T00:00:00+00:00",
) -> dict[str, Any]:
    return {
        "data": tweets,
        "includes": {"users": users, "tweets": included or []},
        "meta": {"result_count": len(tweets)},
        "__twarc": {
            "url": "https://api.twitter.com/2/tweets/search/recent",
            "version": "2.14.0",
            "retrieved_at": retrieved_at,
        },
    }
