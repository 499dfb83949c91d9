"""``kagami demo``: the main job (``kagami analyze``) on a generated election scenario, on the embedded
default, scored against the scenario's ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from kagami.cli.analyze_cmd import result_tables
from kagami.cli.options import console

PathArg = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("demo")
@click.option("--out", "out_dir", default="demo-out", show_default=True, type=click.Path(file_okay=False))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", type=float, default=0.25, show_default=True, help="Scenario size (1 ≈ 300k events).")
@click.option("--disarm", type=PathArg, help="DISARM STIX 2.1 bundle (else $KAGAMI_DISARM).")
@click.option("--watchlist", multiple=True, type=PathArg, help="Domain watchlist CSV (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def command(
    out_dir: str, seed: int, scale: float, disarm: Path | None, watchlist: tuple[Path, ...], quiet: bool
) -> None:
    """Simulate an election scenario and analyse it. デモ: シナリオを生成して分析します。"""
    from kagami.demo import run_demo  # the whole core loads only when the command runs, not for --help

    err = console(stderr=True)

    def progress(stage: str) -> None:
        if not quiet:
            err.print(f"[dim]… {stage}[/dim]")

    result = run_demo(out_dir, seed=seed, scale=scale, disarm=disarm, watchlists=watchlist, progress=progress)
    out = console()
    s = result.scenario
    out.print(
        f"Scenario / シナリオ: {s.events:,} events "
        f"({s.x_posts:,} X posts, {s.bsky_events:,} Bluesky events), campaigns: {', '.join(s.campaigns)}"
    )
    for table in result_tables(result.analysis):
        out.print(table)
    ev = result.evaluation
    out.print(
        f"Against the scenario's truth / 正解との比較: precision {ev.precision:.3f}, recall {ev.recall:.3f}, "
        f"F1 {ev.f1:.3f}, false-positive rate {ev.fpr:.4f}"
        + (f", purity {ev.purity:.3f}" if ev.purity is not None else "")
    )
    out.print(f"Report / 報告書: {result.report_dir / 'report.html'}")
    out.print(f"Database / データベース: {result.db_path}  (try: kagami stats --db {result.db_path})")
