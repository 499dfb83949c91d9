"""The embedded store (DuckDB by default): schema, migrations, bulk loads, Parquet export and import."""

from kagami.store.db import Batch, BatchCounts, Store

__all__ = ["Batch", "BatchCounts", "Store"]
