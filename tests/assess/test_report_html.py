"""The situation report: hostile text stays text, nothing is fetched, both languages, stable output."""

from __future__ import annotations

import copy
import doctest
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from kagami.assess import report_campaign, report_html, report_svg, report_text
from kagami.assess.report_html import CSP, render_report, write_report
from kagami.assess.report_text import STRINGS

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RTL = "abc\u202edef"
CONTROLS = "nul\x00bell\x07esc\x1bdel\x7f"
ZERO_WIDTH = "zero\u200bwidth"
JAPANESE = "日本語の投稿です"
BIG = "長" * 100_000
SHA = "ab" * 32


def hostile_doc() -> dict[str, Any]:
    """A complete campaigns.json document: two campaigns, adversary-written strings in every field."""
    bad = SCRIPT + IMG + RTL
    hostile = {
        "id": "C01" + SCRIPT,
        "score": 0.8234,
        "confidence": "high",
        "accounts": [
            {"uid": "x:1", "platform": "x", "account_id": "1", "handle": SCRIPT, "role": "hub", "score": 0.9},
            {"uid": "x:2", "platform": "x", "account_id": "2", "handle": IMG, "role": "member", "score": 0.7},
            {"uid": "x:3", "platform": "x", "account_id": "3", "handle": RTL, "role": "member", "score": 0.6},
            {
                "uid": "x:4",
                "platform": "x",
                "account_id": "4",
                "handle": CONTROLS,
                "role": "member",
                "score": 0.5,
            },
        ],
        "size": 4,
        "platforms": ["x", IMG],
        "first_seen": "2026-11-29T01:00:00Z",
        "last_seen": "2026-11-29T05:00:00Z",
        "layers": ["repost", SCRIPT],
        "narratives": [{"id": 0, "label": bad, "terms": [SCRIPT, ZERO_WIDTH], "posts": 12}],
        "top_targets": [
            {"post_uid": "x:100", "author_uid": "x:9", "author_handle": IMG, "text": BIG, "engagements": 40},
            {
                "post_uid": "x:101",
                "author_uid": "x:9",
                "author_handle": "ok",
                "text": bad + CONTROLS,
                "engagements": 3,
            },
        ],
        "top_links": [{"domain": IMG, "url": "javascript:alert(1)//" + SCRIPT, "posts": 5}],
        "hashtags": [{"tag": "#" + SCRIPT, "posts": 7}],
        "claims": [{"claim_id": "c1", "claim": bad, "rating": IMG, "posts": 2}],
        "disarm": [{"id": "T0049", "name": "Flooding the Information Space", "tactic": IMG, "rule": bad}],
        "abcde": {
            "actor": bad,
            "behaviour": "100 reposts in 60 s",
            "content": JAPANESE,
            "degree": CONTROLS,
            "effect": "reached 1,234 accounts",
        },
        "breakout": {"category": 3, "name": "Multiple platforms" + IMG, "justification": bad},
        "origin": [
            {"indicator": "timezone", "value": "UTC+8" + SCRIPT, "confidence": 0.41, "accounts": 3},
            {"indicator": IMG, "value": "x", "confidence": 0.1, "accounts": 1},
        ],
        "evidence": [
            {
                "kind": "lockstep",
                "fact": bad,
                "post_ids": [f"x:{i}" for i in range(8)],
                "times": ["2026-11-29T15:00:00Z", SCRIPT],
                "raw_sha256": [SHA, IMG],
            }
        ],
        "timeline": [
            {"t": "2026-11-29T01:00:00Z", "posts": 5, "engagements": 40},
            {"t": "2026-11-29T05:00:00Z", "posts": 2, "engagements": 9},
        ],
        "network": {
            "nodes": [
                {"id": "x:1", "label": SCRIPT, "role": "hub"},
                {"id": "x:2", "label": IMG, "role": "member"},
                {"id": "x:3", "label": RTL, "role": "member"},
            ],
            "edges": [
                {"a": "x:1", "b": "x:2", "weight": 3.0, "layers": ["repost"]},
                {"a": "x:2", "b": "x:3", "weight": 1.0, "layers": ["quote"]},
            ],
        },
    }
    japanese = {
        "id": "C02",
        "score": 0.41,
        "confidence": "low",
        "accounts": [
            {
                "uid": "bsky:a",
                "platform": "bsky",
                "account_id": "a",
                "handle": "山田",
                "role": "member",
                "score": 0.4,
            }
        ],
        "size": 1,
        "platforms": ["bsky"],
        "first_seen": "2026-11-29T15:00:00Z",
        "last_seen": "2026-11-30T02:00:00Z",
        "top_targets": [{"post_uid": "bsky:p", "author_handle": "山田", "text": JAPANESE, "engagements": 1}],
        "timeline": [{"t": "2026-11-29T15:00:00Z", "posts": 5, "engagements": 1}],
    }
    return {
        "schema_version": 1,
        "generated_at": "2026-11-29T19:00:00Z",
        "kagami_version": "0.1.0",
        "disarm_source": None,
        "summary": {
            "accounts": 1200,
            "flagged": 5,
            "campaigns": 2,
            "posts": 34567,
            "first_seen": "2026-11-29T01:00:00Z",
            "last_seen": "2026-11-30T02:00:00Z",
        },
        "thresholds": {"min_campaign_accounts": 3, SCRIPT: IMG, "lockstep_window_s": [60, 300]},
        "campaigns": [hostile, japanese],
    }


class Markup(HTMLParser):
    """Every start tag and attribute of a page, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def markup(page: str) -> Markup:
    parser = Markup()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(hostile_doc())


def test_hostile_markup_stays_text(page: str) -> None:
    assert html.escape(SCRIPT) in page
    assert html.escape(IMG, quote=True) in page
    assert "<script" not in page.lower()
    parsed = markup(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "form", "base", "link"}
    equiv = [v for tag, attrs in parsed.tags for n, v in attrs if tag == "meta" and n == "http-equiv"]
    assert equiv == ["Content-Security-Policy"]
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "action", "formaction"), (tag, name)
            if name == "href":
                assert tag == "a" and value is not None and re.fullmatch(r"#c\d+", value), value
    # the hostile link is shown, escaped, as text only
    assert "javascript:alert(1)//" + html.escape(SCRIPT) in page


def test_hidden_characters_are_marked(page: str) -> None:
    for ch in "\u202e\x00\x07\x1b\x7f\u200b":
        assert ch not in page
    for marker in ("⟨U+202E⟩", "⟨U+0000⟩", "⟨U+0007⟩", "⟨U+001B⟩", "⟨U+007F⟩", "⟨U+200B⟩"):
        assert f'<span class="cc">{marker}</span>' in page
    assert "abc<span" in page  # the RTL handle, its override replaced by a visible marker
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f]", page) is None
    assert "<bdi>" + html.escape(SCRIPT) + "</bdi>" in page


def test_long_text_is_cut_with_its_length_noted(page: str) -> None:
    assert "長" * report_campaign.POST_LIMIT + "…" in page
    assert "長" * (report_campaign.POST_LIMIT + 1) not in page
    assert "全 100,000 文字" in page and "100,000 characters in all" in page
    assert len(page) < 200_000


def test_both_languages_are_present(page: str) -> None:
    for key in (
        "title",
        "notice",
        "what",
        "timeline",
        "network",
        "disarm",
        "origin",
        "origin.text",
        "targets",
        "links.text",
        "evidence",
        "members",
        "freedom",
        "freedom.text",
        "thresholds",
    ):
        ja, en = STRINGS[key]
        assert f'lang="ja">{ja}<' in page, key
        assert f'lang="en">{en}<' in page, key
    assert JAPANESE in page and "山田" in page
    assert 'id="lang-ja" aria-label="日本語" checked>' in page
    assert '<html lang="ja">' in page


def test_page_fetches_nothing(page: str) -> None:
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    head = page[: page.index("<body>")]
    assert head.index("Content-Security-Policy") < head.index("<style>")
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    namespaces = {v for _, attrs in markup(page).tags for n, v in attrs if n == "xmlns"}
    assert namespaces == {"http://www.w3.org/2000/svg"}
    remote = [
        (t, n, v) for t, attrs in markup(page).tags for n, v in attrs if v and "http" in v and n != "xmlns"
    ]
    assert remote == []


def test_campaign_facts_and_evidence(page: str) -> None:
    assert "0.82" in page and "34,567" in page
    assert "T0049" in page and "Flooding the Information Space" in page
    assert (
        '<time datetime="2026-11-29T15:00:00Z" title="2026-11-29T15:00:00Z">2026-11-30 00:00 JST</time>'
        in page
    )
    assert f'<code title="{SHA}">{SHA[:12]}…</code>' in page
    assert "ほか 3 件" in page and "3 more" in page  # eight post ids, five shown
    assert '<span class="ja" lang="ja">活動時間帯</span>' in page
    assert '<span class="ja" lang="ja">ハブ</span><span class="en" lang="en">hub</span>' in page
    assert "カテゴリー 3" in page and "Category 3" in page


def test_timeline_and_network_are_inline_svg(page: str) -> None:
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2 + 1  # two timelines, one network
    assert "11/30 00:00 · 5" in page  # C02's first hour, in JST
    assert '<circle class="node hub"' in page
    assert f"<title>{html.escape(SCRIPT)} (x:1) · ハブ / hub</title>" in page
    assert page.count('<line class="edge"') == 2


def test_empty_document_renders() -> None:
    for doc in (
        {
            "schema_version": 1,
            "generated_at": "2026-11-29T19:00:00Z",
            "thresholds": {},
            "campaigns": [],
            "summary": {"accounts": 0, "flagged": 0, "campaigns": 0, "posts": 0},
        },
        {},
    ):
        page = render_report(doc)
        assert "キャンペーンは見つかりませんでした。" in page and "No campaign found." in page
        assert "しきい値は記録されていません。" in page and "<svg" not in page
        assert page.endswith("</html>\n")


def test_mistyped_fields_do_not_break_the_report() -> None:
    doc = {
        "campaigns": [
            {
                "id": 7,
                "platforms": "x",
                "accounts": None,
                "network": "junk",
                "score": "high",
                "timeline": [{"t": "not a time", "posts": "many"}, 3],
                "evidence": [{"post_ids": "x:1"}],
                "first_seen": "yesterday",
                "abcde": ["a"],
                "breakout": {"category": None},
            },
            "junk",
        ],
        "summary": [],
        "thresholds": {"k": {"nested": True}},
    }
    page = render_report(doc)
    assert "Campaign <bdi>7</bdi>" in page and "yesterday" in page
    assert "No timeline data." in page and "No network data." in page
    assert html.escape('{"nested": true}') in page


def test_bilingual_values_show_each_language() -> None:
    abcde = {
        "actor": {"ja": "同じ週に作られた" + SCRIPT, "en": "created the same week"},
        "effect": {"en": "only"},
    }
    page = render_report({"campaigns": [{"id": "C01", "abcde": abcde}]})
    story = page.split("What happened", 1)[1]
    ja = story.split('<p class="ja" lang="ja">', 1)[1].split("</p>", 1)[0]
    en = story.split('<p class="en" lang="en">', 1)[1].split("</p>", 1)[0]
    assert "同じ週に作られた" + html.escape(SCRIPT) in ja and "created the same week" not in ja
    assert "created the same week" in en and "同じ週に作られた" not in en
    assert "only" in ja and "only" in en  # a missing language falls back to the other


def test_network_is_capped_with_a_note() -> None:
    nodes = [{"id": f"x:{i}", "label": f"user{i}", "role": "member"} for i in range(400)]
    nodes.append({"id": "x:hub", "label": "lonely hub", "role": "hub"})
    edges = [{"a": f"x:{i}", "b": f"x:{i + 1}", "weight": 1.0} for i in range(399)]
    svg, nodes_cut, edges_cut = report_svg.network_svg({"nodes": nodes, "edges": edges})
    assert nodes_cut == (300, 401) and edges_cut is None
    assert svg.count("<circle") == 300 and "lonely hub" in svg
    page = render_report({"campaigns": [{"id": "C01", "network": {"nodes": nodes, "edges": edges}}]})
    assert "Showing 300 of 401 accounts" in page and "401 アカウントのうち" in page


def test_long_timelines_use_wider_bars() -> None:
    timeline = [{"t": f"2026-10-{d:02d}T03:00:00Z", "posts": 1, "engagements": 0} for d in range(1, 31)]
    timeline.append({"t": "2026-11-29T03:00:00Z", "posts": 2, "engagements": 1})
    page = render_report({"campaigns": [{"id": "C01", "timeline": timeline}]})
    assert "1 bar = 6 h" in page and "棒 1 本 = 6 時間" in page


def test_output_is_deterministic() -> None:
    doc = hostile_doc()
    assert render_report(doc) == render_report(copy.deepcopy(doc)) == render_report(hostile_doc())


def test_language_default_and_write(tmp_path: Path) -> None:
    assert 'id="lang-en" aria-label="English" checked>' in render_report({}, lang_default="en")
    with pytest.raises(ValueError, match="lang_default"):
        render_report({}, lang_default="fr")
    path = write_report(hostile_doc(), tmp_path / "report.html")
    assert path == tmp_path / "report.html"
    assert path.read_text(encoding="utf-8") == render_report(hostile_doc())


@pytest.mark.parametrize("module", [report_text, report_svg, report_campaign, report_html])
def test_docstring_examples(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
