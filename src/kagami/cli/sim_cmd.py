"""``kagami sim``: simulate an election on social media, with planted campaigns and ground truth."""

from __future__ import annotations

import click

from kagami.sim import apply_overrides, named, simulate


@click.command("sim")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (乱数シード).")
@click.option("--scale", type=float, default=1.0, show_default=True, help="1 ≈ 300k events, 20k accounts.")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder (出力先)."
)
@click.option(
    "--config",
    "config_name",
    type=click.Choice(["dev", "dev-wide", "held-out"]),
    default="dev",
    show_default=True,
    help="dev: for building and tuning; held-out: never tuned on (評価専用).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="SECTION.PARAM=VALUE",
    help="Override a parameter, e.g. ring.participation=0.4 or world.days=10 (repeatable).",
)
def command(seed: int, scale: float, out_dir: str, config_name: str, sets: tuple[str, ...]) -> None:
    """Write x.jsonl (twarc2), bsky.jsonl (Jetstream) and truth.csv into --out."""
    try:
        cfg = apply_overrides(named(config_name, seed, scale), list(sets))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from exc
    s = simulate(cfg, out_dir)
    click.echo(
        f"{s.out_dir}: {s.events} events ({s.x_posts} X posts, {s.bsky_events} Bluesky events) "
        f"in {s.seconds}s"
    )
    click.echo("bluesky: " + ", ".join(f"{k} {v}" for k, v in s.bsky_kinds.items()))
    click.echo("accounts アカウント: " + ", ".join(f"{k} {v}" for k, v in sorted(s.accounts.items())))
    click.echo("campaigns キャンペーン: " + ", ".join(s.campaigns))
