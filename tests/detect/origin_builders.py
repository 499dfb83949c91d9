"""Hand-built activity for the origin tests: posts at given local office hours, with texts and links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kagami.ingest.links import make_link
from kagami.model import Account, Post
from kagami.store import Batch, Store
from tests.detect.builders import REF


def office_times(
    offset_h: int, start: date, days: int, per_day: int, skip: frozenset[date] = frozenset()
) -> list[datetime]:
    """``per_day`` posts on each local weekday from ``start``, spread over 09-18 local, lunch hour empty."""
    hours = [9, 10, 11, 13, 14, 15, 16, 17]
    out = []
    for d in range(days):
        day = start + timedelta(days=d)
        if day.weekday() >= 5 or day in skip:
            continue
        for i in range(per_day):
            h, minute = hours[i % len(hours)], (i * 7) % 60
            local = datetime(day.year, day.month, day.day, h, minute, tzinfo=UTC)
            out.append(local - timedelta(hours=offset_h))
    return out


def posts(author: str, times: list[datetime], text: str = "今日も仕事", **kw: object) -> list[Post]:
    return [Post("x", f"{author}-{i}", author, t, text, REF, **kw) for i, t in enumerate(times)]  # type: ignore[arg-type]


def link_post(author: str, pid: str, url: str, text: str = "見て", kind: str = "post") -> Post:
    return Post("x", pid, author, datetime(2025, 7, 7, 3, tzinfo=UTC), f"{text} {url}", REF, kind=kind,
                links=[make_link(url)])  # fmt: skip


def account(uid: str, handle: str) -> Account:
    return Account("x", uid, REF, handle=handle)


def load(store: Store, items: list[Post], accounts: list[Account] | None = None) -> Store:
    store.write_batch(Batch(posts=items, accounts=accounts or []))
    store.refresh_accounts()
    return store
