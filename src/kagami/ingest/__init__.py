"""Readers for platforms' real formats, format detection, quarantine and the ingest runner."""

from kagami.ingest.runner import FileReport, Ingestor, IngestReport, ingest

__all__ = ["FileReport", "IngestReport", "Ingestor", "ingest"]
