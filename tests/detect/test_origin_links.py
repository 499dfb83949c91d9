"""Watchlists (the real io_domains.csv), look-alike outlets, and link / amplification indicators."""

from __future__ import annotations

from pathlib import Path

import pytest

from kagami.detect.origin_links import origin_links
from kagami.detect.origin_lookalike import lookalike
from kagami.detect.watchlists import load_handles, load_watchlist, state_media
from kagami.model import Post
from kagami.store import Store
from tests.detect.builders import REF
from tests.detect.origin_builders import account, link_post, load


def test_real_io_domains_list(shared_data: Path) -> None:
    t = load_watchlist(shared_data / "watchlists" / "io_domains.csv")
    rows = t.to_pylist()
    assert t.num_rows == 2355 and len({r["domain"] for r in rows}) == 2297
    assert {r["match"] for r in rows} == {"domain", "contains", "pattern"}
    unusable = {r["domain"]: r["note"] for r in rows if not r["usable"]}
    assert unusable == {
        "example-fake-news.com": "template placeholder",
        "votre-domaine.com": "template placeholder",
        "m.youtube.com": "general-purpose platform",
        r"(^|\.)gab\.com$": "general-purpose platform",
        r"(^|\.)8kun\.top$": "general-purpose platform",
    }
    ops = {r["operation"] for r in rows}
    assert {"Doppelganger", "PortalKombat", "Storm1516", "Baybridge"} <= ops
    pravda = next(r for r in rows if r["domain"] == "japan.news-pravda.com")
    assert pravda["risk_weight"] == 0.9 and pravda["identified"] is not None and pravda["report_url"]


def test_real_prc_handles(shared_data: Path) -> None:
    t = load_handles(shared_data / "watchlists" / "prc_state_handles.csv")
    handles = t.column("handle").to_pylist()
    assert t.num_rows == 88 and "ambkongxuanyou" in handles and all(not h.startswith("@") for h in handles)


def test_generic_format_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_text("# a comment\ndomain,label,source\nExample.ORG,Example,hand\nyoutube.com,video,hand\n")
    rows = load_watchlist(p).to_pylist()
    assert [(r["domain"], r["match"], r["usable"]) for r in rows] == [
        ("example.org", "domain", True),
        ("youtube.com", "domain", False),
    ]
    (tmp_path / "bad.csv").write_text("site,label\nx.com,y\n")
    with pytest.raises(ValueError, match="domain"):
        load_watchlist(tmp_path / "bad.csv")
    assert "japanese.cgtn.com" not in state_media().column("domain").to_pylist()  # matched as cgtn.com


@pytest.mark.parametrize(
    ("host", "method"),
    [
        ("nhk-news.jp.net", "added_word"),
        ("asahi-shinbun.com", "added_word"),
        ("yomiuri.co.jp.net", "appended"),
        ("xn--nk-4wc.or.jp", "homoglyph"),  # nһk.or.jp with Cyrillic һ
        ("xn--sahi-43d.com", "homoglyph"),  # аsahi.com with Cyrillic а
        ("rnainichi.jp", "homoglyph"),
        ("nhk.0r.jp", "homoglyph"),
        ("asahi.co", "tld_swap"),
        ("mainichii.jp", "edit"),
    ],
)
def test_lookalikes_are_flagged(host: str, method: str) -> None:
    hit = lookalike(host)
    assert hit is not None and hit[1] == method, (host, hit)


@pytest.mark.parametrize(
    "host",
    ["www3.nhk.or.jp", "www.asahi.com", "yomiuri.co.jp", "mainichi.jp", "nikkei.com", "asia.nikkei.com",
     "tv-asahi.co.jp", "asahi-net.or.jp", "asahibeer.co.jp", "nikkeibp.co.jp", "sankei.co.jp", "nhk.jp",
     "news.yahoo.co.jp", "nhl.com", "tbs.co.jp", "kyodonews.net", "note.com", "soumu.go.jp"],
)  # fmt: skip
def test_real_outlets_and_namesakes_are_not(host: str) -> None:
    assert lookalike(host) is None


def test_origin_links_rows_and_accounts(store: Store, shared_data: Path) -> None:
    items = [
        link_post("a", "1", "https://japanese.cgtn.com/n/x/index.html"),
        link_post("a", "2", "http://j.people.com.cn/n3/2025/0707/c1.html"),
        link_post("b", "3", "https://nhk-news.jp.net/article/1"),
        link_post("b", "4", "https://www3.nhk.or.jp/news/html/1.html"),
        link_post("c", "5", "https://haipress.com/a"),
        link_post("d", "6", "https://japanese.cgtn.com/n/x/index.html", kind="repost"),
        link_post("e", "7", "https://www.youtube.com/watch?v=x"),
    ]
    items.append(Post("x", "8", "f", None, "RT", REF, kind="repost", ref_id="9", ref_author_id="emb"))
    items.append(Post("x", "9", "emb", None, "statement", REF))
    load(store, items, [account("emb", "AmbKongXuanyou")])
    io = load_watchlist(shared_data / "watchlists" / "io_domains.csv")
    n = origin_links(store, [io], [shared_data / "watchlists" / "prc_state_handles.csv"])
    got = {(r[0], r[3], r[4]): r for r in store.con.execute("SELECT * FROM origin_links").fetchall()}
    assert n == 6 and set(got) == {
        ("x:1", "state_media", "cgtn.com"),
        ("x:2", "state_media", "people.com.cn"),
        ("x:3", "lookalike", "nhk.or.jp"),
        ("x:5", "io_watchlist", "haipress.com"),
        ("x:6", "state_media", "cgtn.com"),
        ("x:8", "state_handle", "@ambkongxuanyou"),
    }
    assert got["x:5", "io_watchlist", "haipress.com"][5] == "Baybridge"
    assert got["x:6", "state_media", "cgtn.com"][8] == pytest.approx(0.25)  # a repost counts a quarter
    assert got["x:8", "state_handle", "@ambkongxuanyou"][7] == "repost"
    acc = {r[0]: r for r in store.con.execute("SELECT * FROM origin_link_accounts").fetchall()}
    assert acc["x:a"][2] == 2 and acc["x:a"][6] == pytest.approx(2 / 4)
    assert acc["x:b"][4] == 1 and "x:e" not in acc and "x:emb" not in acc
