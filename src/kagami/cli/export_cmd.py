"""``kagami export``: every table of the store as Parquet, for other tools or a distributed engine."""

from __future__ import annotations

import click

from kagami.cli.options import db_option
from kagami.store import Store
from kagami.store.schema import FINDINGS, TABLES


@click.command("export")
@db_option
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet files."
)
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Choice(TABLES + FINDINGS),
    help="Only these tables (repeatable); evidence or findings tables.",
)
@click.option("--findings", is_flag=True, help="Also every findings table the last analysis wrote.")
def command(db_path: str, out_dir: str, tables: tuple[str, ...], findings: bool) -> None:
    """Export tables to OUT/<table>.parquet (zstd). エクスポート"""
    with Store(db_path, read_only=True) as store:
        chosen = tables or TABLES
        if findings:
            chosen = tuple(dict.fromkeys((*chosen, *store.findings())))
        for path in store.export_parquet(out_dir, chosen):
            click.echo(str(path))
