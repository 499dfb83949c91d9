"""``kagami ingest PATH...``: read platform exports into the store, with progress and a summary."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from kagami.cli.options import console, db_option
from kagami.ingest import Ingestor, IngestReport
from kagami.ingest.registry import names
from kagami.ingest.runner import expand
from kagami.store import Store


def summary_table(report: IngestReport) -> Table:
    """One row per file and a total: what was new, quarantined or already there."""
    t = Table(title="Ingest summary / 取り込み結果", show_lines=False)
    for col in ("file", "format", "status", "posts", "accounts", "actions", "quarantined", "duplicates"):
        t.add_column(col, justify="right" if col not in ("file", "format", "status") else "left")
    for f in report.files:
        c = f.counts
        t.add_row(
            escape(Path(f.path).name),
            escape(f.format),
            f.status,
            *(str(v) for v in (c.posts, c.accounts, c.actions, c.quarantined, c.duplicates)),
        )
    c = report.counts
    t.add_row(
        "total", "", "", *(str(v) for v in (c.posts, c.accounts, c.actions, c.quarantined, c.duplicates))
    )
    return t


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(names()), help="Skip detection and read every file as this."
)
@click.option(
    "--mapping", type=click.Path(exists=True, dir_okay=False), help="Column mapping for --format tabular."
)
@click.option("--force", is_flag=True, help="Re-read files already ingested to the end.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(
    paths: tuple[str, ...], db_path: str, fmt: str | None, mapping: str | None, force: bool, quiet: bool
) -> None:
    """Ingest files or folders (X/twarc2, Bluesky, Mastodon, Telegram, CSV) into the store.

    Formats are detected per file. Unreadable lines go to quarantine with file and line; the run goes on.
    Re-running adds nothing already stored.
    """
    err = console(stderr=True)
    out = console()
    try:
        files = expand(paths)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    options = {"mapping": mapping} if mapping else {}
    started = time.perf_counter()
    with Store(db_path) as store:
        ingestor = Ingestor(store, options=options)
        total = sum(f.stat().st_size for f in files)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=quiet,
        ) as bar:
            task = bar.add_task("ingest", total=total)

            def progress(name: str, n: int, size: int) -> None:
                bar.update(task, advance=n, description=Path(name).name[:40])

            try:
                report = ingestor.ingest(files, forced=fmt, progress=progress, force=force)
            except (KeyError, ValueError, OSError) as exc:
                raise click.ClickException(
                    f"{exc}. Check the file, or name its format with --format."
                ) from exc
        out.print(summary_table(report))
        kinds = Table(title="Records from these files, by platform and kind / 種類別")
        for col in ("records", "platform", "kind", "count"):
            kinds.add_column(col, justify="right" if col == "count" else "left")
        for table, platform, kind, n in store.records_from([f.sha256 for f in report.files]):
            kinds.add_row(table, escape(platform), escape(kind), f"{n:,}")
        out.print(kinds)
        elapsed = time.perf_counter() - started
        c = report.counts
        new = c.posts + c.accounts + c.actions
        out.print(
            f"{new} new records, {c.quarantined} quarantined, {c.duplicates} duplicates skipped "
            f"in {elapsed:.1f} s ({(new + c.duplicates) / max(elapsed, 1e-9):,.0f} records/s) → {db_path}"
        )
        if c.quarantined:
            rows = store.con.execute(
                "SELECT source_file, line, reason FROM quarantine ORDER BY source_file, line LIMIT 5"
            ).fetchall()
            for src, line, reason in rows:
                out.print(f"  quarantined {src}:{line or '-'}: {reason}", markup=False, highlight=False)
            out.print("  list them all with: kagami stats --quarantine", markup=False)
