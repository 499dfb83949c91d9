"""The ``kagami`` command: a thin adapter over the core. One module per command, imported lazily.

Commands build core objects (a Store, an Ingestor) and print what they return; no SQL or logic lives here.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from kagami import __version__

#: command name -> module defining ``command`` (a click.Command); modules missing here are skipped.
COMMANDS: dict[str, str] = {
    "ingest": "kagami.cli.ingest_cmd",
    "stats": "kagami.cli.stats_cmd",
    "export": "kagami.cli.export_cmd",
    "import": "kagami.cli.import_cmd",
    "payload": "kagami.cli.payload_cmd",
    "demo": "kagami.cli.demo_cmd",
    "sim": "kagami.cli.sim_cmd",
    "eval": "kagami.cli.eval_cmd",
    "analyze": "kagami.cli.analyze_cmd",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or help lists it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n in COMMANDS if self._load(n) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        path = COMMANDS.get(name)
        if path is None:
            return None
        try:
            mod = importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name == path:
                return None
            raise
        cmd: click.Command = mod.command
        return cmd


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kagami")
def cli() -> None:
    """Kagami: detect and answer foreign interference in elections on social media.

    鏡 — 選挙への外国からの干渉を検知し、対応するためのシステム。
    """


def main(argv: list[str] | None = None) -> Any:
    return cli.main(args=argv, prog_name="kagami")
