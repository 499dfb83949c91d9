"""``kagami analyze``: the main job — ingest, detect, judge, and write the campaign outputs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from kagami.cli.options import console, db_option

if TYPE_CHECKING:
    from kagami.assess.analyze import AnalyzeResult

PathArg = click.Path(exists=True, dir_okay=False, path_type=Path)


def result_tables(result: AnalyzeResult) -> list[Table]:
    """The campaigns found and the time per stage, as tables."""
    t = Table(title=f"Campaigns / キャンペーン ({len(result.campaigns)})")
    for col in ("id", "accounts", "platforms", "score", "confidence", "breakout", "DISARM"):
        t.add_column(col)
    for c in result.campaigns:
        t.add_row(c["id"], str(c["size"]), ",".join(c["platforms"]), f"{c['score']:.2f}", c["confidence"],
                  str(c["breakout"]["category"]), " ".join(d["id"] for d in c["disarm"][:6]))  # fmt: skip
    s = Table(title="Stages / 処理時間")
    s.add_column("stage")
    s.add_column("seconds", justify="right")
    for name, sec in result.timings.items():
        s.add_row(name, f"{sec:.1f}")
    s.add_row("total", f"{sum(result.timings.values()):.1f}")
    return [t, s]


@click.command("analyze")
@click.argument("inputs", nargs=-1, required=True, type=PathArg)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for accounts.csv, campaigns.json, report.html and the network files.")  # fmt: skip
@db_option
@click.option("--watchlist", multiple=True, type=PathArg, help="Domain watchlist CSV (repeatable).")
@click.option("--handles", multiple=True, type=PathArg, help="State-affiliated handle list CSV (repeatable).")
@click.option("--claims", multiple=True, type=PathArg, help="Fact-checks: ClaimReview JSON-LD or CSV.")
@click.option("--disarm", type=PathArg, help="DISARM STIX 2.1 bundle (else $KAGAMI_DISARM).")
@click.option("--no-narratives", is_flag=True, help="Skip narrative clustering (the slowest stage).")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def command(
    inputs: tuple[Path, ...],
    out_dir: Path,
    db_path: str,
    watchlist: tuple[Path, ...],
    handles: tuple[Path, ...],
    claims: tuple[Path, ...],
    disarm: Path | None,
    no_narratives: bool,
    quiet: bool,
) -> None:
    """Find campaigns in INPUT files and write the situation report. 分析して状況報告を作成します。

    Every flag is a lead for human review, not a verdict. すべての検知は人による確認が前提です。
    """
    # The core's detectors (scikit-learn, igraph, ...) load only when the command runs, not for --help.
    from kagami.assess.analyze import AnalyzeOptions, analyze
    from kagami.assess.detectors import DetectorInputs

    err = console(stderr=True)
    opts = AnalyzeOptions(
        inputs=DetectorInputs(
            watchlists=watchlist, handles=handles, claims=claims, narratives=not no_narratives
        ),
        disarm=disarm,
    )

    def progress(stage: str) -> None:
        if not quiet:
            err.print(f"[dim]… {stage}[/dim]")

    result = analyze(list(inputs), out_dir, db=db_path, options=opts, progress=progress)
    out = console()
    for table in result_tables(result):
        out.print(table)
    if result.disarm_source is None:
        out.print("DISARM: no bundle given (--disarm or KAGAMI_DISARM): technique ids without names.")
    out.print(f"Flagged accounts / 要確認アカウント: {result.flagged:,} of {result.accounts:,}")
    for p in result.outputs:
        out.print(f"  {p}")
