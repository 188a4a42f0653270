"""The ``lgsync`` command's argument handling and exit codes that need no server.

Run as the installed console script, as a user would.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lgsync.cli import EXIT_CONNECTION, EXIT_USAGE, UsageError, build_parser, parse_header, parse_input
from lgsync.devserver import free_port


def lgsync_command() -> list[str]:
    exe = shutil.which("lgsync", path=os.path.dirname(sys.executable))
    assert exe is not None, "the lgsync console script is not installed (pip install -e .)"
    return [exe]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return subprocess.run(
        lgsync_command() + list(args), capture_output=True, text=True, timeout=60, input=stdin, env=env
    )


def test_parse_header_splits_on_the_first_colon() -> None:
    assert parse_header("x-tenant: a:b") == ("x-tenant", "a:b")
    with pytest.raises(UsageError):
        parse_header("no colon")


def test_parse_input_reads_json_a_file_or_stdin(tmp_path: Path) -> None:
    source = tmp_path / "input.json"
    source.write_text('{"topic": "ice cream"}', encoding="utf-8")
    assert parse_input('{"count": 2}') == {"count": 2}
    assert parse_input(f"@{source}") == {"topic": "ice cream"}
    assert parse_input("@-", stdin=io.StringIO("[1, 2]")) == [1, 2]
    assert parse_input(None) is None
    with pytest.raises(UsageError, match="not valid JSON"):
        parse_input("{bad")
    with pytest.raises(UsageError, match="cannot read"):
        parse_input(f"@{tmp_path / 'missing.json'}")


def test_repeatable_options_collect_every_value() -> None:
    args = build_parser().parse_args(
        ["stream", "-a", "agent", "-m", "updates", "-m", "custom", "-H", "a: 1", "-H", "b: 2", "--subgraphs"]
    )
    assert args.mode == ["updates", "custom"]
    assert args.header == ["a: 1", "b: 2"]
    assert args.subgraphs is True and args.thread is None


@pytest.mark.parametrize(
    "argv",
    [
        ["stream"],  # --assistant is required
        ["stream", "-a", "agent", "--mode", "nonsense"],
        ["stream", "-a", "agent", "--input", "{bad"],
        ["stream", "-a", "agent", "--header", "no colon"],
        ["stream", "-a", "agent", "--header", "x-api-key: k"],
        ["stream", "-a", "agent", "--url", "ftp://example"],
        ["join", "--thread", "t"],  # --run is required
    ],
)
def test_usage_errors_exit_2_with_a_message_on_stderr(argv: list[str]) -> None:
    result = run(*argv)
    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""
    assert "error" in result.stderr


def test_connection_failure_exits_4() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run("wait", "--url", url, "-a", "agent", "--input", "{}", "--timeout", "2")
    assert result.returncode == EXIT_CONNECTION
    assert "Could not connect" in result.stderr
    assert result.stdout == ""


def test_help_lists_the_commands_and_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("demo", "stream", "join", "wait", "130 interrupted"):
        assert word in result.stdout
