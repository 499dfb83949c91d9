"""Helpers for ingest tests: compare whole stores, build twarc2 pages."""

from __future__ import annotations

from datetime import UTC, datetime
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


def dict_rows(store: Store, sql: str, *params: Any) -> list[dict[str, Any]]:
    """A query's rows as dicts keyed by column name."""
    cur = store.con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(store: Store, sql: str, *params: Any) -> dict[str, Any]:
    """The single row a query must return, as a dict."""
    found = dict_rows(store, sql, *params)
    assert len(found) == 1, found
    return found[0]


def post(store: Store, post_id: str) -> dict[str, Any]:
    """The stored post with this native id."""
    found = dict_rows(store, "SELECT * FROM posts WHERE id = ?", post_id)
    assert found, f"no post {post_id}"
    return found[0]


def ts(text: str) -> datetime:
    """An ISO time without zone, read as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
