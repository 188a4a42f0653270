"""The ``Transport``/``Response`` contract, on real sockets, for every transport.

Status, headers and bodies; bytes delivered the moment they arrive; ``close()`` that
closes the socket; and every network failure mapped to ``lgsync.errors``.
"""

from __future__ import annotations

import socket
import time

import pytest

import lgsync
from lgsync.errors import APIConnectionError, APITimeoutError, LangGraphError
from lgsync.sse import SSEDecoder
from tests.support.sse_server import (
    SSE,
    Action,
    Cut,
    Raw,
    Script,
    ScriptedServer,
    Send,
    Sleep,
    Stall,
    Trickle,
    json_script,
    sse_event,
)

TIMEOUT = lgsync.Timeout(connect=2.0, read=5.0, stream_idle=5.0)
GONE_WITHIN = 3.0  # seconds the server may take to notice a closed connection


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assert_lgsync_error(exc: BaseException) -> None:
    """The exception is lgsync's own, not a requests/urllib3/http.client one passed through."""
    assert isinstance(exc, LangGraphError)
    assert type(exc).__module__.startswith("lgsync"), type(exc)


def test_status_headers_and_read(server: ScriptedServer, transport: lgsync.Transport) -> None:
    server.route("GET", "/thing", json_script({"a": 1}, status=201, headers={"X-Thing": "v1"}))

    response = transport.send(lgsync.Request("GET", server.url + "/thing?x=1"), timeout=TIMEOUT)

    assert response.status_code == 201
    assert response.headers["x-thing"] == "v1"
    assert response.headers["X-THING"] == "v1"
    assert response.headers["content-type"] == "application/json"
    assert response.read() == b'{"a": 1}'
    assert server.requests[0].query == {"x": ["1"]}
    response.close()


def test_request_method_headers_and_body_reach_the_server(server: ScriptedServer, transport: lgsync.Transport) -> None:
    server.route("POST", "/echo", json_script({}))
    request = lgsync.Request(
        "POST",
        server.url + "/echo",
        headers={"X-Custom": "yes", "Content-Type": "application/json"},
        body=b'{"q": 1}',
    )

    transport.send(request, timeout=TIMEOUT).close()

    (seen,) = server.requests
    assert seen.method == "POST"
    assert seen.header("x-custom") == "yes"
    assert seen.json() == {"q": 1}


def test_error_status_is_a_response_not_an_exception(server: ScriptedServer, transport: lgsync.Transport) -> None:
    server.route("GET", "/missing", json_script({"detail": "nope"}, status=404))

    response = transport.send(lgsync.Request("GET", server.url + "/missing"), timeout=TIMEOUT)

    assert response.status_code == 404
    assert response.read() == b'{"detail": "nope"}'


@pytest.mark.parametrize("framing", ["chunked", "length", "close"])
def test_read_returns_the_whole_body(server: ScriptedServer, transport: lgsync.Transport, framing: str) -> None:
    pieces = [b"one,", b"two,", b"three"]
    server.route("GET", "/body", Script(actions=[Send(p) for p in pieces], framing=framing))

    response = transport.send(lgsync.Request("GET", server.url + "/body"), timeout=TIMEOUT)
    assert response.read() == b"one,two,three"
    response.close()


@pytest.mark.parametrize("framing", ["chunked", "length", "close"])
def test_iter_bytes_yields_the_whole_body(server: ScriptedServer, transport: lgsync.Transport, framing: str) -> None:
    server.route("GET", "/body", Script(actions=[Send(b"x" * 1000), Send(b"y" * 5)], framing=framing))

    response = transport.send(lgsync.Request("GET", server.url + "/body"), timeout=TIMEOUT)
    try:
        assert b"".join(response.iter_bytes()) == b"x" * 1000 + b"y" * 5
    finally:
        response.close()


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_iter_bytes_delivers_each_event_as_it_arrives(
    server: ScriptedServer, transport: lgsync.Transport, framing: str
) -> None:
    count = 5
    actions: list[Action] = []
    for i in range(count):
        if i:
            actions.append(Sleep(0.05))
        actions.append(Send(sse_event({"i": i}, event="values")))
    server.route("GET", "/events", Script(headers=SSE, actions=actions, framing=framing))

    response = transport.send(lgsync.Request("GET", server.url + "/events"), timeout=TIMEOUT)
    decoder = SSEDecoder()
    arrivals: list[float] = []
    try:
        for chunk in response.iter_bytes():
            for _ in decoder.feed(chunk):
                arrivals.append(time.monotonic())
    finally:
        response.close()

    sent = [at for at, payload in server.requests[0].sent if payload]
    assert len(arrivals) == len(sent) == count
    # Not batched: the first event reached the caller while the server was still sending.
    assert arrivals[0] < sent[-1]
    assert all(arrived >= sent_at for arrived, sent_at in zip(arrivals, sent))


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_iter_bytes_does_not_wait_for_a_buffer_to_fill(
    server: ScriptedServer, transport: lgsync.Transport, framing: str
) -> None:
    # A single event trickled in 4 pieces: the first piece is handed over before the last is sent.
    event = sse_event({"text": "a" * 40}, event="messages")
    server.route(
        "GET",
        "/trickle",
        Script(headers=SSE, actions=[Trickle(event, size=len(event) // 4 + 1, delay=0.05)], framing=framing),
    )

    response = transport.send(lgsync.Request("GET", server.url + "/trickle"), timeout=TIMEOUT)
    received: list[tuple[float, bytes]] = []
    try:
        for chunk in response.iter_bytes():
            received.append((time.monotonic(), chunk))
    finally:
        response.close()

    assert b"".join(chunk for _, chunk in received) == event
    sent = [at for at, payload in server.requests[0].sent if payload]
    assert len(received) >= 2
    assert received[0][0] < sent[-1]


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_close_on_a_half_read_stream_closes_the_socket(
    server: ScriptedServer, transport: lgsync.Transport, framing: str
) -> None:
    server.route("GET", "/events", Script(headers=SSE, actions=[Send(sse_event({"i": 0})), Stall(30)], framing=framing))

    response = transport.send(lgsync.Request("GET", server.url + "/events"), timeout=TIMEOUT)
    first = next(iter(response.iter_bytes()))
    response.close()
    closed_at = time.monotonic()

    assert first == sse_event({"i": 0})
    seen = server.requests[0]
    assert seen.client_gone.wait(GONE_WITHIN), "the server never saw the client close the connection"
    assert seen.client_gone_at is not None and seen.client_gone_at - closed_at < GONE_WITHIN


def test_close_before_reading_closes_the_socket(server: ScriptedServer, transport: lgsync.Transport) -> None:
    server.route("GET", "/events", Script(headers=SSE, actions=[Stall(30)]))

    response = transport.send(lgsync.Request("GET", server.url + "/events"), timeout=TIMEOUT)
    response.close()

    assert server.requests[0].client_gone.wait(GONE_WITHIN)


def test_a_fully_read_response_leaves_the_connection_reusable(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/ok", json_script({"ok": True}))

    for _ in range(3):
        response = transport.send(lgsync.Request("GET", server.url + "/ok"), timeout=TIMEOUT)
        assert response.read() == b'{"ok": true}'
        response.close()

    assert len({r.connection_id for r in server.requests}) == 1


def test_refused_connection_is_an_api_connection_error(transport: lgsync.Transport) -> None:
    url = f"http://127.0.0.1:{_free_port()}/ok"

    with pytest.raises(APIConnectionError) as info:
        transport.send(lgsync.Request("GET", url), timeout=TIMEOUT)

    _assert_lgsync_error(info.value)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request_sent is False


def test_no_answer_within_the_read_timeout_is_an_api_timeout_error(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/slow", Script(delay=10, actions=[Send(b"late")], framing="length"))
    timeout = lgsync.Timeout(connect=2.0, read=0.2, stream_idle=30.0)

    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        transport.send(lgsync.Request("GET", server.url + "/slow"), timeout=timeout)

    _assert_lgsync_error(info.value)
    assert time.monotonic() - started < 5


def test_silence_mid_stream_beyond_the_read_limit_is_an_api_timeout_error(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    # A transport applies ``read`` between two reads; the client passes a stream's idle limit as ``read``.
    server.route("GET", "/events", Script(headers=SSE, actions=[Send(sse_event({"i": 0})), Stall(10)]))
    timeout = lgsync.Timeout(connect=2.0, read=0.2, stream_idle=30.0)

    response = transport.send(lgsync.Request("GET", server.url + "/events"), timeout=timeout)
    received: list[bytes] = []
    with pytest.raises(APITimeoutError) as info:
        for chunk in response.iter_bytes():
            received.append(chunk)
    response.close()

    _assert_lgsync_error(info.value)
    assert received == [sse_event({"i": 0})]


BROKEN_BODIES = {
    "chunked-cut-between-chunks": Script(actions=[Send(b"abc"), Cut()]),
    "chunked-cut-mid-chunk": Script(actions=[Send(b"abc"), Raw(b"10\r\nhalf"), Cut()]),
    "chunked-reset": Script(actions=[Send(b"abc"), Cut(reset=True)]),
    "chunked-no-last-chunk": Script(actions=[Send(b"abc")], finish=False),
    "chunked-bad-size": Script(actions=[Send(b"abc"), Raw(b"zz\r\nabc\r\n")]),
    "length-cut": Script(actions=[Send(b"abc"), Cut()], framing="length", content_length=100),
}


@pytest.mark.parametrize("case", list(BROKEN_BODIES))
def test_a_broken_body_read_whole_is_an_api_connection_error(
    server: ScriptedServer, transport: lgsync.Transport, case: str
) -> None:
    server.route("GET", "/broken", BROKEN_BODIES[case])

    with pytest.raises(APIConnectionError) as info:
        response = transport.send(lgsync.Request("GET", server.url + "/broken"), timeout=TIMEOUT)
        response.read()

    _assert_lgsync_error(info.value)


@pytest.mark.parametrize("case", list(BROKEN_BODIES))
def test_a_broken_body_streamed_is_an_api_connection_error(
    server: ScriptedServer, transport: lgsync.Transport, case: str
) -> None:
    server.route("GET", "/broken", BROKEN_BODIES[case])

    response = transport.send(lgsync.Request("GET", server.url + "/broken"), timeout=TIMEOUT)
    received: list[bytes] = []
    try:
        with pytest.raises(APIConnectionError) as info:
            for chunk in response.iter_bytes():
                received.append(chunk)
    finally:
        response.close()

    _assert_lgsync_error(info.value)
    # A TCP reset may discard bytes the client had not read yet; a FIN never does.
    if "reset" not in case:
        assert b"".join(received).startswith(b"abc")


@pytest.mark.parametrize("head", [b"NOT HTTP AT ALL\r\n\r\n", b"HTTP/1.1 abc Broken\r\n\r\n", b""])
def test_a_garbled_or_missing_status_line_is_an_api_connection_error(
    server: ScriptedServer, transport: lgsync.Transport, head: bytes
) -> None:
    server.route("GET", "/garbled", Script(head=head, actions=[Cut()]))

    with pytest.raises(APIConnectionError) as info:
        transport.send(lgsync.Request("GET", server.url + "/garbled"), timeout=TIMEOUT)

    _assert_lgsync_error(info.value)
