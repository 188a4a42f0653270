"""End to end: a person approves an interrupted run in the browser, through the Flask example.

Headless Chromium, driven over the DevTools protocol, opens the page of
``examples/approval_flask.py``, waits for the question, clicks "Approve"
with a real mouse event and sees the run's last event. The server's state
must agree. Also: the thread-centric answer (``run.respond``) through the
same app. Needs the Debian ``chromium`` package (skipped without it, failed
under ``CI=true``).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
from werkzeug.serving import make_server

import lgsync
from lgsync.devserver import DevServer
from tests.conftest import ROOT
from tests.integration.test_browser_flask import FLAGS, chromium

pytestmark = pytest.mark.integration

sys.path.insert(0, str(ROOT / "examples"))
from approval_flask import create_app  # noqa: E402

DEADLINE = 60.0


@pytest.fixture
def app_url(langgraph_server: DevServer, transport_name: str) -> Iterator[str]:
    app = create_app(langgraph_server.url, transport=transport_name)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        app.extensions["lgsync"].close()


class DevTools:
    """A page of a headless Chromium, driven over the DevTools protocol's WebSocket."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._next_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        self._ws.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=DEADLINE))
            if message.get("id") == self._next_id:
                assert "error" not in message, message
                return dict(message.get("result", {}))

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str) -> Any:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"the page never showed {what}: {self.evaluate('document.body.innerText')!r}")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        box = self.evaluate(f"JSON.stringify(document.querySelector({selector!r}).getBoundingClientRect())")
        rect = json.loads(box)
        x, y = rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture
def browser() -> Iterator[Callable[[str], DevTools]]:
    exe = chromium()
    websockets = pytest.importorskip("websockets.sync.client")
    profile = tempfile.TemporaryDirectory(prefix="lgsync-chromium-")
    process = subprocess.Popen(
        [exe, *FLAGS, f"--user-data-dir={profile.name}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    connections = contextlib.ExitStack()
    try:
        port_file = Path(profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + DEADLINE
        # Two lines (port, browser path) once Chromium has finished writing it.
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            assert process.poll() is None, "chromium exited"
            assert time.monotonic() < deadline, "chromium never opened its DevTools port"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])

        def open_page(url: str) -> DevTools:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
                targets = json.load(answer)
            ws_url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
            page = DevTools(connections.enter_context(websockets.connect(ws_url, max_size=None)))
            page.call("Page.enable")
            page.call("Page.navigate", url=url)
            return page

        yield open_page
    finally:
        connections.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        profile.cleanup()


def test_clicking_approve_resumes_the_run_and_the_page_sees_it_finish(
    app_url: str, browser: Callable[[str], DevTools], langgraph_server: DevServer
) -> None:
    page = browser(app_url + "/")
    question = page.wait_for(
        "!document.getElementById('approve').hidden && document.getElementById('question').textContent",
        "the question",
    )
    assert question == "Approve this request?"
    assert page.evaluate("document.getElementById('status').textContent") == "waiting for you"
    thread_id = page.evaluate("threadId")
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        assert client.threads.get_state(thread_id)["next"] == ["review"]
        page.click("#approve")
        page.wait_for("document.getElementById('status').textContent === 'done'", "the run's last event")
        assert page.evaluate("document.getElementById('outcome').textContent") == "done: deploy v2"
        state = client.threads.get_state(thread_id)
    assert state["values"]["decision"] == "approve" and state["next"] == []


def test_the_answer_endpoint_resumes_through_the_thread_stream_too(app_url: str, langgraph_server: DevServer) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        thread_id = client.threads.create()["thread_id"]
        client.runs.wait(thread_id, "approval", input={"request": "rollback"})
        request = urllib.request.Request(
            f"{app_url}/approvals/{thread_id}/answer",
            data=json.dumps({"decision": "reject", "via": "thread"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=DEADLINE) as answer:
            body = answer.read().decode()
        assert client.threads.get_state(thread_id)["values"]["outcome"] == "refused: rollback"
    events = [block for block in body.split("\n\n") if block.strip() and not block.startswith(":")]
    assert events[-1].startswith("event: end")
    last_values = [block for block in events if block.startswith("event: values")][-1]
    assert json.loads(last_values.split("data: ", 1)[1])["outcome"] == "refused: rollback"


def test_the_answer_endpoint_refuses_an_unknown_decision(app_url: str) -> None:
    request = urllib.request.Request(
        f"{app_url}/approvals/some-thread/answer",
        data=json.dumps({"decision": "maybe"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=DEADLINE)
    assert refused.value.code == 400
