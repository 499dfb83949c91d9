"""Link normalisation and registered domains, so that one article shared many ways counts as one target.

>>> normalize_url("HTTPS://WWW.Example.co.jp:443/a/?utm_source=x&b=2&a=1#top")
'https://example.co.jp/a?a=1&b=2'
>>> registered_domain("news.example.co.jp")
'example.co.jp'
>>> make_link("https://t.co/x", "http://www.nhk.or.jp/news/").domain
'nhk.or.jp'
"""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

from kagami.model import Link

_PSL = PublicSuffixList()

#: Query parameters that track the sharer, not the content.
TRACKING = frozenset(
    {"fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref_src", "ref_url", "s", "si", "feature", "mibextid"}
)


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]")[0] + "]"
    host = host.split(":")[0].rstrip(".").lower()
    if not host.isascii():
        with suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    return host


@lru_cache(maxsize=1 << 16)
def registered_domain(host: str) -> str | None:
    """The registrable domain (eTLD+1) of a host, from the Public Suffix List shipped offline."""
    host = host.lower().rstrip(".")
    if not host or host.startswith("["):
        return None
    dom = _PSL.privatesuffix(host)
    return dom if dom else host


@lru_cache(maxsize=1 << 18)
def normalize_url(url: str) -> str | None:
    """Lower-case scheme and host, drop ``www.``, default ports, fragments, tracking parameters and a
    trailing slash, and sort the query; http and https are kept apart (they can be different sites)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = _host(parts.netloc)
    if host.startswith("www."):
        host = host[4:]
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING
    )
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def make_link(
    url: str, expanded: str | None = None, start: int | None = None, end: int | None = None
) -> Link:
    """A :class:`Link` with its normalised form and registered domain taken from the expanded URL."""
    norm, domain = normalize_with_domain(expanded or url)
    return Link(url=url, expanded=expanded, normalized=norm, domain=domain, start=start, end=end)


@lru_cache(maxsize=1 << 18)
def normalize_with_domain(url: str) -> tuple[str | None, str | None]:
    """``(normalize_url(url), registered domain of the normalised URL)``, cached: the bulk path's lookup."""
    norm = normalize_url(url)
    return norm, (registered_domain(urlsplit(norm).netloc) if norm else None)
