"""Japanese news outlets and the shape of their article URLs, for links organic users share.

>>> OUTLETS[0].domain
'www3.nhk.or.jp'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news site: its host, an article URL pattern and how often people link it."""

    name: str
    domain: str
    pattern: str  # {ymd} date, {n} number, {h} hex/alnum id
    weight: float


OUTLETS = (
    Outlet("NHK", "www3.nhk.or.jp", "https://www3.nhk.or.jp/news/html/{ymd}/k1001{n}1000.html", 3.0),
    Outlet("朝日新聞", "www.asahi.com", "https://www.asahi.com/articles/AST7{h}.html", 1.5),
    Outlet(
        "読売新聞", "www.yomiuri.co.jp", "https://www.yomiuri.co.jp/election/sangiin/{ymd}-OYT1T50{n}/", 1.5
    ),
    Outlet("毎日新聞", "mainichi.jp", "https://mainichi.jp/articles/{ymd}/k00/00m/010/{n}000c", 1.2),
    Outlet("日本経済新聞", "www.nikkei.com", "https://www.nikkei.com/article/DGXZQOUA{h}/", 1.0),
    Outlet("産経新聞", "www.sankei.com", "https://www.sankei.com/article/{ymd}-{h}/", 1.0),
    Outlet("時事通信", "www.jiji.com", "https://www.jiji.com/jc/article?k={ymd}00{n}&g=pol", 0.8),
    Outlet("共同通信", "www.47news.jp", "https://www.47news.jp/{n}2.html", 0.8),
    Outlet("Yahoo!ニュース", "news.yahoo.co.jp", "https://news.yahoo.co.jp/articles/{h}{h}", 2.5),
    Outlet("東京新聞", "www.tokyo-np.co.jp", "https://www.tokyo-np.co.jp/article/{n}", 0.6),
    Outlet("TBS NEWS DIG", "newsdig.tbs.co.jp", "https://newsdig.tbs.co.jp/articles/-/{n}", 0.7),
)

#: Sites that are not news: blogs, video, shops, government pages.
OTHER_SITES = (
    "https://www.youtube.com/watch?v={h}",
    "https://note.com/{u}/n/n{h}",
    "https://ameblo.jp/{u}/entry-12{n}.html",
    "https://www.amazon.co.jp/dp/B0{h}",
    "https://www.soumu.go.jp/senkyo/senkyo_s/news/{n}.html",
    "https://tenki.jp/forecast/3/16/4410/13101/",
    "https://www.instagram.com/p/{h}/",
)
