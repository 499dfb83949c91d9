"""``DIR/report.html``: the self-contained bilingual situation report built from ``campaigns.json``.

One HTML file that opens offline: the style sheet is inlined, the charts are inline SVG, there is no
script at all, and a Content-Security-Policy forbids fetching anything (``default-src 'none'``). Japanese
and English are both in the page; two radio inputs and CSS ``:checked ~`` rules show one at a time.

Every string from the document is treated as hostile: it is cut to a display length, its hidden
characters are made visible and it is escaped (``kagami.assess.report_text``), and it sits in a ``<bdi>``
so a right-to-left override cannot reorder the text around it. URLs are shown as text, never as links:
an analyst who clicks a link in an adversary's post tells the adversary who is looking.

>>> page = render_report({"generated_at": "2026-11-29T19:00:00Z", "campaigns": []})
>>> "キャンペーンは見つかりませんでした" in page, "No campaign found" in page, "<script" in page
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kagami.assess.report_campaign import (
    Row,
    as_map,
    campaign_section,
    cell,
    facts,
    items,
    number,
    rows,
    when,
)
from kagami.assess.report_svg import time_axis, timeline_svg
from kagami.assess.report_text import LANGS, bi, bi_block, loc, term, text_of, tr

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
ABCDE = ("actor", "behaviour", "content", "degree", "effect")


@cache
def stylesheet() -> str:
    """The report's CSS, shipped beside this module."""
    return resources.files("kagami.assess").joinpath("report.css").read_text(encoding="utf-8")


def _header(doc: Row, campaigns: Sequence[Row]) -> str:
    summary = as_map(doc.get("summary"))
    figures = "".join(
        f"<li><b>{number(summary.get(k))}</b>{bi(k)}</li>"
        for k in ("campaigns", "flagged", "accounts", "posts")
    )
    toc = "".join(
        f'<li><a href="#c{i}">{bi("campaign", id=cell(c.get("id"), 40))}</a></li>'
        for i, c in enumerate(campaigns, 1)
    )
    return (
        f"<header><h1>{bi('title')}</h1>"
        + facts(
            [
                ("generated", when(doc.get("generated_at"))),
                ("version", cell(doc.get("kagami_version"))),
                ("disarm_source", cell(doc.get("disarm_source"))),
            ]
        )
        + f'<div class="notice" role="note">{bi_block("notice")}</div>'
        + f'<h2>{bi("summary")}</h2><ul class="figures">{figures}</ul>'
        + facts(
            [("first_seen", when(summary.get("first_seen"))), ("last_seen", when(summary.get("last_seen")))]
        )
        + (f"<nav><ul>{toc}</ul></nav>" if toc else "")
        + "</header>"
    )


def _story(c: Row, lang: str) -> str:
    """One campaign's paragraph in one language: the lead line, ABCDE and the Breakout Scale."""
    platforms = "、" if lang == "ja" else ", "
    span = f"{when(c.get('first_seen'))} – {when(c.get('last_seen'))}"
    lead = tr(
        "what.lead",
        lang,
        id=cell(c.get("id"), 40),
        score=number(c.get("score")),
        conf=term("confidence", c.get("confidence"), lang),
        size=number(c.get("size")),
        platforms=platforms.join(cell(p, 40) for p in items(c.get("platforms"))) or "–",
        span=span,
    )
    abcde = as_map(c.get("abcde"))
    parts = [lead] + [
        f"<b>{tr(k, lang)}:</b> <bdi>{loc(abcde[k], lang, 2000)}</bdi>" for k in ABCDE if abcde.get(k)
    ]
    b = as_map(c.get("breakout"))
    if b:
        cat = tr("category", lang, n=number(b.get("category")))
        parts.append(
            f"<b>{tr('breakout', lang)}:</b> {cat} <bdi>{loc(b.get('name'), lang)}</bdi> — "
            f"<bdi>{loc(b.get('justification'), lang, 2000)}</bdi>"
        )
    return f'<p class="{lang}" lang="{lang}">{" ".join(parts)}</p>'


def _overview(campaigns: Sequence[Row]) -> str:
    out = f"<section><h2>{bi('what')}</h2>"
    if not campaigns:
        return out + f"<p><strong>{bi('none_found')}</strong></p>{bi_block('none_found.text')}</section>"
    out += "".join(_story(c, lang) for c in campaigns for lang in LANGS)
    axis = time_axis([rows(c.get("timeline")) for c in campaigns])
    out += f"<h2>{bi('timeline')}</h2>{bi_block('timeline.text')}"
    if axis is None:
        return out + f'<p class="empty">{bi("no_timeline")}</p></section>'
    for c in campaigns:
        title = (
            tr("campaign", "ja", id=text_of(c.get("id")))
            + " / "
            + tr("campaign", "en", id=text_of(c.get("id")))
        )
        out += f"<h3>{bi('campaign', id=cell(c.get('id'), 40))}</h3>" + timeline_svg(
            rows(c.get("timeline")), axis, title
        )
    return out + "</section>"


def _footer(doc: Row) -> str:
    thresholds = as_map(doc.get("thresholds"))
    pairs = "".join(
        f"<dt><code>{cell(k, 80)}</code></dt><dd>{cell(v, 500)}</dd>" for k, v in thresholds.items()
    )
    listed = f'<dl class="facts">{pairs}</dl>' if pairs else f'<p class="empty">{bi("no_thresholds")}</p>'
    return (
        f"<footer><h2>{bi('freedom')}</h2>{bi_block('freedom.text')}"
        f"<h3>{bi('thresholds')}</h3>{listed}</footer>"
    )


def paired(value: Any) -> Any:
    """campaigns.json keeps English in ``x`` and Japanese in ``x_ja``; pair them as ``{"en", "ja"}``.

    >>> paired({"fact": "a", "fact_ja": "あ", "abcde": {"actor": "b"}, "abcde_ja": {"actor": "い"}})
    {'fact': {'en': 'a', 'ja': 'あ'}, 'abcde': {'actor': {'en': 'b', 'ja': 'い'}}}
    """
    if isinstance(value, list):
        return [paired(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k.endswith("_ja") and k[:-3] in value:
            continue
        ja = value.get(f"{k}_ja")
        if isinstance(v, str) and isinstance(ja, str):
            out[k] = {"en": v, "ja": ja}
        elif isinstance(v, Mapping) and isinstance(ja, Mapping):
            out[k] = {
                kk: {"en": vv, "ja": ja[kk]} if isinstance(vv, str) and isinstance(ja.get(kk), str) else vv
                for kk, vv in v.items()
            }
        else:
            out[k] = paired(v)
    return out


def render_report(doc: Mapping[str, Any], *, lang_default: str = "ja") -> str:
    """The whole report page for a ``campaigns.json`` document, Japanese (or ``lang_default``) shown first."""
    if lang_default not in LANGS:
        raise ValueError(f"lang_default must be one of {LANGS}, not {lang_default!r}")
    doc = paired(doc)
    campaigns = rows(doc.get("campaigns"))
    radios = "".join(
        f'<input type="radio" class="lang" name="lang" id="lang-{lang}" aria-label="{label}"'
        f"{' checked' if lang == lang_default else ''}>"
        for lang, label in (("ja", "日本語"), ("en", "English"))
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_default}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{tr('title', 'ja')} / {tr('title', 'en')} · Kagami</title>"
        f"<style>{stylesheet()}</style></head>"
        f'<body>{radios}<div class="page"><nav class="langbar" aria-label="言語 / Language">'
        '<label for="lang-ja" lang="ja">日本語</label><label for="lang-en" lang="en">English</label></nav>'
        + _header(doc, campaigns)
        + "<main>"
        + _overview(campaigns)
        + "".join(campaign_section(i, c) for i, c in enumerate(campaigns, 1))
        + "</main>"
        + _footer(doc)
        + "</div></body></html>\n"
    )


def write_report(doc: Mapping[str, Any], path: Path) -> Path:
    """Write ``render_report(doc)`` to ``path`` as UTF-8 and return the path."""
    path.write_text(render_report(doc), encoding="utf-8")
    return path
