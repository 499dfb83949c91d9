"""Look-alike domains of Japanese news outlets (``data/outlets.csv``): homoglyphs, appended domains, TLD
swaps, added words and small edits of the outlet's brand label.

A host is checked only when its registered domain is neither an outlet's nor one of its ``related``
legitimate domains. Methods and scores (strongest first):

* ``homoglyph`` (0.9): the host's skeleton (punycode decoded, NFKC, Cyrillic and Greek look-alike letters
  to Latin, 0->o, 1/i->l, rn->m, vv->w) equals an outlet's domain or brand label (``xn--nhk-...``,
  ``nhk.0r.jp``);
* ``appended`` (0.9): the outlet's whole domain followed by more labels (``yomiuri.co.jp.net``);
* ``tld_swap`` (0.8): the brand label under another suffix (``asahi.co``);
* ``added_word`` (0.7 with a news word such as news, shinbun, jp, online, press; else 0.4): the brand
  as a hyphen-separated token or prefix of the label (``nhk-news.jp.net``, ``asahi-shinbun.com``);
* ``edit`` (0.6): Damerau-Levenshtein distance 1 from a brand of 5-7 letters, at most 2 from a longer
  one (``mainichl.jp``); brands under 5 letters (NHK, TBS) are never matched by edits.

>>> lookalike("nhk-news.jp.net")
('nhk.or.jp', 'added_word', 0.7)
>>> lookalike("www3.nhk.or.jp") is None, lookalike("tv-asahi.co.jp") is None
(True, True)
"""

from __future__ import annotations

import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache

from kagami.detect.watchlists import DATA, read_rows
from kagami.ingest.links import registered_domain

NEWS_WORDS = frozenset(
    ("news", "shinbun", "shimbun", "jp", "japan", "online", "press", "net", "web", "nippon", "nihon",
     "times", "tv", "digital", "daily", "media", "info", "live", "hodo", "sokuho", "today")
)  # fmt: skip
CONFUSABLE = str.maketrans(
    {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l", "ѕ": "s", "ј": "j",
     "ԁ": "d", "һ": "h", "ӏ": "l", "к": "k", "м": "m", "н": "h", "т": "t", "в": "b", "ο": "o", "α": "a",
     "ν": "v", "ι": "l", "κ": "k", "τ": "t", "ρ": "p", "0": "o", "1": "l", "i": "l", "|": "l"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    brand: str
    name: str
    related: frozenset[str]


@cache
def outlets() -> tuple[Outlet, ...]:
    """The legitimate outlets (``data/outlets.csv``)."""
    return tuple(
        Outlet(r["domain"], r["brand"], r["name"], frozenset((r["related"] or "").split()))
        for r in read_rows(DATA / "outlets.csv")
    )


@cache
def legitimate() -> frozenset[str]:
    """Every outlet's registered domain and its related legitimate domains."""
    return frozenset(d for o in outlets() for d in (o.domain, *o.related))


def decode(host: str) -> str:
    """The host with punycode labels decoded (undecodable labels kept as they are)."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def skeleton(text: str) -> str:
    """A form in which visually confusable strings coincide."""
    s = unicodedata.normalize("NFKC", text).lower().translate(CONFUSABLE)
    return s.replace("rn", "m").replace("vv", "w")


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _added(label: str, brand: str) -> list[str] | None:
    """The words added to ``brand`` in ``label`` (``nhk-news`` -> ``['news']``), or None."""
    if label.startswith(brand) and len(label) > len(brand):
        return [t for t in label[len(brand) :].split("-") if t]
    if label.endswith("-" + brand):
        return [t for t in label[: -len(brand)].split("-") if t]
    tokens = label.split("-")
    return [t for t in tokens if t != brand] if "-" not in brand and brand in tokens else None


def _check(host: str, reg: str, label: str, o: Outlet) -> tuple[str, float] | None:
    if f".{o.domain}." in f".{host}." and not host.endswith(o.domain):
        return "appended", 0.9
    if label == o.brand:
        return "tld_swap", 0.8
    shost, sreg, slabel = skeleton(decode(host)), skeleton(decode(reg)), skeleton(decode(label))
    sdom, sbrand = skeleton(o.domain), skeleton(o.brand)
    if sreg in (sdom, sbrand) or slabel == sbrand or shost == sdom or shost.endswith("." + sdom):
        return "homoglyph", 0.9
    added = _added(label, o.brand)
    if added and all(t in NEWS_WORDS for t in added):
        return "added_word", 0.7
    if len(o.brand) >= 5 and 0 < distance(label, o.brand) <= (1 if len(o.brand) < 8 else 2):
        return "edit", 0.6
    return None


@lru_cache(maxsize=1 << 16)
def lookalike(host: str) -> tuple[str, str, float] | None:
    """(outlet domain, method, score) when ``host`` imitates a news outlet, else None."""
    host = host.lower().strip(".").removeprefix("www.")
    reg = registered_domain(host) or host
    if reg in legitimate() or not reg:
        return None
    label = reg.split(".")[0]
    best: tuple[str, str, float] | None = None
    for o in outlets():
        hit = _check(host, reg, label, o)
        if hit and (best is None or hit[1] > best[2]):
            best = (o.domain, hit[0], hit[1])
    return best
