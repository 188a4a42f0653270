"""``lgsync.testing.MockTransport``: unit-testing code that uses lgsync, without a server.

Each test is also an example of testing an application this way.
"""

from __future__ import annotations

import pytest

import lgsync
from lgsync.errors import NotFoundError, StreamError
from lgsync.testing import (
    MockResponse,
    MockTransport,
    RecordedRequest,
    UnmatchedRequestError,
    json_response,
    sse_response,
)

URL = "http://langgraph.test"


def make_client(transport: MockTransport, **kwargs: object) -> lgsync.SyncClient:
    fast = lgsync.Retry(total=3, backoff_factor=0.0, backoff_max=0.0)
    return lgsync.get_sync_client(
        url=URL, api_key="sk-test", transport=transport, retry=fast, stream_retry=fast, **kwargs
    )


# The application code under test: what a user of lgsync would write.
def summarize_joke(client: lgsync.SyncClient, topic: str) -> str:
    thread = client.threads.create()
    joke = ""
    for part in client.runs.stream(thread["thread_id"], "agent", input={"topic": topic}, stream_mode="updates"):
        if part.event == "updates" and "generate_joke" in part.data:
            joke = part.data["generate_joke"]["joke"]
    return joke


def test_app_code_runs_against_canned_thread_and_stream() -> None:
    transport = MockTransport()
    transport.add("POST", "/threads", json={"thread_id": "t-1"})
    stream_route = transport.add_stream(
        "POST",
        "/threads/{thread_id}/runs/stream",
        [
            ("metadata", {"run_id": "r-1", "attempt": 1}),
            ("updates", {"refine_topic": {"topic": "ice cream and cats"}}),
            ("updates", {"generate_joke": {"joke": "This is a joke about ice cream and cats"}}),
        ],
    )
    with make_client(transport) as client:
        assert summarize_joke(client, "ice cream") == "This is a joke about ice cream and cats"

    assert [r.method + " " + r.path for r in transport.requests] == [
        "POST /threads",
        "POST /threads/t-1/runs/stream",
    ]
    sent = stream_route.calls[0]
    assert sent.json()["input"] == {"topic": "ice cream"}
    assert sent.json()["stream_mode"] == "updates"
    assert sent.headers["x-api-key"] == "sk-test"
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.stream is True
    assert all(r.closed for r in transport.responses)


def test_path_parameters_and_handlers() -> None:
    transport = MockTransport()

    def run_status(request: RecordedRequest, params: dict[str, str]) -> lgsync.testing.CannedResponse:
        return json_response({"run_id": params["run_id"], "thread_id": params["thread_id"], "status": "success"})

    transport.add("GET", "/threads/{thread_id}/runs/{run_id}", handler=run_status)
    with make_client(transport) as client:
        run = client.runs.get("t-9", "r-7")
    assert run == {"run_id": "r-7", "thread_id": "t-9", "status": "success"}


def test_status_errors_are_typed_like_the_real_server() -> None:
    transport = MockTransport()
    transport.add("GET", "/threads/{thread_id}", status=404, json={"detail": "Thread not found"})
    with make_client(transport) as client, pytest.raises(NotFoundError) as caught:
        client.threads.get("missing")
    assert caught.value.status_code == 404
    assert caught.value.body == {"detail": "Thread not found"}


def test_unmatched_request_fails_loudly_or_answers_404() -> None:
    strict = MockTransport()
    strict.add("POST", "/threads", json={"thread_id": "t-1"})
    with make_client(strict) as client, pytest.raises(UnmatchedRequestError, match="GET /assistants/a"):
        client.assistants.get("a")

    lenient = MockTransport(strict=False)
    with make_client(lenient) as client, pytest.raises(NotFoundError):
        client.assistants.get("a")
    assert lenient.requests[0].path == "/assistants/a"


def test_answers_are_used_in_turn_then_the_last_repeats() -> None:
    transport = MockTransport()
    transport.add(
        "GET",
        "/threads/{thread_id}/runs/{run_id}",
        response=[json_response({"status": "running"}), json_response({"status": "success"})],
    )
    with make_client(transport) as client:
        statuses = [client.runs.get("t", "r")["status"] for _ in range(3)]
    assert statuses == ["running", "success", "success"]


def test_breaking_out_of_a_stream_closes_its_response() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": i}) for i in range(100)])
    with make_client(transport) as client:
        for part in client.runs.stream(None, "custom", input={"count": 100}, stream_mode="custom"):
            if part.data["i"] == 2:
                break
    assert transport.responses[0].closed is True


def test_events_split_across_chunks_still_decode() -> None:
    transport = MockTransport()
    events = [("messages", [{"content": word}, {"langgraph_node": "call_model"}]) for word in ("Why", " ", "did")]
    transport.add("POST", "/runs/stream", response=sse_response(events, chunk_size=3))
    with make_client(transport) as client:
        tokens = [p.data[0]["content"] for p in client.runs.stream(None, "chat", stream_mode="messages-tuple")]
    assert tokens == ["Why", " ", "did"]


def test_a_dropped_stream_is_resumed_from_location_with_last_event_id() -> None:
    transport = MockTransport()
    location = "/threads/t-1/runs/r-1/stream"
    transport.add(
        "POST",
        "/threads/{thread_id}/runs/stream",
        response=sse_response(
            [("metadata", {"run_id": "r-1"}, "1-0"), ("values", {"n": 1}, "2-0")], location=location, drop=True
        ),
    )
    # The server replays the events after Last-Event-ID; lgsync drops what it already delivered.
    rejoin = transport.add_stream(
        "GET", location, [("values", {"n": 1}, "2-0"), ("values", {"n": 2}, "3-0"), ("values", {"n": 3}, "4-0")]
    )
    # A stream that closes without an end event makes lgsync ask whether the run is still going.
    transport.add("GET", "/threads/{thread_id}/runs/{run_id}", json={"status": "success"})
    with make_client(transport) as client:
        stream = client.runs.stream("t-1", "agent", input={}, stream_resumable=True)
        seen = [(p.event, p.data) for p in stream]
    assert seen == [
        ("metadata", {"run_id": "r-1"}),
        ("values", {"n": 1}),
        ("values", {"n": 2}),
        ("values", {"n": 3}),
    ]
    assert stream.reconnects == 1
    assert rejoin.calls[0].headers["Last-Event-ID"] == "1-0"
    assert "values" in rejoin.calls[0].params["stream_mode"][0]


def test_a_drop_without_location_raises_a_typed_error() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("values", {"n": 1})], drop=True)
    with make_client(transport) as client, pytest.raises(StreamError, match="cannot be resumed"):
        list(client.runs.stream(None, "agent", input={}))


def test_mock_response_behaves_like_a_transport_response() -> None:
    response = MockResponse(sse_response([("values", {"n": 1}), ("values", {"n": 2})]), URL + "/runs/stream")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    chunks = response.iter_bytes()
    assert next(chunks) == b'event: values\ndata: {"n":1}\n\n'
    assert response.read() == b'event: values\ndata: {"n":2}\n\n'
    response.close()
    assert response.closed and list(response.iter_bytes()) == []

    whole = json_response({"a": 1}).build(URL)
    assert whole.read() == b'{"a": 1}'
    assert whole.read() == b""
    assert whole.preload().closed is True


def test_closed_transport_refuses_requests() -> None:
    transport = MockTransport()
    transport.add("GET", "/ok", json={"ok": True})
    client = make_client(transport)
    client.close()
    assert transport.closed is True
    with pytest.raises(lgsync.errors.APIConnectionError):
        client.http.get("/ok")
