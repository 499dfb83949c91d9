"""Readers by name. Modules are imported lazily, so start-up stays fast and a missing optional reader
only removes its format.

JSON readers are asked in this order whether they recognise a payload (``sniff``); the first that does
reads the whole file. Tabular readers recognise a table from its header (``sniff_source``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

JSON_READERS: dict[str, str] = {
    "jetstream": "kagami.ingest.jetstream",
    "twarc2": "kagami.ingest.twarc2",
    "x_exchange": "kagami.ingest.x_exchange",
    "mastodon": "kagami.ingest.mastodon",
    "bluesky_api": "kagami.ingest.bluesky_api",
    "telegram": "kagami.ingest.telegram",
}

TABULAR_READERS: dict[str, str] = {
    "io_archive": "kagami.ingest.io_archive",
    "tabular": "kagami.ingest.tabular",
}


def load(name: str) -> ModuleType:
    """The reader module called ``name``; raises KeyError for an unknown format."""
    path = JSON_READERS.get(name) or TABULAR_READERS.get(name)
    if path is None:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(names())}")
    return importlib.import_module(path)


def available(table: dict[str, str]) -> list[ModuleType]:
    mods = []
    for path in table.values():
        try:
            mods.append(importlib.import_module(path))
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
    return mods


def names() -> list[str]:
    return [*JSON_READERS, *TABULAR_READERS]
