"""HTML to plain text: entities, line breaks, nesting, dropped code and malformed input."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from kagami.ingest.html_text import html_to_text, plain_text


def test_entities_are_unescaped() -> None:
    assert (
        plain_text("<p>you can&#39;t &amp; won&apos;t &lt;3 &#x1F600; &copy;</p>")
        == "you can't & won't <3 😀 ©"
    )


def test_unknown_and_bare_ampersands_are_kept_as_written() -> None:
    assert plain_text("<p>A&B &bogus; &amp;amp;</p>") == "A&B &bogus; &amp;"


def test_br_is_a_line_break_and_paragraphs_a_blank_line() -> None:
    assert (
        plain_text("<p>一行目<br>二行目<br/>三行目</p><p>次の段落</p>")
        == "一行目\n二行目\n三行目\n\n次の段落"
    )


def test_whitespace_collapses_as_rendered() -> None:
    assert plain_text("<p>a  \n\t b</p>\n\n<p>  c </p>") == "a b\n\nc"


def test_nested_tags_keep_their_text_in_order() -> None:
    html_in = (
        '<p><span class="h-card"><a href="https://m.jp/@a" class="u-url mention">@<span>a</span></a></span>'
        " x</p>"
    )
    assert plain_text(html_in) == "@a x"
    assert plain_text("<div><ul><li>1</li> <li><b>2</b></li></ul></div>end") == "1\n2\nend"


def test_mastodon_invisible_spans_give_the_whole_url() -> None:
    link = (
        '<a href="https://www.example.jp/a/b"><span class="invisible">https://www.</span>'
        '<span class="ellipsis">example.jp/a</span><span class="invisible">/b</span></a>'
    )
    assert plain_text(f"<p>{link}</p>") == "https://www.example.jp/a/b"


def test_script_style_and_embedded_content_are_dropped() -> None:
    text = plain_text(
        "<p>見て<script>alert('x')</script><style>p{color:red}</style>"
        '<iframe src="https://evil.example/">frame</iframe><noscript>ns</noscript>ください</p>'
    )
    assert text == "見てください"


def test_self_closing_script_does_not_swallow_the_rest() -> None:
    assert plain_text("<p>a<script/>b</p>") == "ab"


def test_unclosed_script_drops_everything_after_it() -> None:
    # A browser treats the rest of the document as script too: none of it may become text.
    assert plain_text("<p>ok</p><script>never closed <p>hidden</p>") == "ok"


def test_malformed_html_still_gives_its_text() -> None:
    assert plain_text("<p>unclosed <b>bold <i>both</p>after") == "unclosed bold both\n\nafter"
    assert plain_text("a < b > c <<>> </nope> d") == "a < b > c <<>> d"
    assert plain_text('<a href="x" <p>broken attr</p>') is not None
    assert plain_text("<scr<script>ipt>alert(1)</script>") is not None


def test_escaped_markup_is_text_not_markup() -> None:
    # What the author typed literally stays literal; it was never an element, so it is kept as data.
    assert plain_text("<p>&lt;script&gt;x&lt;/script&gt;</p>") == "<script>x</script>"


def test_anchors_come_with_classes_and_rel() -> None:
    got = html_to_text(
        '<p><a href="https://m.jp/tags/x" class="mention hashtag" rel="tag">#x</a> '
        '<a href="https://ex.jp/?a=1&amp;b=2" rel="nofollow noopener">l</a> <a>no href</a></p>'
    )
    assert [a.href for a in got.anchors] == ["https://m.jp/tags/x", "https://ex.jp/?a=1&b=2"]
    assert got.anchors[0].classes == {"mention", "hashtag"} and "tag" in got.anchors[0].rel
    assert got.anchors[1].rel == {"nofollow", "noopener"}


def test_dropped_classes_remove_text_and_anchors() -> None:
    got = html_to_text(
        '<p class="quote-inline">RE: <a href="https://m.jp/@a/1">m.jp/@a/1</a></p><p>本文</p>',
        drop_classes={"quote-inline"},
    )
    assert got.text == "本文"
    assert got.anchors == ()


def test_an_unclosed_dropped_paragraph_ends_at_the_next_block() -> None:
    got = html_to_text('<p class="quote-inline">RE: x<p>kept</p><div>also</div>', {"quote-inline"})
    assert got.text == "kept\n\nalso"


def test_empty_and_none() -> None:
    assert plain_text(None) is None
    assert plain_text("") is None
    assert plain_text("<p></p><br>") is None


@given(st.text())
def test_any_input_parses_without_error(s: str) -> None:
    assert isinstance(html_to_text(s).text, str)


@given(st.text())
def test_escaped_text_inside_script_never_becomes_text(s: str) -> None:
    assert plain_text(f"<script>{html.escape(s)}</script>") is None


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from(" \n\t")))
def test_escaped_text_comes_back_as_written_up_to_whitespace(s: str) -> None:
    expected = re.sub(r"[ \t\r\n\f\v]+", " ", s).strip(" ") or None
    assert plain_text(html.escape(s)) == expected
