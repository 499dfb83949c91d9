"""``kagami stats``: what the store holds, by platform and kind, and what was quarantined."""

from __future__ import annotations

import json

import click
from rich.markup import escape
from rich.table import Table

from kagami.cli.options import console, db_option, existing_store


def _table(title: str, headers: list[str], rows: list[tuple[object, ...]]) -> Table:
    t = Table(title=title)
    for h in headers:
        t.add_column(h)
    for r in rows:
        t.add_row(*(escape(str(v)) for v in r))
    return t


@click.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--quarantine", is_flag=True, help="List every quarantined line with its reason.")
def command(db_path: str, as_json: bool, quarantine: bool) -> None:
    """Summarise the store: records by platform and kind, sources, quarantine. 統計を表示します。"""
    with existing_store(db_path) as store:
        s = store.stats()
        q = (
            store.con.execute(
                "SELECT source_file, line, raw_path, reason FROM quarantine ORDER BY source_file, line"
            ).fetchall()
            if quarantine
            else []
        )
    out = console()
    if as_json:
        s["quarantine_items"] = q
        click.echo(json.dumps(s, default=str, ensure_ascii=False, indent=2))
        return
    out.print(_table("Posts / 投稿", ["platform", "kind", "count"], s["posts"]))
    out.print(_table("Accounts / アカウント", ["platform", "count"], s["accounts"]))
    out.print(_table("Actions / 行動", ["platform", "kind", "count"], s["actions"]))
    out.print(_table("Quarantined / 隔離", ["file", "count"], s["quarantined"]))
    out.print(f"raw payloads: {s['raw_payloads']}, account observations: {s['account_observations']}")
    for src, line, path, reason in q:
        out.print(f"{src}:{line or '-'} {path} {reason}", markup=False, highlight=False)
