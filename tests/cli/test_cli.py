"""The command line: the same core objects, driven as a user would, with errors that say what to do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from kagami.cli import COMMANDS, cli
from tests.ingest.helpers import page, tweet, user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "x.jsonl"
    lines = [
        orjson.dumps(page([tweet("1", "9", "参院選 [bold]markup[/bold] #選挙")], [user("9", "[red]a")])),
        b'{"data": [broken',
        orjson.dumps(page([tweet("2", "9", "二つ目")], [user("9", "a")])),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_help_lists_every_command() -> None:
    code, out = run("--help")
    assert code == 0
    for name in COMMANDS:
        assert name in out


def test_help_does_not_load_the_detectors() -> None:
    # `kagami --help` lists every command; the analysis core (scikit-learn, igraph, leidenalg) loads only
    # when a command that needs it runs (it took 1.4 s of a 1.5 s --help before).
    code = (
        "import sys; from kagami.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('sklearn', 'igraph', 'leidenalg', 'kagami.assess.analyze')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "analyze" in out and out.strip().splitlines()[-1] == "[]"


def test_every_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"## kagami {name}" in doc, f"docs/cli.md does not document `kagami {name}`"


def test_ingest_then_stats(tmp_path: Path, data: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    code, out = run("ingest", str(data), "--db", db, "-q")
    assert code == 0
    assert "2 new records" not in out and "1 quarantined" in out
    assert f"{data}:2: invalid JSON" in out  # file and line, so the user can look
    code, out = run("stats", "--db", db, "--json", "--quarantine")
    stats = json.loads(out)
    assert stats["posts"] == [["x", "post", 2]]
    assert stats["quarantine_items"][0][1] == 2
    code, out = run("ingest", str(data), "--db", db, "-q")
    assert code == 0 and "skipped" in out and "0 new records" in out


def test_export_import_round_trip(tmp_path: Path, data: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    run("ingest", str(data), "--db", db, "-q")
    code, out = run("export", "--db", db, "--out", str(tmp_path / "pq"))
    assert code == 0 and "posts.parquet" in out
    other = str(tmp_path / "other.duckdb")
    code, out = run("import", str(tmp_path / "pq"), "--db", other)
    assert code == 0 and "posts: 2 new rows" in out


def test_errors_name_the_problem(tmp_path: Path, data: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "k")])
    assert result.exit_code == 2 and "missing.jsonl" in result.output and "does not exist" in result.output
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "kagami ingest" in result.output
    result = CliRunner().invoke(
        cli, ["ingest", str(data), "--format", "tabular", "--db", str(tmp_path / "k")]
    )
    assert result.exit_code == 1 and "mapping" in result.output.lower()


def stored_sha(db: str) -> str:
    from kagami.store import Store

    with Store(db, read_only=True) as store:
        return str(store.scalar("SELECT raw_sha256 FROM posts WHERE id = '1'"))


def test_payload_gives_the_exact_bytes(tmp_path: Path, data: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    run("ingest", str(data), "--db", db, "-q")
    first = data.read_bytes().split(b"\n")[0]
    sha = stored_sha(db)
    result = CliRunner().invoke(cli, ["payload", sha.upper(), "--db", db])
    assert result.exit_code == 0 and result.stdout_bytes == first  # a pipe gets the bytes as they came
    out = tmp_path / "evidence.json"
    code, _ = run("payload", sha, "--db", db, "--out", str(out))
    assert code == 0 and out.read_bytes() == first
    result = CliRunner().invoke(cli, ["payload", "0" * 64, "--db", db])
    assert result.exit_code == 1 and "no raw payload" in result.output
    result = CliRunner().invoke(cli, ["payload", sha, "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "kagami ingest" in result.output


def test_payload_on_a_terminal_shows_hidden_characters(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    hostile = "選挙\x1b]0;owned\x07\u202eevil\u200b"
    path = tmp_path / "x.jsonl"
    path.write_bytes(orjson.dumps(page([tweet("1", "9", hostile)], [user("9", "a")])) + b"\n")
    db = str(tmp_path / "k.duckdb")
    run("ingest", str(path), "--db", db, "-q")
    primary, secondary = pty.openpty()
    code = "from kagami.cli import cli; cli()"
    args = [sys.executable, "-c", code, "payload", stored_sha(db), "--db", db]
    proc = subprocess.run(args, stdout=secondary, stderr=subprocess.PIPE, timeout=60, check=False)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert proc.returncode == 0, proc.stderr
    text = shown.decode()
    # JSON carries the escape as the six characters \u001b; the bidi override and zero-width space come raw
    assert "⟨U+202E⟩evil⟨U+200B⟩" in text and "選挙" in text
    assert "\u202e" not in text and "\u200b" not in text and "\x1b" not in text
