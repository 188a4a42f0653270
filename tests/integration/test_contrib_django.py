"""The Django example (``examples/django_app``) against the real LangGraph server.

Under WSGI (Django's test client): events arrive in order, with one ``end``,
and closing the response (the browser going away) closes the upstream stream
and cancels the run when asked. Under ASGI (uvicorn, a real HTTP client): each
event arrives while the run is still going, not all at once at its end, and a
browser that leaves cancels the run.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.sse import SSEDecoder
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

sys.path.insert(0, str(ROOT / "examples" / "django_app"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")

import django  # noqa: E402

django.setup()

import uvicorn  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

REPLY = "Why did the ice cream cross the road? To get to the sundae!"


def sse_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, Any]]:
    decoder = SSEDecoder()
    for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event.event, json.loads(event.data) if event.data else None


@pytest.fixture
def web(langgraph_server: DevServer, transport_name: str) -> Iterator[Client]:
    with override_settings(LANGGRAPH_URL=langgraph_server.url, LANGGRAPH_TRANSPORT=transport_name):
        yield Client()


def test_page_opens_an_event_source_on_the_stream(web: Client) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert 'data-stream-url="/chat/stream"' in page.content.decode()


def test_chat_tokens_arrive_in_order_with_sse_headers(web: Client) -> None:
    response = web.get("/chat/stream", {"topic": "ice cream"})
    try:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["Cache-Control"] == "no-cache"
        assert response["X-Accel-Buffering"] == "no"
        assert response.streaming
        events = list(sse_events(iter(response.streaming_content)))
    finally:
        response.close()
    names = [name for name, _ in events]
    assert names[0] == "metadata" and names[-1] == "end"
    assert names.count("end") == 1
    assert "".join(data[0]["content"] for name, data in events if name == "messages") == REPLY


def test_closing_the_response_cancels_the_joined_run_at_once(web: Client, client: lgsync.SyncClient) -> None:
    thread = client.threads.create()["thread_id"]
    run = client.runs.create(thread, "slow", input={"steps": 5, "delay": 10.0}, stream_mode=["custom"])
    response = web.get(f"/runs/{thread}/{run['run_id']}/stream", {"mode": "custom", "cancel": "1"})
    events = sse_events(iter(response.streaming_content))
    assert next(events)[0] in ("metadata", "custom")
    time.sleep(0.5)
    started = time.monotonic()
    response.close()
    assert time.monotonic() - started < 1.0
    status = ""
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        status = client.runs.get(thread, run["run_id"])["status"]
        if status != "running":
            break
        time.sleep(0.05)
    assert status == "interrupted"


def wait_for_status(client: lgsync.SyncClient, thread_id: str, run_id: str, deadline: float) -> str:
    status = ""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status = client.runs.get(thread_id, run_id)["status"]
        if status not in ("pending", "running"):
            break
        time.sleep(0.05)
    return status


@pytest.fixture
def asgi_site(langgraph_server: DevServer, transport_name: str) -> Iterator[int]:
    """The Django example served by uvicorn (ASGI) on a free loopback port; yields the port."""
    with override_settings(LANGGRAPH_URL=langgraph_server.url, LANGGRAPH_TRANSPORT=transport_name):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        config = uvicorn.Config(get_asgi_application(), lifespan="off", log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 20.0
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.05)
        try:
            yield port
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            listener.close()


class Browser:
    """A real HTTP client reading an event stream, noting when each event arrives."""

    def __init__(self, port: int, path: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        self.decoder = SSEDecoder()
        self.raw = b""

    def events(self) -> Iterator[tuple[float, str, Any]]:
        """``(arrival time, event name, data)`` for each event, as it arrives."""
        while True:
            chunk = self.response.read1(65536)
            if not chunk:
                return
            arrived = time.monotonic()
            self.raw += chunk
            for event in self.decoder.feed(chunk):
                yield arrived, event.event, json.loads(event.data) if event.data else None

    def close(self) -> None:
        self.connection.sock.shutdown(socket.SHUT_RDWR)  # the browser leaves: the socket goes at once
        self.connection.close()


def test_under_asgi_each_event_arrives_while_the_run_is_still_going(
    asgi_site: int, client: lgsync.SyncClient, recwarn: pytest.WarningsRecorder
) -> None:
    thread = client.threads.create()["thread_id"]
    run = client.runs.create(thread, "slow", input={"steps": 3, "delay": 1.0}, stream_mode=["custom"])
    browser = Browser(asgi_site, f"/runs/{thread}/{run['run_id']}/stream?mode=custom")
    try:
        assert browser.response.status == 200
        assert browser.response.getheader("Content-Type", "").startswith("text/event-stream")
        arrivals: list[tuple[float, str, Any]] = []
        status_at_first_step = ""
        for arrived, name, data in browser.events():
            arrivals.append((arrived, name, data))
            if name == "custom" and not status_at_first_step:
                # Buffered, this event would arrive only with the run's end.
                status_at_first_step = client.runs.get(thread, run["run_id"])["status"]
    finally:
        browser.close()
    assert browser.raw.startswith(b": connected\n\n")
    assert status_at_first_step == "running"
    names = [name for _, name, _ in arrivals]
    assert [data for _, name, data in arrivals if name == "custom"] == [{"step": 0}, {"step": 1}, {"step": 2}]
    assert names[-1] == "end" and names.count("end") == 1
    first_step = next(arrived for arrived, name, _ in arrivals if name == "custom")
    assert first_step < arrivals[-1][0]  # the first step arrived before the end, not in the same read
    # Django warns when it has to read a sync iterator whole to serve it to ASGI.
    assert [str(w.message) for w in recwarn if "must consume" in str(w.message)] == []


@pytest.mark.skipif(
    django.VERSION < (5, 0), reason="Django's ASGI handler listens for the client's disconnect from 5.0 on"
)
def test_under_asgi_a_browser_that_leaves_cancels_the_run(asgi_site: int, client: lgsync.SyncClient) -> None:
    thread = client.threads.create()["thread_id"]
    run = client.runs.create(thread, "slow", input={"steps": 5, "delay": 10.0}, stream_mode=["custom"])
    browser = Browser(asgi_site, f"/runs/{thread}/{run['run_id']}/stream?mode=custom&cancel=1")
    events = browser.events()
    assert next(name for _, name, _ in events if name == "custom") == "custom"
    time.sleep(0.5)  # the worker thread is now blocked on the quiet run
    browser.close()
    assert wait_for_status(client, thread, run["run_id"], deadline=10.0) == "interrupted"
