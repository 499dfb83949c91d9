"""``kagami demo``: the main job on the embedded default, on a generated election scenario."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn
from rich.table import Table

from kagami.cli.ingest_cmd import summary_table
from kagami.cli.options import console
from kagami.demo import run_demo


@click.command("demo")
@click.option("--out", "out_dir", default="demo-out", show_default=True, type=click.Path(file_okay=False))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", type=float, default=0.25, show_default=True, help="Scenario size (1 ≈ 300k events).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(out_dir: str, seed: int, scale: float, quiet: bool) -> None:
    """Simulate an election scenario, ingest it and summarise the store. デモを実行します。"""
    out = console()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=console(stderr=True),
        disable=quiet,
    ) as bar:
        task = bar.add_task("simulating", total=None)

        def progress(name: str, n: int, size: int) -> None:
            bar.update(task, advance=n, total=size, description=Path(name).name)

        result = run_demo(out_dir, seed=seed, scale=scale, progress=progress)
    s = result.scenario
    out.print(
        f"Scenario / シナリオ: {s.events:,} events "
        f"({s.x_posts:,} X posts, {s.bsky_events:,} Bluesky events), campaigns: {', '.join(s.campaigns)}"
    )
    out.print(summary_table(result.ingest))
    t = Table(title="Store / ストア")
    for col in ("platform", "kind", "records"):
        t.add_column(col)
    posts = result.stats["posts"]
    actions = result.stats["actions"]
    assert isinstance(posts, list) and isinstance(actions, list)
    for platform, kind, n in [*posts, *actions]:
        t.add_row(str(platform), str(kind), f"{n:,}")
    out.print(t)
    out.print(f"Database / データベース: {result.db_path}  (try: kagami stats --db {result.db_path})")
    out.print(f"Ground truth / 正解ラベル: {Path(s.out_dir) / 'truth.csv'}")
