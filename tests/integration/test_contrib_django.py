"""The Django example (``examples/django_app``) against the real LangGraph server.

Events arrive in order through Django's test client, and closing the response
(the browser going away) closes the upstream stream and cancels the run when asked.
"""

from __future__ import annotations

import json
import os
import sys
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
