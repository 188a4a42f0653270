"""The ``lgsync`` console script against the real LangGraph server.

JSON lines parse, exit codes match ``docs/cli.md``, and Ctrl-C closes the
stream, cancels the run when asked, and exits 130.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import lgsync
from lgsync.cli import EXIT_HTTP_STATUS, EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_ERROR
from lgsync.devserver import DevServer

pytestmark = pytest.mark.integration


def lgsync_command() -> list[str]:
    exe = shutil.which("lgsync", path=os.path.dirname(sys.executable))
    assert exe is not None, "the lgsync console script is not installed (pip install -e .)"
    return [exe]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return subprocess.run(lgsync_command() + list(args), capture_output=True, text=True, timeout=120, env=env)


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def server_url(langgraph_server: DevServer) -> str:
    return langgraph_server.url


@pytest.mark.parametrize("transport", ["urllib3", "requests"])
def test_stream_prints_the_guide_output_as_json_lines(server_url: str, transport: str) -> None:
    result = run(
        "stream",
        "--url",
        server_url,
        "--transport",
        transport,
        "--assistant",
        "agent",
        "--input",
        '{"topic": "ice cream"}',
        "--mode",
        "updates",
    )
    assert result.returncode == EXIT_OK, result.stderr
    parts = json_lines(result.stdout)
    assert [p["event"] for p in parts] == ["metadata", "updates", "updates"]
    assert set(parts[0]) == {"event", "data", "id"}
    assert parts[1]["data"] == {"refine_topic": {"topic": "ice cream and cats"}}
    assert parts[2]["data"] == {"generate_joke": {"joke": "This is a joke about ice cream and cats"}}
    assert f"run {parts[0]['data']['run_id']} (stateless)" in result.stderr


def test_stream_on_a_thread_with_modes_subgraphs_headers_and_input_file(server_url: str, tmp_path: object) -> None:
    client = lgsync.get_sync_client(url=server_url, api_key=None)
    thread = client.threads.create()["thread_id"]
    source = os.path.join(str(tmp_path), "input.json")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write('{"foo": "foo"}')
    result = run(
        "stream",
        "--url",
        server_url,
        "--thread",
        thread,
        "--assistant",
        "subgraphs",
        "--input",
        f"@{source}",
        "--mode",
        "updates",
        "--mode",
        "values",
        "--subgraphs",
        "--header",
        "x-tenant: a",
    )
    assert result.returncode == EXIT_OK, result.stderr
    events = [p["event"] for p in json_lines(result.stdout)]
    assert events[0] == "metadata"
    assert any(e.startswith("updates|node_2") for e in events)  # a subgraph's namespace
    assert "values" in events
    assert client.threads.get(thread)["values"] == {"foo": "hi! foobar"}


def test_pretty_format_is_one_readable_line_per_part(server_url: str) -> None:
    result = run(
        "stream",
        "--url",
        server_url,
        "-a",
        "agent",
        "-i",
        '{"topic": "ice cream"}',
        "-m",
        "updates",
        "--format",
        "pretty",
        "--quiet",
    )
    assert result.returncode == EXIT_OK
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("updates") and '"ice cream and cats"' in lines[1]
    assert result.stderr == ""


def test_a_run_that_fails_exits_1_after_printing_the_error_event(server_url: str) -> None:
    result = run("stream", "--url", server_url, "-a", "agent", "--input", "{}", "-m", "updates")
    assert result.returncode == EXIT_RUN_ERROR
    last = json_lines(result.stdout)[-1]
    assert last["event"] == "error" and last["data"]["error"] == "KeyError"
    assert "the run ended in error" in result.stderr


def test_wait_prints_the_final_state_or_exits_1_on_a_run_error(server_url: str) -> None:
    ok = run("wait", "--url", server_url, "-a", "agent", "--input", '{"topic": "ice cream"}')
    assert ok.returncode == EXIT_OK, ok.stderr
    assert json.loads(ok.stdout) == {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"}
    failed = run("wait", "--url", server_url, "-a", "agent", "--input", "{}")
    assert failed.returncode == EXIT_RUN_ERROR
    assert json.loads(failed.stdout)["__error__"]["error"] == "KeyError"


def test_http_status_errors_exit_3(server_url: str) -> None:
    result = run("stream", "--url", server_url, "-a", "no-such-graph", "--input", "{}")
    assert result.returncode == EXIT_HTTP_STATUS
    assert "422" in result.stderr
    assert result.stdout == ""
    result = run("wait", "--url", server_url, "-t", "00000000-0000-0000-0000-000000000000", "-a", "agent")
    assert result.returncode == EXIT_HTTP_STATUS
    assert "404" in result.stderr


def test_join_streams_a_background_run(server_url: str) -> None:
    client = lgsync.get_sync_client(url=server_url, api_key=None)
    thread = client.threads.create()["thread_id"]
    run_id = client.runs.create(thread, "slow", input={"steps": 6, "delay": 0.3}, stream_mode=["custom"])["run_id"]
    result = run("join", "--url", server_url, "--thread", thread, "--run", run_id, "--mode", "custom")
    assert result.returncode == EXIT_OK, result.stderr
    steps = [p["data"]["step"] for p in json_lines(result.stdout) if p["event"] == "custom"]
    assert steps == sorted(steps) and steps[-1] == 5
    assert client.runs.get(thread, run_id)["status"] == "success"


def wait_for_status(client: lgsync.SyncClient, thread: str, run_id: str, deadline: float = 5.0) -> str:
    status = ""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status = client.runs.get(thread, run_id)["status"]
        if status not in ("pending", "running"):
            break
        time.sleep(0.05)
    return status


@pytest.mark.parametrize("command", ["stream", "join"])
def test_ctrl_c_closes_the_stream_cancels_the_run_and_exits_130(server_url: str, command: str) -> None:
    client = lgsync.get_sync_client(url=server_url, api_key=None)
    thread = client.threads.create()["thread_id"]
    if command == "stream":
        argv = ["stream", "-a", "slow", "-t", thread, "-i", '{"steps": 50, "delay": 0.5}']
    else:
        run_id = client.runs.create(thread, "slow", input={"steps": 50, "delay": 0.5}, stream_mode=["custom"])["run_id"]
        argv = ["join", "-t", thread, "-r", run_id]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    process = subprocess.Popen(
        lgsync_command() + argv + ["--url", server_url, "-m", "custom", "--cancel-on-disconnect"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell without job control starts background jobs with SIGINT ignored,
        # and Python keeps an ignored SIGINT: give the child the default, as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        seen = []
        while len([p for p in seen if p["event"] == "custom"]) < 2:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            seen.append(json.loads(line))
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == EXIT_INTERRUPTED
    assert "interrupted" in stderr and "Traceback" not in stderr
    run_id = [r["run_id"] for r in client.runs.list(thread)][0]
    assert wait_for_status(client, thread, run_id) == "interrupted"
