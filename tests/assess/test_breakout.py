"""The Breakout Scale: every category, the breakout threshold at its edge, and the explanations."""

from __future__ import annotations

import doctest

import pytest

import kagami.assess.breakout as breakout_module
from kagami.assess.breakout import BreakoutInput, breakout, threshold


def test_doctest() -> None:
    assert doctest.testmod(breakout_module).failed == 0


@pytest.mark.parametrize(
    ("platforms", "outside", "size", "category"),
    [
        (["x"], 9, 4, 1),  # below the floor of 10
        (["x"], 10, 4, 2),  # at the floor: breakout on one platform
        (["x"], 14, 30, 1),  # half of 30 is 15
        (["x"], 15, 30, 2),
        (["x", "bsky"], 0, 30, 2),  # several platforms, no breakout
        (["x", "bsky"], 15, 30, 3),
        (["x", "X ", ""], 15, 30, 2),  # one platform, however spelled
        ([], 0, 0, 1),
    ],
)
def test_categories_1_to_3(platforms: list[str], outside: int, size: int, category: int) -> None:
    assert breakout(BreakoutInput(platforms, outside, size)).category == category


def test_threshold_rounds_the_share_up() -> None:
    assert threshold(BreakoutInput(["x"], 0, 31)) == 16
    assert threshold(BreakoutInput(["x"], 0, 31, min_outside=20)) == 20
    assert threshold(BreakoutInput(["x"], 0, 31, min_outside=0, outside_share_min=0.1)) == 4


def test_media_celebrity_and_analyst_categories_take_precedence() -> None:
    base = BreakoutInput(["x"], 3, 50)
    assert breakout(BreakoutInput(["x"], 3, 50, media_engagers=1)).category == 4
    assert breakout(BreakoutInput(["x"], 3, 50, media_engagers=2, celebrity_engagers=1)).category == 5
    assert breakout(BreakoutInput(["x"], 3, 50, celebrity_engagers=1, policy_response=True)).category == 6
    assert breakout(BreakoutInput(["x"], 3, 50, violence_call=True)).category == 6
    assert breakout(base).category == 1


def test_justification_gives_the_numbers_in_both_languages() -> None:
    b = breakout(BreakoutInput(["x", "bsky"], 12, 30, media_engagers=1))
    assert (b.category, b.name_en, b.name_ja) == (4, "Cross-medium breakout", "媒体を越えた拡散")
    assert "2 platform(s) (bsky, x)" in b.justification_en
    assert "max(10, 0.5 × 30 = 15) = 15: no breakout" in b.justification_en
    assert "1 news-outlet and 0 celebrity" in b.justification_en
    assert "category 6 is set only by an analyst" in b.justification_en
    assert (
        "2つのプラットフォーム" in b.justification_ja and "max(10, 0.5 × 30 = 15) = 15" in b.justification_ja
    )
    assert "外部への拡散なし" in b.justification_ja and "報道機関1" in b.justification_ja
    assert "分析者のみが設定" in b.justification_ja


def test_analyst_category_6_names_what_was_recorded() -> None:
    b = breakout(BreakoutInput(["x"], 0, 5, policy_response=True, analyst_note="Diet question"))
    assert "An analyst recorded a policy response. Analyst's note: Diet question." in b.justification_en
    assert "分析者が政策対応を記録。分析者のメモ：Diet question。" in b.justification_ja
    b = breakout(BreakoutInput(["x"], 0, 5, policy_response=True, violence_call=True))
    assert "a policy response and a call for violence" in b.justification_en
    assert "政策対応・暴力の呼びかけ" in b.justification_ja


@pytest.mark.parametrize(
    "evidence",
    [
        BreakoutInput(["x"], -1, 5),
        BreakoutInput(["x"], 3, 5, media_engagers=4),
        BreakoutInput(["x"], 3, 5, celebrity_engagers=4),
        BreakoutInput(["x"], 3, 5, outside_share_min=-0.1),
        BreakoutInput(["x"], 3, 5, outside_share_min=float("nan")),
        BreakoutInput(["x"], 3, 5, outside_share_min=float("inf")),
    ],
)
def test_invalid_evidence_is_refused(evidence: BreakoutInput) -> None:
    with pytest.raises(ValueError):
        breakout(evidence)
