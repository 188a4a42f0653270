"""``SSERelay``, the framework-free core of the Flask and Django adapters.

Heartbeats, error events and closing are checked with lgsync's ``MockTransport``;
cancel-on-disconnect of a streamed run against the real LangGraph server.
"""

from __future__ import annotations

import time

import pytest

import lgsync
from lgsync.contrib._sse_relay import SSERelay, encode_part
from lgsync.devserver import DevServer
from lgsync.schema import StreamPart
from lgsync.testing import MockTransport


def mock_client(transport: MockTransport) -> lgsync.SyncClient:
    return lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)


def test_encode_part_is_one_sse_event_with_one_line_of_json() -> None:
    encoded = encode_part(StreamPart("messages", [{"content": "a\nb"}, {}], "7-0"))
    assert encoded == b'event: messages\nid: 7-0\ndata: [{"content":"a\\nb"},{}]\n\n'
    assert encode_part(("bad\nname", None)) == b"event: bad name\ndata: null\n\n"


def test_heartbeats_flow_while_the_run_is_quiet() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), ("custom", {"i": 1})], pause=0.5)
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom"), heartbeat=0.1)
        out = list(relay)
        relay.close()
    assert out[0] == b": connected\n\n"
    events = [chunk for chunk in out if not chunk.startswith(b":")]
    assert events == [
        b'event: custom\ndata: {"i":0}\n\n',
        b'event: custom\ndata: {"i":1}\n\n',
        b"event: end\ndata: null\n\n",
    ]
    first, second = out.index(events[0]), out.index(events[1])
    assert out[first + 1 : second].count(b": heartbeat\n\n") >= 2
    assert transport.responses[0].closed


def test_a_failing_stream_ends_with_an_error_event() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0})], drop=True)
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom"))
        out = [chunk for chunk in relay if not chunk.startswith(b":")]
    assert out[0] == b'event: custom\ndata: {"i":0}\n\n'
    assert out[-1].startswith(b'event: error\ndata: {"error":"StreamError","message":"Stream interrupted')
    assert len(out) == 2


def test_closing_before_the_first_read_closes_upstream_and_calls_on_close() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0})])
    closed: list[bool] = []
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom"), on_close=lambda: closed.append(True))
        relay.close()
        relay.close()
        assert list(relay) == []
    assert closed == [True]
    assert transport.responses[0].closed


@pytest.mark.integration
def test_closing_the_relay_cancels_a_run_streamed_with_on_disconnect_cancel(langgraph_server: DevServer) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        thread = client.threads.create()["thread_id"]
        created: list[str] = []
        stream = client.runs.stream(
            thread,
            "slow",
            input={"steps": 5, "delay": 10.0},
            stream_mode="custom",
            on_disconnect="cancel",
            on_run_created=lambda meta: created.append(meta["run_id"]),
        )
        relay = SSERelay(stream, heartbeat=0.2)
        chunks = iter(relay)
        while b"event: custom" not in next(chunks):
            pass
        time.sleep(0.5)  # the reader is blocked on the quiet socket
        started = time.monotonic()
        relay.close()
        assert time.monotonic() - started < 1.0
        status = ""
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            status = client.runs.get(thread, created[0])["status"]
            if status != "running":
                break
            time.sleep(0.05)
        assert status == "interrupted"
