"""Typed records: platform-qualified ids and field type checks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kagami.model import Account, Action, Link, Mention, Post, RawRef, split_uid, uid
from kagami.model.validate import problem

REF = RawRef("f.jsonl", "0" * 64, 3, "1" * 64, None, "test", "1")


def test_uids_never_collide_across_platforms() -> None:
    assert uid("x", "123") != uid("bsky", "123")
    assert split_uid(uid("bsky", "at://did:plc:a/app.bsky.feed.post/1")) == (
        "bsky",
        "at://did:plc:a/app.bsky.feed.post/1",
    )
    with pytest.raises(ValueError, match="not a platform-qualified id"):
        split_uid("123")


def test_record_uids() -> None:
    p = Post("x", "1", "9", None, "t", REF, reply_to_id="0")
    a = Account("x", "9", REF)
    act = Action("bsky", "at://l", "like", "did:a", "at://p", "post", None, REF)
    assert (p.uid, p.author_uid, a.uid, act.uid) == ("x:1", "x:9", "x:9", "bsky:at://l")
    assert Post("x", "2", None, None, None, REF).author_uid is None


def test_problem_accepts_well_typed_records() -> None:
    p = Post(
        "x",
        "1",
        "9",
        datetime(2025, 7, 20, tzinfo=UTC),
        "本文",
        REF,
        links=[Link("https://t.co/a", "https://nhk.or.jp/", start=0, end=5)],
        hashtags=["参院選"],
        mentions=[Mention("a", "2", 0, 2)],
        like_count=3,
    )
    assert problem(p) is None
    assert problem(Account("x", "9", REF, verified=True, followers=0)) is None


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (Post("x", "1", "9", None, {"html": "<b>"}, REF), "Post.text: expected str, got dict"),  # type: ignore[arg-type]
        (Post("x", "1", "9", None, "t", REF, like_count=True), "Post.like_count: expected int, got bool"),  # type: ignore[arg-type]
        (Post("x", "1", "9", None, "t", REF, hashtags=["a", 1]), "Post.hashtags: expected str, got int"),  # type: ignore[list-item]
        (Post("x", "1", "9", "2025-01-01", "t", REF), "Post.created_at: expected datetime, got str"),  # type: ignore[arg-type]
        (Post("x", "1", "9", None, "\ud800", REF), "Post.text: text is not valid Unicode (lone surrogate)"),
        (
            Post("x", "1", "9", None, "t", REF, mentions=[Mention(["a"])]),
            "Post.mentions: Mention.handle: expected str, got list",
        ),  # type: ignore[arg-type]
        (Account("x", "9", REF, verified="yes"), "Account.verified: expected bool, got str"),  # type: ignore[arg-type]
    ],
)
def test_problem_names_the_field(record: object, message: str) -> None:
    assert problem(record) == message
