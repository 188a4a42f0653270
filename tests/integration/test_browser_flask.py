"""End to end: headless Chromium opens the Flask example's page and sees the tokens stream in.

Needs the Debian ``chromium`` package. Without it the test skips, except under
``CI=true``, where it fails with a message saying what to install.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lgsync.devserver import DevServer
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

sys.path.insert(0, str(ROOT / "examples"))
from flask_app import create_app  # noqa: E402

REPLY = "Why did the ice cream cross the road? To get to the sundae!"
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        message = "headless Chromium is not installed: apt-get install -y chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return exe


@pytest.fixture
def flask_url(langgraph_server: DevServer) -> Iterator[str]:
    app = create_app(langgraph_server.url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(10)
        app.extensions["lgsync"].close()


def run_chromium(exe: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="lgsync-chromium-") as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args],
            capture_output=True,
            text=True,
            timeout=90,
        )


def test_the_page_shows_the_streamed_tokens(flask_url: str) -> None:
    exe = chromium()
    dom = run_chromium(exe, "--dump-dom", flask_url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    answer = re.search(r'<p id="answer">(.*?)</p>', dom.stdout, re.S)
    status = re.search(r'<p id="status">(.*?)</p>', dom.stdout, re.S)
    assert answer is not None and status is not None, dom.stdout[-2000:]
    assert html.unescape(answer.group(1)) == REPLY
    assert status.group(1) == "done"

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "flask_chat.png"
    if screenshot.exists():
        screenshot.unlink()
    shot = run_chromium(exe, f"--screenshot={screenshot}", "--window-size=900,500", flask_url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 1000
    assert Path(screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
