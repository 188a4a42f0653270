"""Bad answers get a typed error that says what was wrong, or a documented recovery.

Over both transports, against the scripted server: error pages, rate limits,
retries that are and are not safe, truncated bodies, close-delimited streams,
a cut stateless stream, and the memory a large event costs.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from typing import Callable

import pytest

import lgsync
from lgsync.errors import (
    APIConnectionError,
    InternalServerError,
    RateLimitError,
    StreamDecodeError,
    StreamError,
)
from tests.support.sse_server import SSE, Cut, Script, ScriptedServer, Send, json_script, sse_event

MakeClient = Callable[..., lgsync.SyncClient]
THREAD = "/threads/t1"
STREAM = "/threads/t1/runs/stream"
RETRYING = lgsync.Retry(total=2, backoff_factor=0.01, backoff_max=0.02, jitter=0.0)

HTML_500 = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    + b"<p>nginx</p>" * 200
    + b"</body></html>"
)


def test_a_500_with_an_html_body_is_an_internal_server_error_with_a_short_excerpt(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "GET",
        THREAD,
        Script(status=500, headers={"Content-Type": "text/html"}, actions=[Send(HTML_500)], framing="length"),
    )
    with pytest.raises(InternalServerError) as caught:
        make_client().threads.get("t1")
    message = str(caught.value)
    assert caught.value.status_code == 500
    assert message.startswith("500 Internal Server Error (GET /threads/t1): <!DOCTYPE html>")
    assert len(message) < 400, "the whole page must not be pasted into the message"
    assert caught.value.body == HTML_500.decode()


def test_a_429_is_retried_after_its_retry_after_and_then_raised(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    limited = json_script({"detail": "slow down"}, status=429, headers={"Retry-After": "0.2"})
    server.route("GET", THREAD, limited)
    client = make_client(retry=RETRYING)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        client.threads.get("t1")
    assert len(server.requests_to(THREAD)) == 3
    assert time.monotonic() - started >= 0.4, "Retry-After must be honoured between tries"
    assert caught.value.retry_after == 0.2
    assert "slow down" in str(caught.value)


def test_a_5xx_on_a_get_is_retried_until_it_succeeds(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", THREAD, [json_script({"detail": "busy"}, status=503), json_script({"thread_id": "t1"})])
    assert make_client(retry=RETRYING).threads.get("t1") == {"thread_id": "t1"}
    assert len(server.requests_to(THREAD)) == 2


def test_a_5xx_on_a_post_is_not_retried_so_no_second_run_is_created(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "POST", "/threads/t1/runs", [json_script({"detail": "boom"}, status=500), json_script({"run_id": "r2"})]
    )
    with pytest.raises(InternalServerError):
        make_client(retry=RETRYING).runs.create("t1", "agent", input={})
    assert len(server.requests_to("/threads/t1/runs")) == 1


def test_a_truncated_body_of_a_get_is_retried(server: ScriptedServer, make_client: MakeClient) -> None:
    truncated = Script(headers={"Content-Type": "application/json"}, actions=[Send(b'{"thread_id": "t'), Cut()])
    server.route("GET", THREAD, [truncated, json_script({"thread_id": "t1"})])
    assert make_client(retry=RETRYING).threads.get("t1") == {"thread_id": "t1"}
    assert len(server.requests_to(THREAD)) == 2


def test_a_truncated_chunked_body_without_retries_is_a_connection_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "GET", THREAD, Script(headers={"Content-Type": "application/json"}, actions=[Send(b'{"thread'), Cut()])
    )
    with pytest.raises(APIConnectionError, match="closed before the body was complete|broke while reading"):
        make_client().threads.get("t1")


def test_a_close_delimited_stream_is_delivered_whole(server: ScriptedServer, make_client: MakeClient) -> None:
    events = [sse_event({"n": n}, event="custom") for n in range(5)]
    server.route("POST", "/runs/stream", Script(headers=SSE, actions=[Send(e) for e in events], framing="close"))
    parts = list(make_client().runs.stream(None, "agent", input={}, stream_mode="custom"))
    assert [(p.event, p.data) for p in parts] == [("custom", {"n": n}) for n in range(5)]


def test_a_cut_stateless_stream_fails_clearly_instead_of_ending_quietly(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    answer = Script(
        headers={**SSE, "Location": "/runs/r1/stream"},
        actions=[Send(sse_event({"n": 0}, event="custom", id="1-0")), Send(b'event: custom\ndata: {"n"'), Cut()],
    )
    server.route("POST", "/runs/stream", answer)
    stream = make_client().runs.stream(None, "agent", input={}, stream_mode="custom")
    assert next(stream).data == {"n": 0}
    with pytest.raises(StreamError, match="cannot be resumed: a stateless run"):
        next(stream)
    assert server.requests_to("/runs/r1/stream") == [], "a stateless run has no stream to rejoin"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'{"a": 1', "that is not valid JSON"),
        (b"\xff\xfe{}", "that is not valid UTF-8"),
    ],
    ids=["not-json", "bad-utf8"],
)
def test_bad_data_names_the_event_and_shows_an_excerpt(
    server: ScriptedServer, make_client: MakeClient, data: bytes, says: str
) -> None:
    body = b"event: values\ndata: " + data + b"\n\n"
    server.route("POST", STREAM, Script(headers=SSE, actions=[Send(body)]))
    with pytest.raises(StreamDecodeError) as caught:
        list(make_client().runs.stream("t1", "agent", input={}))
    assert "'values' event" in str(caught.value)
    assert says in str(caught.value)


def test_a_large_event_costs_about_three_times_its_size(server: ScriptedServer, make_client: MakeClient) -> None:
    size = 8 * 1024 * 1024
    payload = json.dumps({"blob": "x" * size}).encode()
    pieces = [payload[i : i + 65536] for i in range(0, len(payload), 65536)]
    actions = [Send(b"event: values\ndata: ")] + [Send(p) for p in pieces] + [Send(b"\n\n")]
    server.route("POST", STREAM, Script(headers=SSE, actions=actions))
    client = make_client()
    tracemalloc.start()
    try:
        stream = client.runs.stream("t1", "agent", input={})
        part = next(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(part.data["blob"]) == size
    # The joined data, its decoded text and the parsed value: about 3x.
    assert peak < 3.2 * len(payload), f"peak {peak / 2**20:.1f} MiB for a {len(payload) / 2**20:.1f} MiB event"
