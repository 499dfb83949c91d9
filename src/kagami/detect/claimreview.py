"""Importing fact-checks: schema.org ClaimReview (JSON-LD) and a plain CSV layout, into ``claims``.

JSON files may hold one ClaimReview object, a list of them, or a JSON-LD ``@graph``; ``.jsonl`` files one
object (or list) per line. What is read: ``claimReviewed`` (the claim's text, required),
``reviewRating.alternateName`` (the verdict as written) or ``ratingValue`` on ``worstRating``..
``bestRating``, ``itemReviewed.appearance`` and ``firstAppearance`` (URLs where the claim was seen),
``url`` (the fact-check), ``author`` (the fact-checker), ``datePublished``, ``inLanguage``. CSV files
need the columns ``claim, rating, url, publisher, date, language``; ``appearances`` (URLs separated by
spaces or ``|``) is optional. Ratings are read into ``verdict_false`` (:mod:`kagami.detect.claim_rating`).
Every problem is an error naming the file and the place in it, never a silent skip.

>>> import json, tempfile, pathlib
>>> doc = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "票が書き換えられた",
...        "reviewRating": {"@type": "Rating", "alternateName": "誤り"}, "url": "https://fc.example/1",
...        "author": {"@type": "Organization", "name": "FC"}, "datePublished": "2025-07-10",
...        "inLanguage": "ja"}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.json"
>>> _ = path.write_text(json.dumps(doc), encoding="utf-8")
>>> [(c.text, c.rating, c.verdict_false, c.publisher, c.lang) for c in read_claims(path)]
[('票が書き換えられた', '誤り', True, 'FC', 'ja')]
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kagami.detect.claim_rating import verdict_is_false
from kagami.ingest.links import normalize_url

CSV_COLUMNS = ("claim", "rating", "url", "publisher", "date", "language")


class ClaimFileError(ValueError):
    """A fact-check file that cannot be read, with the file and the place in it."""


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One reviewed claim, as the ``claims`` table stores it."""

    claim_id: str
    text: str
    rating: str | None
    verdict_false: bool | None
    url: str | None
    publisher: str | None
    published: datetime | None
    lang: str | None
    appearances: tuple[str, ...]
    raw: str


def _name(value: Any) -> str | None:
    """A schema.org Thing's name (or the string itself); the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
    return str(value).strip() or None if value is not None else None


def _lang(value: Any) -> str | None:
    """A language code: ``inLanguage`` as a string, or a Language object's code (alternateName)."""
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return _name(value)


def _date(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        d = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ClaimFileError(f"{where}: date {value!r} is not ISO 8601 (e.g. 2025-07-10)") from None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _urls(values: list[Any]) -> tuple[str, ...]:
    out = []
    for v in values:
        for item in v if isinstance(v, list) else [v]:
            url = item.get("url") if isinstance(item, dict) else item
            norm = normalize_url(str(url)) if url else None
            if norm:
                out.append(norm)
    return tuple(sorted(set(out)))


def _record(text: Any, rating: Any, fields: dict[str, Any], raw: Any, where: str) -> ClaimRecord:
    if not isinstance(text, str) or not text.strip():
        raise ClaimFileError(f"{where}: no claim text ('claimReviewed' / 'claim' is missing or empty)")
    rating_text, verdict = verdict_is_false(rating)
    url = str(fields["url"]).strip() if fields.get("url") else None
    key = f"{url or ''}\n{text.strip()}".encode()
    return ClaimRecord(
        claim_id="claim:" + hashlib.sha256(key).hexdigest()[:16],
        text=text.strip(),
        rating=rating_text,
        verdict_false=verdict,
        url=url,
        publisher=_name(fields.get("publisher")),
        published=_date(fields.get("date"), where),
        lang=_lang(fields.get("lang")),
        appearances=_urls(fields.get("appearances", [])),
        raw=json.dumps(raw, ensure_ascii=False, sort_keys=True),
    )


def _is_review(obj: Any) -> bool:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind)


def _reviews(doc: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """ClaimReview objects in a JSON value (object, list or @graph), with their JSON pointer."""
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from _reviews(item, f"{where}/{i}")
    elif isinstance(doc, dict) and "@graph" in doc:
        yield from _reviews(doc["@graph"], f"{where}/@graph")
    elif _is_review(doc):
        yield doc, where
    elif isinstance(doc, dict) and "claimReviewed" in doc:
        raise ClaimFileError(f"{where or '/'}: has 'claimReviewed' but @type is {doc.get('@type')!r}")


def from_jsonld(obj: dict[str, Any], where: str) -> ClaimRecord:
    """One ClaimReview object as a record."""
    reviewed = obj.get("itemReviewed")
    item: dict[str, Any] = reviewed if isinstance(reviewed, dict) else {}
    rating = obj.get("reviewRating")
    fields = {
        "url": obj.get("url"),
        "publisher": obj.get("author") or obj.get("publisher"),
        "date": obj.get("datePublished"),
        "lang": obj.get("inLanguage"),
        "appearances": [item.get("appearance", []), item.get("firstAppearance", [])],
    }
    return _record(obj.get("claimReviewed"), rating, fields, obj, where)


def _json_docs(path: Path, text: str) -> Iterator[tuple[Any, str]]:
    lines = [(i, ln) for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for i, ln in lines:
            try:
                yield json.loads(ln), f"line {i}: "
            except json.JSONDecodeError as e:
                raise ClaimFileError(f"{path}: line {i}: not JSON ({e.msg}, column {e.colno})") from None
        return
    try:
        yield json.loads(text), ""
    except json.JSONDecodeError as e:
        raise ClaimFileError(f"{path}: not JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None


def _read_csv(path: Path, text: str) -> list[ClaimRecord]:
    rows = csv.DictReader(text.splitlines())
    missing = [c for c in CSV_COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise ClaimFileError(f"{path}: CSV lacks columns {missing}; it has {rows.fieldnames}")
    out = []
    for n, row in enumerate(rows, 2):
        apps = (row.get("appearances") or "").replace("|", " ").split()
        fields = {
            "url": row["url"],
            "publisher": row["publisher"],
            "date": row["date"],
            "lang": row["language"],
            "appearances": apps,
        }
        out.append(_record(row["claim"], row["rating"], fields, row, f"{path}: line {n}"))
    return out


def read_claims(path: str | Path) -> list[ClaimRecord]:
    """Every claim in one fact-check file (.json, .jsonld, .jsonl, .ndjson or .csv)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, text)
    if suffix not in (".json", ".jsonld", ".jsonl", ".ndjson"):
        raise ClaimFileError(
            f"{path}: unknown fact-check format {suffix!r}; use .json, .jsonld, .jsonl or .csv"
        )
    out: list[ClaimRecord] = []
    for doc, prefix in _json_docs(path, text):
        try:
            found = list(_reviews(doc, ""))
        except ClaimFileError as e:
            raise ClaimFileError(f"{path}: {prefix}{e}") from None
        out.extend(from_jsonld(obj, f"{path}: {prefix}{p or '/'}") for obj, p in found)
    if not out:
        raise ClaimFileError(f"{path}: no ClaimReview object (@type 'ClaimReview') found")
    return out
