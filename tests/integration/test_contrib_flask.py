"""The Flask example (``examples/flask_app.py``) against the real LangGraph server.

Events arrive in order through Flask's test client, with one ``end``; closing the
response (the browser going away) closes the upstream stream and cancels the run
when asked; a lost LangGraph server reaches the browser as one generic error event.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.sse import SSEDecoder
from tests.conftest import ROOT
from tests.support.fault_proxy import FaultProxy

pytestmark = pytest.mark.integration

sys.path.insert(0, str(ROOT / "examples"))
from flask_app import create_app  # noqa: E402

REPLY = "Why did the ice cream cross the road? To get to the sundae!"


def sse_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, Any]]:
    decoder = SSEDecoder()
    for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event.event, json.loads(event.data) if event.data else None


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
def app_client(langgraph_server: DevServer, transport_name: str) -> Any:
    app = create_app(langgraph_server.url, transport=transport_name)
    yield app.test_client()
    app.extensions["lgsync"].close()


def test_page_opens_an_event_source_on_the_stream(app_client: Any) -> None:
    page = app_client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-stream-url="/chat/stream"' in html
    assert "new EventSource(" in html


def test_chat_tokens_arrive_in_order_with_sse_headers(app_client: Any) -> None:
    response = app_client.get("/chat/stream?topic=ice%20cream", buffered=False)
    try:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["X-Accel-Buffering"] == "no"
        events = list(sse_events(iter(response.response)))
    finally:
        response.close()
    names = [name for name, _ in events]
    assert names[0] == "metadata" and names[-1] == "end"
    assert names.count("end") == 1  # the server's end and the relay's are one event
    tokens = [data[0]["content"] for name, data in events if name == "messages"]
    assert "".join(tokens) == REPLY
    assert len(tokens) > 10  # token by token, not one message


def follow(app_client: Any, thread_id: str, run_id: str, cancel: bool) -> Any:
    url = f"/runs/{thread_id}/{run_id}/stream?mode=custom" + ("&cancel=1" if cancel else "")
    return app_client.get(url, buffered=False)


def test_closing_the_response_cancels_the_joined_run_at_once(app_client: Any, client: lgsync.SyncClient) -> None:
    thread = client.threads.create()["thread_id"]
    run = client.runs.create(thread, "slow", input={"steps": 5, "delay": 10.0}, stream_mode=["custom"])
    response = follow(app_client, thread, run["run_id"], cancel=True)
    events = sse_events(iter(response.response))
    assert next(events)[0] in ("metadata", "custom")  # the relay is reading the run
    time.sleep(0.5)  # the relay's reader is now blocked on a quiet socket (next step in 10 s)
    started = time.monotonic()
    response.close()  # what the WSGI server does when the browser goes away
    closed_in = time.monotonic() - started
    assert closed_in < 1.0
    assert wait_for_status(client, thread, run["run_id"], deadline=5.0) == "interrupted"


def test_closing_without_cancel_leaves_the_run_going(app_client: Any, client: lgsync.SyncClient) -> None:
    thread = client.threads.create()["thread_id"]
    run = client.runs.create(thread, "slow", input={"steps": 20, "delay": 0.2}, stream_mode=["custom"])
    response = follow(app_client, thread, run["run_id"], cancel=False)
    events = sse_events(iter(response.response))
    seen = [next(events)[0] for _ in range(2)]
    response.close()
    assert "custom" in seen
    time.sleep(1.0)
    assert client.runs.get(thread, run["run_id"])["status"] == "running"
    assert wait_for_status(client, thread, run["run_id"], deadline=15.0) == "success"


def test_a_lost_server_reaches_the_browser_as_one_generic_error_event(
    langgraph_server: DevServer, client: lgsync.SyncClient, transport_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    upstream = urlsplit(langgraph_server.url)
    proxy = FaultProxy(int(upstream.port or 80))  # the LangGraph server, as the web app reaches it
    app = create_app(proxy.url, transport=transport_name)
    try:
        thread = client.threads.create()["thread_id"]
        run = client.runs.create(thread, "slow", input={"steps": 5, "delay": 1.0}, stream_mode=["custom"])
        with caplog.at_level(logging.WARNING, logger="lgsync.contrib"):
            response = follow(app.test_client(), thread, run["run_id"], cancel=False)
            chunks = iter(response.response)
            received = b""
            while b"event: custom" not in received:
                received += next(chunks)
            proxy.close()  # the LangGraph server is gone, for good
            received += b"".join(chunks)
            response.close()
    finally:
        proxy.close()
        app.extensions["lgsync"].close()
    events = list(sse_events(iter([received])))
    assert events[-1] == ("error", {"error": "upstream_error", "message": "The run's stream failed."})
    assert [name for name, _ in events].count("error") == 1
    assert "end" not in [name for name, _ in events]
    assert str(proxy.port).encode() not in received  # no internal address reaches the browser
    failures = [r.getMessage() for r in caplog.records if r.name == "lgsync.contrib" and r.levelno == logging.WARNING]
    assert len(failures) == 1 and "the relayed stream failed" in failures[0]
