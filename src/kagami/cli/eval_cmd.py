"""``kagami eval``: score a detector's account verdicts against a simulation's ground truth."""

from __future__ import annotations

import click

from kagami.evaluate.report import render
from kagami.evaluate.run import evaluate_files


@click.command("eval")
@click.option(
    "--truth", required=True, type=click.Path(exists=True, dir_okay=False), help="truth.csv (正解)."
)
@click.option(
    "--verdicts",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="accounts.csv: platform, account_id, flagged[, campaign_id] (判定).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="JSON result (default: VERDICTS.eval.json beside the verdicts).",
)
def command(truth: str, verdicts: str, out: str | None) -> None:
    """Print recall per campaign, precision, F1, false-positive rates and purity; write them as JSON."""
    try:
        ev, path = evaluate_files(truth, verdicts, out)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render(ev))
    click.echo(f"\n→ {path}")
