"""The ``lgsync`` command's argument handling and exit codes that need no server.

Run as the installed console script, as a user would.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lgsync.cli import (
    DEFAULT_URL,
    EXIT_CONNECTION,
    EXIT_DEMO_SERVER,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    build_parser,
    parse_header,
    parse_input,
    server_url,
)
from lgsync.demo import missing_requirement
from lgsync.devserver import free_port


def lgsync_command() -> list[str]:
    exe = shutil.which("lgsync", path=os.path.dirname(sys.executable))
    assert exe is not None, "the lgsync console script is not installed (pip install -e .)"
    return [exe]


def run(*args: str, stdin: str | None = None, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and k != "LANGGRAPH_URL"}
    env.update(environ)
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
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["join", "-t", "t-1", "-r", ""],  # -r "$RUN" with RUN unset
        ["join", "-t", "", "-r", "r-1"],
        ["join", "-t", "t-1", "-r", "   "],
        ["join", "-t", "t-1", "-r", " r-1"],
        ["join", "-t", "t-1", "-r", "r\n1"],
        ["stream", "-a", "agent", "-t", ""],  # not silently stateless
        ["stream", "-a", ""],
        ["wait", "-a", "agent", "-t", ""],
        ["wait", "-a", "\x7f"],
    ],
)
def test_an_empty_or_invalid_id_is_a_one_line_usage_error(argv: list[str]) -> None:
    # Nothing listens there: a usage error must be reported before anything is sent.
    result = run(*argv, "--url", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == EXIT_USAGE, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"lgsync {argv[0]}: error: argument --")
    assert "--help" in line


def test_the_server_is_the_url_option_then_langgraph_url_then_the_dev_server() -> None:
    assert DEFAULT_URL == "http://127.0.0.1:2024"
    assert server_url(None, {}) == DEFAULT_URL
    assert server_url(None, {"LANGGRAPH_URL": ""}) == DEFAULT_URL
    assert server_url(None, {"LANGGRAPH_URL": "https://lg.internal"}) == "https://lg.internal"
    assert server_url("http://other:1", {"LANGGRAPH_URL": "https://lg.internal"}) == "http://other:1"


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, dict[str, str]]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        body = json.dumps({"joke": "recorded"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_langgraph_url_and_langgraph_api_key_are_read_from_the_environment(recorder: str) -> None:
    result = run("wait", "-a", "agent", "-i", "{}", "-q", LANGGRAPH_URL=recorder, LANGGRAPH_API_KEY="sk-env")
    assert result.returncode == EXIT_OK, result.stderr
    assert json.loads(result.stdout) == {"joke": "recorded"}
    ((method, path, headers),) = _Recorder.seen
    assert (method, path) == ("POST", "/runs/wait")
    assert headers["x-api-key"] == "sk-env"


def test_connection_failure_exits_4() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run("wait", "--url", url, "-a", "agent", "--input", "{}", "--timeout", "2")
    assert result.returncode == EXIT_CONNECTION
    assert "Could not connect" in result.stderr
    assert result.stdout == ""


def test_help_lists_the_commands_and_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("demo", "stream", "join", "wait", "130 interrupted", "LANGGRAPH_URL", "examples:"):
        assert word in result.stdout


@pytest.mark.parametrize("command", ["stream", "join", "wait"])
def test_each_command_s_help_shows_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    examples = result.stdout.split("examples:\n", 1)[1]
    assert all(line.strip().startswith(f"lgsync {command} ") for line in examples.strip().splitlines())


def test_python_m_lgsync_cli_is_the_same_command() -> None:
    as_module = subprocess.run(
        [sys.executable, "-m", "lgsync.cli", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert as_module.returncode == 0
    assert as_module.stdout == run("--help").stdout


def test_demo_exits_5_and_says_why_when_its_server_cannot_start(tmp_path: Path) -> None:
    result = run("demo", "--config", str(tmp_path / "missing.json"))
    assert result.returncode == EXIT_DEMO_SERVER
    assert result.stdout == ""
    lacking = missing_requirement()
    expected = lacking if lacking else "lgsync demo: No LangGraph config at 'missing.json'"
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_importing_lgsync_loads_neither_the_command_nor_the_demo() -> None:
    code = (
        "import sys, lgsync; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['lgsync', 'cli'], ['lgsync', 'demo'], ['lgsync', 'devserver'])))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
