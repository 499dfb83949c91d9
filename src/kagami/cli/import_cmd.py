"""``kagami import DIR``: load Parquet files written by ``kagami export``; stored keys are kept."""

from __future__ import annotations

import click

from kagami.cli.options import db_option
from kagami.store import Store


@click.command("import")
@click.argument("in_dir", type=click.Path(exists=True, file_okay=False))
@db_option
def command(in_dir: str, db_path: str) -> None:
    """Import <table>.parquet files from IN_DIR into the store. インポート"""
    with Store(db_path) as store:
        for table, added in store.import_parquet(in_dir).items():
            click.echo(f"{table}: {added} new rows")
