"""The situation report in a real browser (Debian's Chromium through Playwright), offline.

Skipped where Playwright or /usr/bin/chromium is missing. One browser serves every test of the module.
The hostile document is the one ``test_report_html`` builds (imported where used, so the import works
whether or not tests/assess is a regular package).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kagami.assess.report_html import write_report

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def opened(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """The hostile report open in a page; every remote request, dialog and console error recorded."""
    from tests.assess.test_report_html import hostile_doc

    path = write_report(hostile_doc(), tmp_path_factory.mktemp("report") / "report.html")
    seen: dict[str, list[str]] = {"requests": [], "dialogs": [], "errors": []}
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            seen["requests"].append(r.request.url)
            r.abort()

    def dialog(d: Any) -> None:
        seen["dialogs"].append(d.message)
        d.dismiss()

    def console(m: Any) -> None:
        if m.type == "error":
            seen["errors"].append(m.text)

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, seen
    context.close()


def test_nothing_runs_and_nothing_is_fetched(opened: tuple[Any, dict[str, list[str]]]) -> None:
    page, seen = opened
    assert seen == {"requests": [], "dialogs": [], "errors": []}
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.images.length") == 0


def test_hostile_texts_are_shown_literally(opened: tuple[Any, dict[str, list[str]]]) -> None:
    from tests.assess.test_report_html import IMG, JAPANESE, SCRIPT

    page, _ = opened
    text = page.inner_text("body")
    assert SCRIPT in text and IMG in text and JAPANESE in text
    assert "abc⟨U+202E⟩def" in text and "nul⟨U+0000⟩bell⟨U+0007⟩" in text


def test_japanese_title_renders(opened: tuple[Any, dict[str, list[str]]]) -> None:
    page, _ = opened
    assert page.evaluate("""document.fonts.check('16px "IPAGothic"')""")
    box = page.locator("h1 .ja").bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10
    assert page.locator("h1 .ja").inner_text() == "状況報告"


def test_language_toggle_switches_headings(opened: tuple[Any, dict[str, list[str]]]) -> None:
    page, _ = opened
    assert page.locator("h1 .ja").is_visible() and not page.locator("h1 .en").is_visible()
    page.click('label[for="lang-en"]')
    assert page.locator("h1 .en").is_visible() and not page.locator("h1 .ja").is_visible()
    assert page.locator("footer h2 .en").inner_text() == "On free expression"
    page.click('label[for="lang-ja"]')
    assert page.locator("h1 .ja").is_visible() and not page.locator("h1 .en").is_visible()


def test_charts_draw_and_screenshot_is_not_blank(
    opened: tuple[Any, dict[str, list[str]]], tmp_path: Path
) -> None:
    page, _ = opened
    assert page.locator("svg rect.bar-posts").count() >= 3
    hub = page.locator("circle.node.hub").first.bounding_box()
    assert hub is not None and hub["width"] > 5
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000
