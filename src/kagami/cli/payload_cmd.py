"""``kagami payload``: the raw payload a finding cites, byte-exact, by its sha256.

Written as stored bytes to a file (``--out``) or to a pipe; on a terminal, where an adversary's escape
sequences and bidi overrides would act, the text is shown with every hidden character as a visible
``⟨U+XXXX⟩`` marker instead (and bytes that are not UTF-8 as ``\\xNN``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kagami.assess.report_text import visible
from kagami.cli.options import db_option, existing_store


@click.command("payload")
@db_option
@click.argument("sha256")
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False), help="Write the exact bytes to this file."
)
def command(db_path: str, sha256: str, out_path: str | None) -> None:
    """Print the raw payload of SHA256, as it came (checked against its hash). 生データを表示します。"""
    with existing_store(db_path) as store:
        try:
            raw = store.payload(sha256.strip().lower())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if raw is None:
        raise click.ClickException(
            f"no raw payload {sha256!r} in {db_path}: findings cite payloads by the sha256 in their "
            "evidence (raw_sha256); check the hash and the database"
        )
    if out_path is not None:
        Path(out_path).write_bytes(raw)
        click.echo(f"{out_path}: {len(raw):,} bytes", err=True)
    elif sys.stdout.isatty():
        click.echo(visible(raw.decode("utf-8", errors="backslashreplace")))
    else:
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
