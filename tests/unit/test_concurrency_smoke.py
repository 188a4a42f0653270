"""The concurrency and relay load benchmarks keep working: each runs at a tiny N (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.concurrency import CLIENTS, EXTRA_CLIENTS, MODELS
from benchmarks.payloads import chunk_frame
from benchmarks.relay_load import APPS, WORKERS, _Client

ROOT = Path(__file__).resolve().parents[2]
STREAMS = 5
EVENTS = 3


def _missing(*modules: str) -> list[str]:
    return [name for name in modules if importlib.util.find_spec(name) is None]


def _run(module: str, args: list[str], json_path: Path) -> tuple[str, dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", module, *args, "--json", str(json_path)],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=env,
        timeout=240,  # a deadline guard for a wedged run, not a speed check
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, json.loads(json_path.read_text())


def _row(stdout: str, *cells: str) -> str:
    pattern = r"^\|\s*" + r"\s*\|\s*".join(map(re.escape, cells)) + r"\s*\|"
    match = re.search(pattern, stdout, re.MULTILINE)
    assert match, f"no table row starting {cells} in:\n{stdout}"
    return stdout[match.start() : stdout.index("\n", match.start())]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("client", CLIENTS + EXTRA_CLIENTS)
def test_concurrency_completes_every_stream(client: str, model: str, tmp_path: Path) -> None:
    missing = _missing(*(["gevent"] if model == "gevent" else []), *(["langgraph_sdk"] if client == "sdk" else []))
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")
    args = ["--n", str(STREAMS), "--events", str(EVENTS), "--interval", "0.05"]
    stdout, run = _run("benchmarks.concurrency", args + ["--clients", client, "--models", model], tmp_path / "c.json")

    for n in (1, STREAMS):
        result = run["results"][f"{client}/{model}/{n}"]
        assert result["completed"] == n and result["failed"] == 0, result
        assert result["events"] == n * EVENTS
        assert result["p99_ms"] is not None
    crowd = run["results"][f"{client}/{model}/{STREAMS}"]
    assert crowd["peak_fds"] > crowd["base_fds"], "the open streams show as file descriptors"
    row = _row(stdout, client, model, str(STREAMS), str(STREAMS), "0")
    assert row.count("|") == 15, row


@pytest.mark.parametrize("worker", WORKERS)
@pytest.mark.parametrize("app", list(APPS))
def test_relay_load_reads_every_relayed_stream(app: str, worker: str, tmp_path: Path) -> None:
    missing = _missing("gunicorn", app, *(["gevent"] if worker == "gevent" else []))
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")
    streams = 10  # a tenth of them, one, closes early
    args = ["--n", str(streams), "--events", "6", "--interval", "0.05", "--apps", app, "--workers", worker]
    stdout, run = _run("benchmarks.relay_load", args, tmp_path / "r.json")

    for key in ("direct/10", f"{app}-{worker}/10"):
        result = run["results"][key]
        assert result["first_error"] is None, result
        assert result["completed"] == result["full"] == streams - 1, result
        assert result["early_closed"] == 1, result
    relayed = run["results"][f"{app}-{worker}/10"]
    assert relayed["peak"]["threads"] >= relayed["base"]["threads"] >= 1
    assert relayed["p99_ms"] is not None
    _row(stdout, "direct (no relay)", "10", "9/9")
    _row(stdout, f"{app} gunicorn {worker}", "10", "9/9")


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_load_generator_dechunks_a_body_split_anywhere(step: int) -> None:
    events = [b'event: custom\r\ndata: {"i":%d}\r\n\r\n' % i for i in range(20)]
    body = b"".join(map(chunk_frame, events)) + b"0\r\n\r\n"
    with socket.socket() as unused:
        client = _Client(0, "r", unused)
        client.chunked = True
        received, ended = b"", False
        for start in range(0, len(body), step):
            pieces, last = client.body(body[start : start + step])
            received += b"".join(pieces)
            ended = ended or last
    assert received == b"".join(events)
    assert ended


def test_gevent_server_process_serves_both_benchmarks(tmp_path: Path) -> None:
    missing = _missing("gevent", "gunicorn", "flask")
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")
    tiny = ["--n", str(STREAMS), "--events", str(EVENTS), "--interval", "0.05", "--gevent-server"]
    args = tiny + ["--clients", "lgsync-urllib3", "--models", "threads"]
    _, run = _run("benchmarks.concurrency", args, tmp_path / "c.json")
    assert run["results"][f"lgsync-urllib3/threads/{STREAMS}"]["completed"] == STREAMS

    args = ["--n", "10", "--events", "6", "--interval", "0.05", "--workers", "gthread", "--gevent-server"]
    _, run = _run("benchmarks.relay_load", args, tmp_path / "r.json")
    relayed = run["results"]["flask-gthread/10"]
    assert relayed["completed"] == relayed["full"] == 9, relayed
    assert run["results"]["direct/10"]["completed"] == 9
